import { beforeAll, describe, expect, it } from "vitest";
import type { TestResponse } from "../../../../test/app.ts";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { expectInvalid } from "../../../../test/permissions.ts";
import { type BigWorld, type CampaignBody, extendWorld, makeCampaign } from "./helpers.ts";

/** Bad input on every campaign endpoint: 400 problem+json naming the fields, and the database unchanged. */
describe("campaign endpoints refuse bad input", () => {
  let ctx: TestContext;
  let w: BigWorld;
  let campaign: CampaignBody;
  let url: string;
  let metricUrl: string;
  let activityUrl: string;
  let contributionUrl: string;
  const NOPE = "00000000-0000-4000-8000-000000000000";

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
    campaign = await makeCampaign(w, { startsOn: "2026-12-01", endsOn: "2026-12-31" });
    url = `${w.base}/campaigns/${campaign.id}`;
    const metric = await w.clients.coordinator.post<{ id: string }>(`${url}/metrics`, { name: "Ribbons", unit: "ribbons", target: 100 });
    metricUrl = `${url}/metrics/${metric.body.id}`;
    const activity = await w.clients.coordinator.post<{ id: string }>(`${url}/activities`, {
      kind: "meeting",
      title: "Meeting",
      startsAt: "2026-12-01T09:00",
    });
    activityUrl = `${url}/activities/${activity.body.id}`;
    const contribution = await w.clients.adminA.post<{ id: string }>(`${metricUrl}/contributions`, {
      organisationId: w.orgA.id,
      amount: 10,
      date: "2026-12-01",
    });
    contributionUrl = `${metricUrl}/contributions/${contribution.body.id}`;
  });

  const campaignState = () => ctx.db.selectFrom("campaign").where("id", "=", campaign.id).selectAll().executeTakeFirst();
  const bad = (run: () => Promise<TestResponse>, paths: string[]) => expectInvalid(ctx, run, paths, campaignState);

  it("create", async () => {
    const post = (body: unknown) => () => w.clients.coordinator.post(`${w.base}/campaigns`, body);
    const ok = { title: "A campaign", ownerOrganisationIds: [w.orgA.id] };
    await bad(post({ ...ok, colour: "red" }), ["colour"]);
    await bad(post({ ...ok, title: 5 }), ["title"]);
    await bad(post({ ...ok, title: " " }), ["title"]);
    await bad(post({ title: "No owners" }), ["ownerOrganisationIds"]);
    await bad(post({ ...ok, ownerOrganisationIds: [] }), ["ownerOrganisationIds"]);
    await bad(post({ ...ok, ownerOrganisationIds: ["not-a-uuid"] }), ["ownerOrganisationIds.0"]);
    await bad(post({ ...ok, status: "finished" }), ["status"]);
    await bad(post({ ...ok, visibility: "secret" }), ["visibility"]);
    await bad(post({ ...ok, startsOn: "2026-02-30" }), ["startsOn"]);
    await bad(post({ ...ok, startsOn: "01/12/2026" }), ["startsOn"]);
    await bad(post({ ...ok, startsOn: "2026-12-10", endsOn: "2026-12-01" }), ["endsOn"]);
    await bad(post({ ...ok, slug: "Not A Slug" }), ["slug"]);
    // Organisations that are not (active or observer) members of this coalition.
    await bad(post({ ...ok, ownerOrganisationIds: [w.otherOrg.id] }), ["ownerOrganisationIds.0"]);
    await bad(post({ ...ok, ownerOrganisationIds: [w.suspendedOrg.id, w.orgA.id, NOPE] }), [
      "ownerOrganisationIds.0",
      "ownerOrganisationIds.2",
    ]);
    await bad(post({ ...ok, participantOrganisationIds: [w.orgB.id, w.otherOrg.id] }), ["participantOrganisationIds.1"]);
    await bad(post("[1, 2]"), [""]);
    const notJson = await w.clients.coordinator.post(`${w.base}/campaigns`, "{ title: ");
    expect(notJson.status).toBe(400);
  });

  it("edit and status", async () => {
    const patch = (body: unknown) => () => w.clients.adminA.patch(url, body);
    await bad(patch({}), [""]);
    await bad(patch({ title: "ok", owner: "me" }), ["owner"]);
    await bad(patch({ status: "deleted" }), ["status"]);
    await bad(patch({ visibility: true }), ["visibility"]);
    await bad(patch({ startsOn: "2027-01-15" }), ["endsOn"]);
    await bad(patch({ endsOn: "2026-11-01" }), ["endsOn"]);
    await bad(patch({ summary: "x".repeat(501) }), ["summary"]);
  });

  it("co-owners and participants", async () => {
    const put = (what: string, body: unknown) => () => w.clients.adminA.request("PUT", `${url}/${what}`, body);
    await bad(put("owners", { organisationIds: [] }), ["organisationIds"]);
    await bad(put("owners", {}), ["organisationIds"]);
    await bad(put("owners", { organisationIds: ["x"] }), ["organisationIds.0"]);
    await bad(put("owners", { organisationIds: [w.orgA.id, w.otherOrg.id] }), ["organisationIds.1"]);
    await bad(put("owners", { organisationIds: [w.orgA.id], extra: 1 }), ["extra"]);
    await bad(put("participants", { organisationIds: [w.suspendedOrg.id] }), ["organisationIds.0"]);
    // An organisation cannot be demoted from co-owner to participant through the participant list
    // (that would be a way around "at least one co-owner remains").
    await bad(put("participants", { organisationIds: [w.orgB.id, w.orgA.id] }), ["organisationIds.1"]);
    const owners = await ctx.db
      .selectFrom("campaign_organisation")
      .where("campaign_id", "=", campaign.id)
      .select(["organisation_id", "role"])
      .execute();
    expect(owners).toEqual([{ organisation_id: w.orgA.id, role: "owner" }]);
  });

  it("activities", async () => {
    const ok = {
      kind: "march",
      title: "March",
      startsAt: "2026-12-01T07:00",
      stages: [{ date: "2026-12-01", from: "Phnom Penh", to: "Skuon", distanceKm: 75.5 }],
    };
    for (const send of [
      (body: unknown) => () => w.clients.adminA.post(`${url}/activities`, body),
      (body: unknown) => () => w.clients.adminA.request("PUT", activityUrl, body),
    ]) {
      await bad(send({ ...ok, kind: "parade" }), ["kind"]);
      await bad(send({ ...ok, startsAt: "2026-12-01 07:00" }), ["startsAt"]);
      await bad(send({ ...ok, startsAt: "2026-12-01T07:00:00Z" }), ["startsAt"]);
      await bad(send({ ...ok, startsAt: "2026-13-01T07:00" }), ["startsAt"]);
      await bad(send({ ...ok, startsAt: "2026-02-30T07:00" }), ["startsAt"]);
      await bad(send({ ...ok, startsAt: "2026-12-01T24:30" }), ["startsAt"]);
      await bad(send({ ...ok, endsAt: "2026-12-01T06:59" }), ["endsAt"]);
      await bad(send({ ...ok, kind: "meeting" }), ["stages"]);
      await bad(send({ ...ok, stages: [{ date: "2026-12-01", from: "A", to: "B", distanceKm: -1 }] }), ["stages.0.distanceKm"]);
      await bad(send({ ...ok, stages: [{ date: "2026-12-32", from: "A", to: "B", distanceKm: 1 }] }), ["stages.0.date"]);
      await bad(send({ ...ok, stages: [{ date: "2026-12-01", from: "A", to: "B", distanceKm: "12" }] }), ["stages.0.distanceKm"]);
      await bad(send({ ...ok, stages: [{ date: "2026-12-01", from: "A", to: "B", distanceKm: 1, elevation: 3 }] }), ["stages.0.elevation"]);
      await bad(send({ ...ok, location: 42, priority: "high" }), ["location", "priority"]);
    }
  });

  it("metrics and contributions", async () => {
    const metric = (body: unknown) => () => w.clients.adminA.post(`${url}/metrics`, body);
    await bad(metric({ name: "" }), ["name"]);
    await bad(metric({ name: "Letters", target: -5 }), ["target"]);
    await bad(metric({ name: "Letters", target: 0 }), ["target"]);
    await bad(metric({ name: "Letters", target: 0.001 }), ["target"]);
    await bad(metric({ name: "Letters", target: "125" }), ["target"]);
    await bad(metric({ name: "Letters", goal: 125 }), ["goal"]);
    const contributionState = () => ctx.db.selectFrom("contribution").selectAll().orderBy("id").execute();
    const report = (body: unknown) => () => w.clients.adminA.post(`${metricUrl}/contributions`, body);
    const ok = { organisationId: w.orgA.id, amount: 5, date: "2026-12-02" };
    await expectInvalid(ctx, report({ ...ok, amount: -1 }), ["amount"], contributionState);
    await expectInvalid(ctx, report({ ...ok, amount: 0 }), ["amount"], contributionState);
    await expectInvalid(ctx, report({ ...ok, amount: 0.001 }), ["amount"], contributionState);
    await expectInvalid(ctx, report({ ...ok, amount: 1.005 }), ["amount"], contributionState);
    await expectInvalid(ctx, report({ ...ok, amount: "5" }), ["amount"], contributionState);
    await expectInvalid(ctx, report({ ...ok, date: "yesterday" }), ["date"], contributionState);
    await expectInvalid(ctx, report({ ...ok, organisationId: "org-a" }), ["organisationId"], contributionState);
    await expectInvalid(ctx, report({ ...ok, by: "me" }), ["by"], contributionState);
    // An organisation not involved in the campaign (orgB is neither co-owner nor participant).
    await expectInvalid(
      ctx,
      () => w.clients.adminB.post(`${metricUrl}/contributions`, { ...ok, organisationId: w.orgB.id }),
      ["organisationId"],
      contributionState,
    );
    const correct = (body: unknown) => () => w.clients.adminA.patch(contributionUrl, body);
    await expectInvalid(ctx, correct({}), [""], contributionState);
    await expectInvalid(ctx, correct({ amount: -3 }), ["amount"], contributionState);
    await expectInvalid(ctx, correct({ organisationId: w.orgB.id }), ["", "organisationId"], contributionState);
    await expectInvalid(ctx, correct({ date: "2026-12-99" }), ["date"], contributionState);
  });

  it("updates and list queries", async () => {
    const post = (body: unknown) => () => w.clients.memberA.post(`${url}/updates`, body);
    await bad(post({ body: "" }), ["body"]);
    await bad(post({ body: "   " }), ["body"]);
    // Only characters that show nothing: an update that looks empty on the public page.
    for (const invisible of ["\u200b\u200b", "\u200e\u200f", "\u17b4\u17b5"]) await bad(post({ body: invisible }), ["body"]);
    await bad(post({ body: 5 }), ["body"]);
    await bad(post({ body: "hi", pinned: true }), ["pinned"]);
    await bad(post({ body: "x".repeat(5001) }), ["body"]);
    const get = (query: string) => () => w.clients.memberA.get(`${w.base}/campaigns?${query}`);
    await bad(get("status=bogus"), ["query.status"]);
    await bad(get("limit=0"), ["query.limit"]);
    await bad(get("limit=abc"), ["query.limit"]);
    await bad(get("organisationId=nope"), ["query.organisationId"]);
    await bad(get("sort=title"), ["query.sort"]);
    await bad(() => w.clients.memberA.get(`${url}/updates?limit=500`), ["query.limit"]);
    // A cursor we did not issue is bad input (400), not "from the start", on both lists.
    for (const cursor of ["garbage", Buffer.from("2026-01-01T00:00:00.000Z|not-a-uuid").toString("base64url")]) {
      await bad(get(`cursor=${cursor}`), ["query.cursor"]);
      await bad(() => w.clients.memberA.get(`${url}/updates?cursor=${cursor}`), ["query.cursor"]);
    }
  });
});
