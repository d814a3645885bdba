import { Campaign } from "@samakki/shared/campaigns";
import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { type BigWorld, extendWorld, makeCampaign } from "./helpers.ts";

/** Two people editing one campaign (lib/if-match.ts): the second edit based on the same revision is refused and changes nothing. */
describe("campaign edits with If-Match", () => {
  let ctx: TestContext;
  let w: BigWorld;
  const row = (id: string) => ctx.db.selectFrom("campaign").where("id", "=", id).selectAll().executeTakeFirstOrThrow();
  const url = (id: string) => `${w.base}/campaigns/${id}`;

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
  });

  it("answers the revision as the ETag; an edit on it applies and moves it on", async () => {
    const campaign = await makeCampaign(w);
    expect(campaign.revision).toBe(1);
    const read = await w.clients.memberA.get(url(campaign.id));
    expect(read.headers.get("etag")).toBe('"1"');
    const edited = await w.clients.adminA.patch(url(campaign.id), { summary: "Clean water for all" }, { "if-match": '"1"' });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json(Campaign).revision).toBe(2);
    expect(edited.headers.get("etag")).toBe('"2"');
  });

  it("refuses an edit based on an old revision with 412 edit_conflict, and changes nothing (no audit event either)", async () => {
    const campaign = await makeCampaign(w);
    expect((await w.clients.coordinator.patch(url(campaign.id), { title: "Their title" }, { "if-match": '"1"' })).status).toBe(200);
    const before = await row(campaign.id);
    const audit = () => ctx.db.selectFrom("audit_event").where("target_id", "=", campaign.id).select("id").execute();
    const auditBefore = (await audit()).length;
    const stale = await w.clients.adminA.patch(url(campaign.id), { title: "My title", status: "active" }, { "if-match": '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.json(Problem).code).toBe("edit_conflict");
    expect(await row(campaign.id)).toEqual(before);
    expect((await audit()).length).toBe(auditBefore);
  });

  it("of edits sent at once on the same revision, exactly one applies", async () => {
    const campaign = await makeCampaign(w);
    const summaries = Array.from({ length: 5 }, (_, i) => `Summary ${i}`);
    const answers = await Promise.all(
      summaries.map((summary) => w.clients.coordinator.patch(url(campaign.id), { summary }, { "if-match": '"1"' })),
    );
    const applied = answers.flatMap((res, i) => (res.status === 200 ? [summaries[i]] : []));
    expect(applied).toHaveLength(1);
    expect(answers.filter((res) => res.status === 412)).toHaveLength(summaries.length - 1);
    expect(await row(campaign.id)).toMatchObject({ summary: applied[0], revision: 2 });
  });

  it("answers who may not edit before comparing revisions: 403 for a non-owner, 404 for another coalition", async () => {
    const campaign = await makeCampaign(w);
    await w.clients.coordinator.patch(url(campaign.id), { summary: "Moved on" });
    const before = await row(campaign.id);
    expect((await w.clients.adminB.patch(url(campaign.id), { summary: "Not ours" }, { "if-match": '"1"' })).status).toBe(403);
    expect((await w.clients.outsider.patch(url(campaign.id), { summary: "Not ours" }, { "if-match": '"1"' })).status).toBe(404);
    const ownPath = `/api/coalitions/${w.other.id}/campaigns/${campaign.id}`;
    expect((await w.clients.outsider.patch(ownPath, { summary: "Not ours" }, { "if-match": "*" })).status).toBe(404);
    expect(await row(campaign.id)).toEqual(before);
  });
});
