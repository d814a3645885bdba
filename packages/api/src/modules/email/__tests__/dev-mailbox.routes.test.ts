import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { unique } from "../../../../test/factories/index.ts";
import { enqueueEmail } from "../outbox.ts";
import { devMailboxTransport } from "../transports/dev-mailbox.ts";
import { worker } from "./helpers.ts";

type Message = { id: string; outboxId: string; to: string; subject: string; text: string; html: string; createdAt: string };

describe("dev mailbox routes", () => {
  let ctx: TestContext;
  const to = `${unique("Inbox")}@example.org`.toLowerCase();
  const other = `${unique("other")}@example.org`.toLowerCase();
  const url = "https://samakki.example/invite?token=t0k&lang=km";
  beforeAll(async () => {
    ctx = await buildTestApp();
    await ctx.db.transaction().execute(async (trx) => {
      await enqueueEmail(trx, {
        to,
        language: "en",
        message: {
          template: "invitation_person",
          data: {
            organisation: "<script>alert(1)</script>",
            inviter: "Dara",
            url,
            expiresAt: "2026-12-01T09:30:00Z",
            timeZone: "Asia/Phnom_Penh",
          },
        },
      });
    });
    await ctx.db
      .transaction()
      .execute((trx) => enqueueEmail(trx, { to: other, language: "km", message: { template: "lockout", data: {} } }));
    // Deliver one at a time so the newest-first order is certain.
    const w = worker(ctx.db, devMailboxTransport(ctx.db), { batchSize: 1 });
    expect((await w.runOnce()).sent).toBe(1);
    expect((await w.runOnce()).sent).toBe(1);
  });

  it("lists delivered messages as JSON, newest first, optionally for one recipient", async () => {
    const res = await ctx.anonymous().get<{ items: Message[] }>("/api/dev/mailbox");
    expect(res.status).toBe(200);
    expect(res.body.items.map((m) => m.to)).toEqual([other, to]);
    const [lockout, invitation] = res.body.items;
    expect(lockout?.subject).toBe("ការចូលទៅក្នុងគណនីរបស់អ្នកត្រូវបានរារាំង");
    expect(invitation?.text).toContain(url);
    expect(invitation?.html).toContain("<html");

    const filtered = await ctx.anonymous().get<{ items: Message[] }>(`/api/dev/mailbox?to=${encodeURIComponent(to.toUpperCase())}`);
    expect(filtered.body.items.map((m) => m.to)).toEqual([to]);
  });

  it("shows an escaped HTML page with clickable links, and each message's HTML on its own page", async () => {
    const page = await ctx.anonymous().get("/dev/mailbox");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).not.toContain("<script>alert(1)</script>");
    expect(page.text).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(page.text).toContain(`<a href="${url.replace(/&/g, "&#38;")}">`);

    const [message] = (await ctx.anonymous().get<{ items: Message[] }>(`/api/dev/mailbox?to=${to}`)).body.items;
    expect(page.text).toContain(`href="/dev/mailbox/${message?.id}"`);
    const html = await ctx.anonymous().get(`/dev/mailbox/${message?.id}`);
    expect(html.status).toBe(200);
    expect(html.text).toBe(message?.html);
    expect((await ctx.anonymous().get("/dev/mailbox/not-a-uuid")).status).toBe(404);
    expect((await ctx.anonymous().get("/dev/mailbox/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("does not exist for a request from another machine, whatever its headers say", async () => {
    for (const remoteAddress of ["192.0.2.10", "::ffff:198.51.100.3"]) {
      const env = { incoming: { socket: { remoteAddress } } };
      const res = await ctx.app.request("/api/dev/mailbox", { headers: { "x-forwarded-for": "127.0.0.1" } }, env);
      expect(res.status).toBe(404);
      expect((await ctx.app.request("/dev/mailbox", {}, env)).status).toBe(404);
    }
    const local = await ctx.app.request("/api/dev/mailbox", {}, { incoming: { socket: { remoteAddress: "::ffff:127.0.0.1" } } });
    expect(local.status).toBe(200);
  });

  const devPaths = () => ["/api/dev/mailbox", "/dev/mailbox", `/dev/mailbox/${crypto.randomUUID()}`];

  it("does not exist for a request that went through a proxy (any forwarding header), even from this machine", async () => {
    const local = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };
    for (const [name, value] of [
      ["x-forwarded-for", "203.0.113.9"],
      ["x-forwarded-for", "127.0.0.1"],
      ["x-forwarded-host", "samakki.example"],
      ["x-forwarded-proto", "https"],
      ["x-forwarded-port", "443"],
      ["x-real-ip", "203.0.113.9"],
      ["forwarded", "for=203.0.113.9;proto=https"],
      ["via", "1.1 proxy.example"],
      ["x-client-ip", "203.0.113.9"],
      ["cf-connecting-ip", "203.0.113.9"],
      ["true-client-ip", "203.0.113.9"],
    ] as const) {
      for (const path of devPaths()) {
        const res = await ctx.app.request(path, { headers: { [name]: value } }, local);
        expect(res.status, `${name} ${path}`).toBe(404);
        expect(await res.text()).not.toContain("Dev mailbox");
      }
    }
    // Without them, the same local request is answered.
    expect((await ctx.app.request("/api/dev/mailbox", {}, local)).status).toBe(200);
  });

  it("does not exist for a Host other than localhost, 127.0.0.1 or [::1] (DNS rebinding)", async () => {
    const local = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };
    for (const host of [
      "evil.example",
      "evil.example:3000",
      "localhost.evil.example",
      "127.0.0.1.nip.io",
      "samakki.example",
      "192.168.1.20:3000",
    ]) {
      for (const path of devPaths()) {
        // @hono/node-server builds the request URL from the Host header, as here.
        const res = await ctx.app.request(`http://${host}${path}`, { headers: { host } }, local);
        expect(res.status, `${host} ${path}`).toBe(404);
      }
    }
    for (const host of ["localhost", "localhost:3000", "127.0.0.1:5173", "[::1]:3000", "LOCALHOST:3000"]) {
      const res = await ctx.app.request(`http://${host}/api/dev/mailbox`, { headers: { host } }, local);
      expect(res.status, host).toBe(200);
    }
  });

  it("is in the OpenAPI document", async () => {
    const doc = await ctx.anonymous().get<{ paths: Record<string, { get?: { "x-policy"?: string } }> }>("/api/openapi.json");
    expect(doc.body.paths["/api/dev/mailbox"]?.get?.["x-policy"]).toBe("devOnly");
  });

  for (const [name, overrides] of [
    ["a Resend key is configured", { email: { resendApiKey: "re_x", resendBaseUrl: "http://127.0.0.1:9", from: "Samakki <a@b.example>" } }],
    ["NODE_ENV is production", { env: "production" as const }],
  ] as const) {
    it(`does not exist when ${name}`, async () => {
      const prod = await buildTestApp(overrides);
      await prod.db
        .insertInto("dev_mailbox")
        .values({ outbox_id: crypto.randomUUID(), to_address: to, subject: "s", html: "<p>h</p>", text: "t" })
        .execute();
      const row = await prod.db.selectFrom("dev_mailbox").select("id").executeTakeFirstOrThrow();
      for (const path of ["/api/dev/mailbox", "/dev/mailbox", `/dev/mailbox/${row.id}`]) {
        const res = await prod.anonymous().get(path);
        expect(res.status, path).toBe(404);
        expect(res.text).not.toContain("<p>h</p>");
      }
    });
  }
});
