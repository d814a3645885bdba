import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, TestClient, type TestContext } from "../../../../test/app.ts";
import {
  addMember,
  createCoalition,
  createOrganisation,
  createPerson,
  makeCoordinator,
  signInAs,
  unique,
} from "../../../../test/factories/index.ts";
import { emailTransport } from "../../../jobs.ts";
import { onError } from "../../../lib/problem.ts";
import { createRouter } from "../../../lib/route.ts";
import { sessionMiddleware } from "../../auth/sessions.service.ts";
import { outboxRoutes } from "../outbox.routes.ts";
import { MAX_ATTEMPTS } from "../outbox.worker.ts";
import { startFakeResend } from "./fake-resend.ts";
import { enqueueReset, makeDue, outboxRow, worker } from "./helpers.ts";

const FROM = "Samakki <no-reply@samakki.example>";

/**
 * outboxRoutes on their own, behind the real session middleware and error handler.
 * (Once app.ts mounts them, ctx.app serves the same route.)
 */
function deadListApp(ctx: TestContext) {
  const app = createRouter();
  app.onError(onError);
  app.use("*", async (c, next) => {
    c.set("deps", ctx.deps);
    c.set("requestId", "test");
    c.set("lang", "en");
    await next();
  });
  app.use("/api/*", sessionMiddleware);
  app.route("/", outboxRoutes);
  return app;
}

