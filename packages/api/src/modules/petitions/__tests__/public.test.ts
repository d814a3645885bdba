import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { translate } from "@samakki/shared/i18n/index";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import type { BigWorld } from "../../campaigns/__tests__/helpers.ts";
import { SITE_CSS } from "../../public-site/site.css.ts";
import { SIGN_LIMITS } from "../petitions.signing.ts";
import { createPowChallenge, solvePowChallenge } from "../pow.ts";
import { POW_WIDGET_JS } from "../pow-widget.ts";
import { linksFor, makePetition, type PetitionBody, petitionWorld, uniqueEmail } from "./helpers.ts";

/** The public pages, as a browser without JavaScript uses them: plain form posts, 303 after a post. */
describe("public petition pages", () => {
  let ctx: TestContext;
  let w: BigWorld;
  let coalitionSlug: string;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await petitionWorld(ctx);
    coalitionSlug = (await ctx.db.selectFrom("coalition").where("id", "=", w.coalition.id).select("slug").executeTakeFirstOrThrow()).slug;
  });

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  let address = 0;
  const post = (path: string, fields: Record<string, string>, ip = `192.0.2.${++address % 250}`) =>
    ctx.app.request(
      path,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "km" }, body: form(fields) },
      // The socket's address, as @hono/node-server passes it.
      { incoming: { socket: { remoteAddress: ip } } },
    );
  const get = (path: string) => ctx.app.request(path, { headers: { "accept-language": "km" } });

  it("shows the petition, and the same 404 for an unknown slug and for a campaign that is not public", async () => {
    const { campaign } = await makePetition(w);
    const hidden = await makePetition(w, {}, { visibility: "members" });
    const page = await get(`/coalitions/${coalitionSlug}/campaigns/${campaign.slug}/petition`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("ញត្តិការពារព្រៃឈើ");
    expect(html).toContain('method="post"');
    expect(html).toContain("<svg");
    const notPublic = await get(`/coalitions/${coalitionSlug}/campaigns/${hidden.campaign.slug}/petition`);
    const unknown = await get(`/coalitions/${coalitionSlug}/campaigns/no-such-campaign/petition`);
    expect(notPublic.status).toBe(404);
    expect(unknown.status).toBe(404);
    // The same page; only the address in its links differs.
    const missing = await unknown.text();
    expect((await notPublic.text()).replaceAll(hidden.campaign.slug, "x")).toBe(missing.replaceAll("no-such-campaign", "x"));
    // The public site's not-found page, in the page's language: not a statement's.
    const lang = missing.includes('lang="km"') ? "km" : "en";
    expect(missing).toContain(translate(lang, "publicSite.notFound.title"));
    expect(missing).not.toContain(translate(lang, "public.notFound"));
  });

  it("signs without JavaScript: 303 back to the page, a confirmation email in Khmer; the confirmation page confirms only on its button", async () => {
    const { campaign, path } = await makePetition(w);
    const pagePath = `/coalitions/${coalitionSlug}/campaigns/${campaign.slug}/petition`;
    const email = uniqueEmail();
    const res = await post(pagePath, { name: "សុខា", email, province: "KH-17", comment: "", showName: "on" });
    expect(res.status).toBe(303);
    // Its rate-limit counters name no address, only hashes (docs/security.md §6).
    const keys = await ctx.db.selectFrom("rate_limit").where("key", "like", "petition-%").select("key").execute();
    expect(keys.length).toBeGreaterThan(0);
    for (const { key } of keys) expect(key).toMatch(/^petition-(addr|addr-nojs|email):[0-9a-f]{64}$/);
    expect(res.headers.get("location")).toContain(`${pagePath}?lang=km&signed=1`);
    // Where it lands, the thanks stands in the form's place (#sign), with a way to sign for someone else.
    const landed = await (await get(`${pagePath}?lang=km&signed=1`)).text();
    expect(landed).toMatch(/id="sign"[^>]*>\s*<p class="notice" role="status">/);
    expect(landed).not.toContain('name="email"');
    expect(landed).toContain(translate("km", "petitions.public.signAnother"));
    const { confirm, mail } = await linksFor(ctx, email);
    expect(mail.language).toBe("km");
    // A mail scanner fetching the link changes nothing.
    const landing = await get(`/petitions/confirm/${confirm}`);
    expect(landing.status).toBe(200);
    expect(landing.headers.get("cache-control")).toBe("no-store");
    expect(await landing.text()).toContain("សុខា");
    expect((await w.clients.coordinator.get<PetitionBody>(path)).body.counts.online).toBe(0);
    const confirmed = await post(`/petitions/confirm/${confirm}`, {});
    expect(confirmed.status).toBe(200);
    expect((await w.clients.coordinator.get<PetitionBody>(path)).body.counts.online).toBe(1);
    // The link, used, no longer tells who signed (a forwarded email or a browser's history keeps it).
    const used = await get(`/petitions/confirm/${confirm}`);
    expect(used.status).toBe(200);
    expect(await used.text()).not.toContain("សុខា");
    // The name is shown (the signer agreed) and the count rose.
    const html = await (await get(pagePath)).text();
    expect(html).toContain("សុខា");
    expect(html).toContain("ហត្ថលេខាចំនួន ១");
    expect((await get("/petitions/confirm/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")).status).toBe(410);
  });

  it("answers a body it cannot read as a form with the form again (400), and an oversized one with 413; neither signs", async () => {
    const { campaign, petition } = await makePetition(w);
    const pagePath = `/coalitions/${coalitionSlug}/campaigns/${campaign.slug}/petition`;
    const signatures = async () =>
      Number(
        (
          await ctx.db
            .selectFrom("petition_signature")
            .where("petition_id", "=", petition.id)
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const fields = "name=Dara&email=dara%40example.org&province=KH-1";
    for (const contentType of ["multipart/form-data; boundary=x", "multipart/form-data"]) {
      const res = await ctx.app.request(
        pagePath,
        { method: "POST", headers: { "content-type": contentType, "accept-language": "km" }, body: fields },
        { incoming: { socket: { remoteAddress: "192.0.2.251" } } },
      );
      expect(res.status, contentType).toBe(400);
      const html = await res.text();
      expect(html).toContain(translate("km", "petitions.public.unreadable"));
      expect(html).toContain('method="post"');
    }
    // The limit's refusal is still its own, for a body streamed without a length too.
    const big = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`${fields}&comment=${"a".repeat(64 * 1024)}`));
        controller.close();
      },
    });
    const tooLarge = await ctx.app.request(
      pagePath,
      { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: big, duplex: "half" },
      { incoming: { socket: { remoteAddress: "192.0.2.252" } } },
    );
    expect(tooLarge.status).toBe(413);
    expect(await signatures()).toBe(0);
  });

  it("re-renders the form with the values kept and a message per field", async () => {
    const { campaign } = await makePetition(w);
    const pagePath = `/coalitions/${coalitionSlug}/campaigns/${campaign.slug}/petition`;
    const before = await ctx.db
      .selectFrom("petition_signature")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const res = await post(pagePath, { name: "Dara <b>", email: "not-an-email", province: "KH-99", comment: "" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('value="Dara &lt;b&gt;"');
    expect(html).toContain('value="not-an-email"');
    expect(html).toContain("សូមបញ្ចូលអាសយដ្ឋានអ៊ីមែលដែលត្រឹមត្រូវ។");
    expect(html).toContain("សូមជ្រើសរើសខេត្តរបស់អ្នក។");
    // These messages, not the browser's own bubbles (in the browser's language, and shown before any of
    // them): the form does not let the browser check it.
    expect(/<form[^>]*id="sign"[^>]*novalidate/.test(html)).toBe(true);
    // Sent back, the page opens at the form and its errors.
    expect(/<form[^>]*action="[^"]*#sign"/.test(html)).toBe(true);
    // For a screen reader: the title says first that something is wrong; the first field in error
    // (the email; the name is fine) takes the focus, and is described by its hint and its error.
    expect(html).toMatch(/<title>កំហុស៖ /);
    const tags = (id: string) => html.match(new RegExp(`<(?:input|select|textarea)[^>]*id="${id}"[^>]*>`))?.[0] ?? "";
    expect(tags("email")).toContain('aria-describedby="email-hint email-error"');
    expect(tags("email")).toMatch(/\sautofocus[\s=>]/);
    for (const other of ["name", "province", "comment"]) expect(tags(other), other).not.toContain("autofocus");
    expect(tags("province")).toContain('aria-describedby="province-error"');
    const after = await ctx.db
      .selectFrom("petition_signature")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("without a solved challenge a stricter limit per address applies; with one, the normal limit", async () => {
    const { campaign } = await makePetition(w);
    const pagePath = `/coalitions/${coalitionSlug}/campaigns/${campaign.slug}/petition`;
    const ip = "198.51.100.7";
    for (let i = 0; i < SIGN_LIMITS.addressWithoutPow; i++) {
      expect((await post(pagePath, { name: "A", email: uniqueEmail(), province: "KH-1" }, ip)).status).toBe(303);
    }
    const refused = await post(pagePath, { name: "A", email: uniqueEmail(), province: "KH-1" }, ip);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('value="A"');
    // With a solved challenge from the same address: accepted; the same solution again: refused.
    const altcha = solvePowChallenge(await createPowChallenge(ctx.db, new Date(), 300));
    expect((await post(pagePath, { name: "B", email: uniqueEmail(), province: "KH-1", altcha }, ip)).status).toBe(303);
    expect((await post(pagePath, { name: "B", email: uniqueEmail(), province: "KH-1", altcha }, ip)).status).toBe(400);
  });

  it("limits signatures per email address without saying whether it signed", async () => {
    const { campaign } = await makePetition(w);
    const pagePath = `/coalitions/${coalitionSlug}/campaigns/${campaign.slug}/petition`;
    const email = uniqueEmail();
    const answers: number[] = [];
    for (let i = 0; i <= SIGN_LIMITS.email; i++) answers.push((await post(pagePath, { name: "C", email, province: "KH-1" })).status);
    expect(answers).toEqual([...Array(SIGN_LIMITS.email).fill(303), 429]);
  });

  it("withdraws through the emailed link: a page with a button, then the signature is gone", async () => {
    const { campaign } = await makePetition(w);
    const pagePath = `/coalitions/${coalitionSlug}/campaigns/${campaign.slug}/petition`;
    const email = uniqueEmail();
    expect((await post(pagePath, { name: "Vanna", email, province: "KH-8" })).status).toBe(303);
    const { withdraw } = await linksFor(ctx, email);
    expect((await get(`/petitions/withdraw/${withdraw}`)).status).toBe(200);
    expect(await ctx.db.selectFrom("petition_signature").where("email_key", "=", email).select("id").execute()).toHaveLength(1);
    expect((await post(`/petitions/withdraw/${withdraw}`, {})).status).toBe(200);
    expect(await ctx.db.selectFrom("petition_signature").where("email_key", "=", email).select("id").execute()).toHaveLength(0);
    expect((await post(`/petitions/withdraw/${withdraw}`, {})).status).toBe(410);
  });

  it("the petition page in Khmer weighs under 60 KiB compressed with its stylesheet, script and Khmer font", async () => {
    const { campaign } = await makePetition(w);
    const pagePath = `/coalitions/${coalitionSlug}/campaigns/${campaign.slug}/petition`;
    for (let i = 0; i < 20; i++)
      await post(pagePath, { name: `Signer ${i}`, email: uniqueEmail(), province: i % 2 ? "KH-2" : "KH-17", showName: "on" });
    const html = await (await get(pagePath)).text();
    const font = readFileSync(
      createRequire(import.meta.url).resolve("@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-400-normal.woff2"),
    );
    const total = gzipSync(html).length + gzipSync(SITE_CSS).length + gzipSync(POW_WIDGET_JS).length + font.length;
    expect(total).toBeLessThan(60 * 1024);
  });

  it("serves a challenge that is never cached, and the widget script", async () => {
    const { campaign } = await makePetition(w);
    const res = await get(`/coalitions/${coalitionSlug}/campaigns/${campaign.slug}/petition/challenge`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { algorithm: string; maxnumber: number };
    expect(body.algorithm).toBe("SHA-256");
    const script = await get("/public/petition-pow.js");
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeLessThan(2048);
  });
});
