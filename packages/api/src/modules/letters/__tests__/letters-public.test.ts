import { createHash } from "node:crypto";
import { translate } from "@samakki/shared/i18n/index";
import { provinceName, provincesSorted } from "@samakki/shared/provinces";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { letterSection } from "../letters.public.tsx";
import { type ActionBody, letterCounts, makeAction, makeCampaign, makeTarget, type TargetBody, type World } from "./helpers.ts";

describe("the public letter page", () => {
  let ctx: TestContext;
  let w: World;
  let slug: string;
  let campaign: { id: string; slug: string };
  let action: ActionBody;
  let phnomPenh: TargetBody;
  let noEmail: TargetBody;
  let elsewhere: TargetBody;
  let path: string;

  beforeAll(async () => {
    ctx = await buildTestApp({ trustProxy: true });
    const world = await createWorld(ctx);
    w = { ...world, base: `/api/coalitions/${world.coalition.id}` };
    const row = await ctx.db.selectFrom("coalition").where("id", "=", w.coalition.id).select("slug").executeTakeFirstOrThrow();
    slug = row.slug;
    campaign = await makeCampaign(w, { visibility: "public" });
    phnomPenh = await makeTarget(w, { nameEn: "Sok Dara", nameKm: "សុខ ដារា", province: "KH-12", email: "dara@example.org" });
    noEmail = await makeTarget(w, { nameEn: "Keo Chenda", province: "KH-12", email: "" });
    elsewhere = await makeTarget(w, { nameEn: "Chan Sophea", province: "KH-3" });
    action = await makeAction(w, campaign.id, [phnomPenh.id, noEmail.id, elsewhere.id]);
    path = `/coalitions/${slug}/campaigns/${campaign.slug}/letter`;
  });

  it("lists a province's members of parliament, in Khmer and English, without JavaScript", async () => {
    const en = await ctx.anonymous().get(`${path}?province=KH-12&lang=en`);
    expect(en.status).toBe(200);
    expect(en.headers.get("content-type")).toContain("text/html");
    expect(en.text).toContain("Sok Dara");
    expect(en.text).toContain("Keo Chenda");
    expect(en.text).not.toContain("Chan Sophea");
    expect(en.text).toContain('<form method="get"');
    expect(en.text).not.toContain("<script");
    expect(en.text).toContain(`${path}/start?action=${action.id}&amp;target=${phnomPenh.id}`);
    // No email address, no mailto link (the print link stays).
    expect(en.text).not.toContain(`/start?action=${action.id}&amp;target=${noEmail.id}`);
    const km = await ctx.anonymous().get(`${path}?province=KH-12&lang=km`);
    expect(km.text).toContain("សុខ ដារា");
    // The provinces named and ordered as the petition names and orders them (@samakki/shared/provinces).
    expect(km.text).toContain(provinceName("KH-12", "km"));
    const listed = [...km.text.matchAll(/<option value="(KH-\d+)"/g)].map((m) => m[1]);
    expect(listed).toEqual(provincesSorted("km").map((p) => p.code));
    expect(km.text).toContain('lang="km"');
    // The link to the other language keeps the chosen letter and province.
    expect(km.text).toContain(`href="${path}?action=${action.id}&amp;province=KH-12&amp;lang=en"`);
  });

  it("offers no letter saved with its title alone (nothing to send yet), and each one written", async () => {
    const unfinished = await w.clients.coordinator.post<{ id: string }>(`${w.base}/campaigns/${campaign.id}/letter-actions`, {
      title: "Draft letter, not written yet",
      targetIds: [phnomPenh.id],
    });
    expect(unfinished.status, unfinished.text).toBe(201);
    const page = await ctx.anonymous().get(`${path}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("Draft letter, not written yet");
    expect(page.text).not.toContain(unfinished.body.id);
    expect((await ctx.anonymous().get(`${path}?action=${unfinished.body.id}&province=KH-12&lang=en`)).status).toBe(404);
    expect((await ctx.anonymous().get(`${path}/start?action=${unfinished.body.id}&target=${phnomPenh.id}`)).status).toBe(404);
    // Written in Khmer alone (its text: a subject is not needed), it is offered.
    const khmer = await w.clients.coordinator.patch(`${w.base}/campaigns/${campaign.id}/letter-actions/${unfinished.body.id}`, {
      bodyKm: "ជូនចំពោះ {name}",
    });
    expect(khmer.status, khmer.text).toBe(200);
    expect((await ctx.anonymous().get(`${path}?action=${unfinished.body.id}&province=KH-12&lang=km`)).status).toBe(200);
  });

  it("asked without a province, says to choose one, on the field, in the page's language", async () => {
    const opened = await ctx.anonymous().get(`${path}?lang=km`);
    expect(opened.text).not.toContain('aria-invalid="true"');
    const asked = await ctx.anonymous().get(`${path}?action=${action.id}&province=&lang=km`);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('aria-invalid="true"');
    expect(asked.text).toContain(translate("km", "publicLetters.provinceInvalid"));
    // The choice takes the focus and is described by the message; the title says something is wrong.
    const select = asked.text.match(/<select[^>]*id="province"[^>]*>/)?.[0] ?? "";
    expect(select).toMatch(/\sautofocus[\s=>]/);
    expect(select).toContain('aria-describedby="province-error"');
    expect(asked.text).toContain('id="province-error"');
    expect(asked.text).toMatch(/<title>កំហុស៖ /);
    expect(opened.text).not.toMatch(/autofocus|<title>កំហុស/);
    // Not the API's message, which names the provinces by their codes (KH-1 to KH-25): the page offers their names.
    expect(asked.text).not.toContain(translate("km", "validation.province"));
  });

  it("counts a letter started per action and day, stores nothing about the visitor, and redirects to mailto:", async () => {
    const before = await letterCounts(ctx);
    const res = await ctx.anonymous().get(`${path}/start?action=${action.id}&target=${phnomPenh.id}&lang=en`);
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location.startsWith("mailto:dara@example.org?subject=")).toBe(true);
    expect(decodeURIComponent(location)).toContain("Dear Sok Dara, please support the bill.");
    await ctx.anonymous().get(`${path}/start?action=${action.id}&target=${phnomPenh.id}&lang=km`);
    const after = await letterCounts(ctx);
    // One counter row for the day, and nothing else anywhere (no audit, no notification).
    expect(after).toEqual({ ...before, letter_start_count: (before.letter_start_count ?? 0) + 1 });
    const counter = await ctx.db.selectFrom("letter_start_count").where("action_id", "=", action.id).selectAll().execute();
    expect(counter.map((c) => c.count)).toEqual([2]);
    expect(Object.keys(counter[0] ?? {}).sort()).toEqual(["action_id", "count", "day"]);
    const page = await ctx.anonymous().get(`${path}?lang=en`);
    expect(page.text).toContain("2 letters started from this page");
    const members = await w.clients.adminA.get<ActionBody[]>(`${w.base}/campaigns/${campaign.id}/letter-actions`);
    expect(members.body[0]?.started).toBe(2);
  });

  it("one address adds at most 20 an hour to the public count; the link keeps working, and others still count", async () => {
    const fresh = await makeAction(w, campaign.id, [phnomPenh.id]);
    const startKeys = () => ctx.db.selectFrom("rate_limit").where("key", "like", "letter-start:%").select("key").execute();
    const before = await startKeys();
    const start = (address: string) =>
      ctx.anonymous().get(`${path}/start?action=${fresh.id}&target=${phnomPenh.id}&lang=en`, { "x-forwarded-for": address });
    const answers = await Promise.all(Array.from({ length: 25 }, () => start("198.51.100.7")));
    expect(answers.every((r) => r.status === 303 && r.headers.get("location")?.startsWith("mailto:"))).toBe(true);
    expect((await start("198.51.100.8")).status).toBe(303);
    const counter = await ctx.db.selectFrom("letter_start_count").where("action_id", "=", fresh.id).select("count").execute();
    expect(counter.map((c) => c.count)).toEqual([21]);
    // Its counters name no address and no letter, only keyed hashes (the key lives in memory alone:
    // docs/security.md §16); the two addresses are two counters.
    const keys = await startKeys();
    expect(keys.length - before.length).toBe(2);
    for (const { key } of keys) expect(key).toMatch(/^letter-start:[0-9a-f]{64}$/);
    const plain = (address: string) => `letter-start:${createHash("sha256").update(`${fresh.id}\n${address}`).digest("hex")}`;
    expect(keys.map((k) => k.key)).not.toContain(plain("198.51.100.7"));
  });

  it("answers 404 for a members-only campaign, an unknown slug, a target not on the letter, and counts nothing", async () => {
    const hidden = await makeCampaign(w);
    await makeAction(w, hidden.id, [phnomPenh.id]);
    const before = await letterCounts(ctx);
    for (const url of [
      `/coalitions/${slug}/campaigns/${hidden.slug}/letter`,
      `/coalitions/${slug}/campaigns/no-such-campaign/letter`,
      `/coalitions/no-such-coalition/campaigns/${campaign.slug}/letter`,
      `${path}?action=not-a-uuid`,
      `${path}/start?action=${action.id}&target=${w.orgA.id}`,
      `${path}/start?action=${action.id}&target=${noEmail.id}`,
    ]) {
      const res = await ctx.anonymous().get(url);
      expect(res.status, url).toBe(404);
    }
    expect(await letterCounts(ctx)).toEqual(before);
  });

  it("renders a printable letter and a section for the campaign page", async () => {
    const print = await ctx.anonymous().get(`${path}?action=${action.id}&target=${elsewhere.id}&lang=en`);
    expect(print.status).toBe(200);
    expect(print.text).toContain("Dear Chan Sophea, please support the bill.");
    // In Khmer, from its link: the same letter to the same person.
    expect(print.text).toContain(`href="${path}?action=${action.id}&amp;target=${elsewhere.id}&amp;lang=km"`);
    const section = await letterSection.render({
      db: ctx.db,
      lang: "en",
      coalition: { id: w.coalition.id, slug, name: "x", timeZone: "Asia/Phnom_Penh" },
      campaign: { id: campaign.id, slug: campaign.slug, title: "x" },
      basePath: `/coalitions/${slug}/campaigns/${campaign.slug}`,
    });
    const html = String(await section?.toString());
    expect(html).toContain(`${path}?lang=en`);
    expect(html).toContain("Write to your members of parliament");
  });
});