describe("outbox through Resend (a fake Resend on 127.0.0.1)", () => {
  let ctx: TestContext;
  let resend: Awaited<ReturnType<typeof startFakeResend>>;
  beforeAll(async () => {
    resend = await startFakeResend();
    ctx = await buildTestApp({ email: { resendApiKey: "re_test_key", resendBaseUrl: resend.url, from: FROM } });
  });
  afterAll(() => resend.close());

  it("chooses the Resend transport when a key is configured", () => {
    expect(ctx.deps.devMailbox).toBe(false);
  });

  it("sends each email once, with its outbox id as Idempotency-Key", async () => {
    resend.state.failing = false;
    const recipients = [`${unique("a")}@example.org`, `${unique("b")}@example.org`, `${unique("c")}@example.org`];
    const ids: string[] = [];
    for (const to of recipients) ids.push(await enqueueReset(ctx.db, to));
    const a = worker(ctx.db, emailTransport(ctx.deps), { batchSize: 2 });
    const b = worker(ctx.db, emailTransport(ctx.deps), { batchSize: 2 });
    await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()]);
    expect((await a.runOnce()).claimed).toBe(0);

    const received = resend.requests.filter((r) => ids.includes(String(r.headers["idempotency-key"])));
    expect(received).toHaveLength(3);
    for (const [i, id] of ids.entries()) {
      const requests = received.filter((r) => r.headers["idempotency-key"] === id);
      expect(requests).toHaveLength(1);
      const [request] = requests;
      expect(request).toMatchObject({ method: "POST", path: "/emails" });
      expect(request?.headers.authorization).toBe("Bearer re_test_key");
      expect(request?.body).toMatchObject({ from: FROM, to: [recipients[i]], subject: "Reset your Samakki password" });
      expect(request?.body.html).toContain(`https://samakki.example/reset?token=${recipients[i]}`);
      expect(request?.body.text).toContain(`https://samakki.example/reset?token=${recipients[i]}`);
      const row = await outboxRow(ctx.db, id);
      expect(row).toMatchObject({ status: "sent", attempts: 1, last_error: null });
      expect(row.provider_id).toMatch(/^re_\d+$/);
    }
  });

  it("retries a failing provider with growing backoff, then marks the email dead for coordinators", async () => {
    const coalition = await createCoalition(ctx);
    const org = await createOrganisation(ctx, coalition.id);
    const coordinator = await createPerson(ctx);
    await makeCoordinator(ctx, coalition.id, coordinator.id);
    const member = await createPerson(ctx);
    await addMember(ctx, org.id, member.id, "admin");
    const other = await createCoalition(ctx);
    const otherCoordinator = await createPerson(ctx);
    await makeCoordinator(ctx, other.id, otherCoordinator.id);

    resend.state.failing = true;
    const to = `${unique("unlucky")}@example.org`;
    const id = await enqueueReset(ctx.db, to, coalition.id);
    const w = worker(ctx.db, emailTransport(ctx.deps));
    const delays: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await w.runOnce();
      expect(result.claimed).toBe(1);
      const row = await outboxRow(ctx.db, id);
      expect(row.attempts).toBe(attempt);
      expect(row.last_error).toContain("fake outage");
      if (attempt < MAX_ATTEMPTS) {
        expect(row.status).toBe("pending");
        // Not due again before its backoff: 30–60 s after the first failure, doubling after each.
        const ceiling = Math.min(3600, 60 * 2 ** (attempt - 1));
        expect(row.due_in).toBeGreaterThan(ceiling / 2 - 5);
        expect(row.due_in).toBeLessThanOrEqual(ceiling + 1);
        delays.push(row.due_in);
        expect((await w.runOnce()).claimed).toBe(0);
        await makeDue(ctx.db, id);
      } else {
        expect(row.status).toBe("dead");
      }
    }
    expect(delays.length).toBe(MAX_ATTEMPTS - 1);
    expect(delays[delays.length - 1]).toBeGreaterThan(delays[0] ?? Infinity);
    // Each attempt reached the provider with the same key; nothing after the dead state.
    await makeDue(ctx.db, id);
    expect((await w.runOnce()).claimed).toBe(0);
    const attempts = resend.requests.filter((r) => r.headers["idempotency-key"] === id);
    expect(attempts).toHaveLength(MAX_ATTEMPTS);

    const app = deadListApp(ctx);
    const as = async (person: { id: string }) => new TestClient(app as TestContext["app"], (await signInAs(ctx, person)).cookie);
    const path = `/api/coalitions/${coalition.id}/outbox/dead`;
    const list = await (await as(coordinator)).get<{ count: number; items: Record<string, unknown>[] }>(path);
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(1);
    expect(list.body.items).toEqual([
      {
        id,
        to,
        template: "password_reset",
        attempts: MAX_ATTEMPTS,
        lastError: expect.stringContaining("fake outage"),
        createdAt: expect.any(String),
      },
    ]);
    expect((await (await as(member)).get(path)).status).toBe(403);
    expect((await (await as(otherCoordinator)).get(path)).status).toBe(404);
    expect((await new TestClient(app as TestContext["app"]).get(path)).status).toBe(401);
    const otherList = await (await as(otherCoordinator)).get<{ count: number; items: unknown[] }>(
      `/api/coalitions/${other.id}/outbox/dead`,
    );
    expect(otherList.body).toEqual({ count: 0, items: [] });

    // The provider recovers: the dead email stays dead (visible), new emails go out.
    resend.state.failing = false;
    const next = await enqueueReset(ctx.db, `${unique("lucky")}@example.org`);
    expect((await w.runOnce()).sent).toBe(1);
    expect((await outboxRow(ctx.db, next)).status).toBe("sent");
    expect((await outboxRow(ctx.db, id)).status).toBe("dead");
  });

  it("counts an unreachable provider as a failed attempt", async () => {
    const unreachable = await buildTestApp({ email: { resendApiKey: "re_test_key", resendBaseUrl: "http://127.0.0.1:9", from: FROM } });
    const id = await enqueueReset(unreachable.db, `${unique("offline")}@example.org`);
    const result = await worker(unreachable.db, emailTransport(unreachable.deps)).runOnce();
    expect(result).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    expect(await outboxRow(unreachable.db, id)).toMatchObject({
      status: "pending",
      attempts: 1,
      last_error: expect.stringContaining("Unable to fetch"),
    });
  });
});
