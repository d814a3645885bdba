import type { Activity, CampaignSummary, Metric } from "@samakki/shared/campaigns";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext, type TestResponse } from "../../../../test/app.ts";
import {
  addMember,
  createCoalition,
  createOrganisation,
  createPerson,
  createWorld,
  makeCoordinator,
  signInAs,
  unique,
} from "../../../../test/factories/index.ts";
import { expectInvalid, snapshotCounts } from "../../../../test/permissions.ts";
import { type BigWorld, type CampaignBody, extendWorld, makeCampaign } from "./helpers.ts";

type Page = { items: CampaignSummary[]; nextCursor: string | null };
type ActivityBody = Activity;
type MetricBody = Metric;

describe("campaigns", () => {
  let ctx: TestContext;
  let w: BigWorld;

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
  });

  /** Give these campaigns one updated_at, so that pages must part inside the tie (by id). */
  async function setUpdatedAt(ids: string[], at: string) {
    await ctx.db
      .updateTable("campaign")
      .set({ updated_at: new Date(at) })
      .where("id", "in", ids)
      .execute();
  }

  /** Every page of a campaign list, following nextCursor. */
  async function walk(query: string, limit: number) {
    const seen: Page["items"] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const res: TestResponse<Page> = await w.clients.memberA.get<Page>(
        `${w.base}/campaigns?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return seen;
  }

  it("stores the fields, renders the description through the sanitiser and keeps the visibility flag", async () => {
    const c = await makeCampaign(w, {
      title: "Free expression week",
      visibility: "public",
      status: "active",
      goals: "Release the detained journalists",
      startsOn: "2026-12-01",
      endsOn: "2026-12-10",
      description:
        '# Goals\n\n[click](javascript:alert(1)) <img src=x onerror="alert(2)"> <script>alert(3)</script> **strong** [site](https://example.org)',
    });
    const got = await w.clients.observer.get<
      CampaignBody & { visibility: string; descriptionHtml: string; goals: string; startsOn: string; endsOn: string }
    >(`${w.base}/campaigns/${c.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      visibility: "public",
      status: "active",
      goals: "Release the detained journalists",
      startsOn: "2026-12-01",
      endsOn: "2026-12-10",
      canEdit: false,
    });
    const html = got.body.descriptionHtml;
    expect(html).toContain("<h1>Goals</h1>");
    expect(html).toContain("<strong>strong</strong>");
    expect(html).toContain('href="https://example.org"');
    expect(html).not.toMatch(/<script|onerror|javascript:|<img/i);
    const row = await ctx.db.selectFrom("campaign").where("id", "=", c.id).select(["visibility", "slug"]).executeTakeFirstOrThrow();
    expect(row).toEqual({ visibility: "public", slug: "free-expression-week" });
  });

  it("slugs are unique within a coalition (409 slug_taken), free across coalitions, and generated ones never clash", async () => {
    const slug = unique("ribbons").toLowerCase();
    await makeCampaign(w, { slug });
    const before = await snapshotCounts(ctx);
    const again = await w.clients.coordinator.post<{ code: string; errors: { path: string }[] }>(`${w.base}/campaigns`, {
      title: "Another",
      slug,
      ownerOrganisationIds: [w.orgA.id],
    });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    expect(again.body.code).toBe("slug_taken");
    expect(again.body.errors.map((e) => e.path)).toEqual(["slug"]);
    expect(await snapshotCounts(ctx)).toEqual(before);
    const other = await makeCampaign(w);
    const renamed = await w.clients.adminA.patch<{ code: string }>(`${w.base}/campaigns/${other.id}`, { slug });
    expect(renamed.status).toBe(409);
    expect(renamed.body.code).toBe("slug_taken");
    // The other coalition may use the same slug.
    const theirs = await w.clients.outsider.post(`/api/coalitions/${w.other.id}/campaigns`, {
      title: "Theirs",
      slug,
      ownerOrganisationIds: [w.otherOrg.id],
    });
    expect(theirs.status).toBe(201);
    // Two campaigns with the same title and no slug: the second gets a slug of its own.
    const title = unique("Same title");
    const first = await makeCampaign(w, { title });
    const second = await makeCampaign(w, { title });
    expect(second.slug).not.toBe(first.slug);
    expect(second.slug.startsWith(first.slug)).toBe(true);
  });

  it("lists with filters (status, organisation involved, text on title and summary) and keyset pagination", async () => {
    const token = unique("zq")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "");
    const a = await makeCampaign(w, { title: `Ribbons ${token}`, status: "active" });
    const b = await makeCampaign(w, {
      title: "Letters to MPs",
      summary: `About ${token.toUpperCase()} letters`,
      ownerOrganisationIds: [w.orgB.id],
      participantOrganisationIds: [w.orgA.id],
    });
    const c = await makeCampaign(w, { title: `March ${token}`, ownerOrganisationIds: [w.orgB.id], status: "paused" });
    const d = await makeCampaign(w, { title: `Archived ${token}`, status: "archived" });
    await makeCampaign(w, { title: "Unrelated" });
    const ids = (p: Page) => p.items.map((i) => i.id).sort();
    const list = (q: string) => w.clients.memberA.get<Page>(`${w.base}/campaigns?${q}`).then((r) => r.body);
    expect(ids(await list(`q=${token}`))).toEqual([a.id, b.id, c.id].sort());
    expect(ids(await list(`q=${token}&status=active`))).toEqual([a.id]);
    expect(ids(await list(`q=${token}&status=archived`))).toEqual([d.id]);
    // Involved = co-owner or participant.
    expect(ids(await list(`q=${token}&organisationId=${w.orgA.id}`))).toEqual([a.id, b.id].sort());
    expect(ids(await list(`q=${token}&organisationId=${w.orgB.id}`))).toEqual([b.id, c.id].sort());
    expect(ids(await list(`q=${encodeURIComponent(`march ${token}`)}`))).toEqual([c.id]);
    // LIKE wildcards in the search are literal.
    expect((await list("q=%25")).items).toEqual([]);
    expect((await list(`q=${token.slice(0, 3)}_`)).items).toEqual([]);

    // Pagination: several campaigns share one updated_at; every one appears exactly once, in order.
    const same = [];
    for (let i = 0; i < 7; i++) same.push(await makeCampaign(w, { title: `Page ${token} ${i}` }));
    await setUpdatedAt(
      same.slice(0, 5).map((x) => x.id),
      "2026-11-01T00:00:00.000Z",
    );
    const all = await walk(`q=${encodeURIComponent(`page ${token}`)}`, 2);
    expect(all.map((x) => x.id).sort()).toEqual(same.map((x) => x.id).sort());
    expect(new Set(all.map((x) => x.id)).size).toBe(7);
    const keys = all.map((x) => `${x.updatedAt}|${x.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
  });

  it("combines every filter with the cursor: status, organisation involved, text and keyset pages together", async () => {
    const token = unique("zc")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "");
    const wanted = [
      await makeCampaign(w, { title: `Vigil ${token}`, status: "active" }),
      await makeCampaign(w, { title: `Petition ${token}`, status: "active" }),
      await makeCampaign(w, {
        title: "Letters",
        summary: `Letters ${token}`,
        status: "active",
        ownerOrganisationIds: [w.orgB.id],
        participantOrganisationIds: [w.orgA.id],
      }),
      await makeCampaign(w, { title: `Forum ${token}`, status: "active" }),
    ];
    // Each misses one filter.
    await makeCampaign(w, { title: `Paused ${token}`, status: "paused" });
    await makeCampaign(w, { title: `Elsewhere ${token}`, status: "active", ownerOrganisationIds: [w.orgB.id] });
    await makeCampaign(w, { title: "Unrelated", status: "active" });
    // Three share one updated_at, so the pages part inside a tie (the id decides).
    await setUpdatedAt(
      wanted.slice(0, 3).map((c) => c.id),
      "2026-10-01T00:00:00.000Z",
    );
    const query = `q=${token}&status=active&organisationId=${w.orgA.id}`;
    for (const limit of [1, 2]) {
      const all = await walk(query, limit);
      expect(all.map((c) => c.id).sort()).toEqual(wanted.map((c) => c.id).sort());
      const keys = all.map((c) => `${c.updatedAt}|${c.id}`);
      expect(keys).toEqual([...keys].sort().reverse());
    }
    // The organisations come with each campaign on every page.
    const page = await w.clients.memberA.get<Page>(`${w.base}/campaigns?${query}&limit=4`);
    const letters = page.body.items.find((c) => c.id === wanted[2]?.id);
    expect(letters?.owners.map((o) => o.id)).toEqual([w.orgB.id]);
    expect(page.body.items.filter((c) => c.id !== wanted[2]?.id).every((c) => c.owners.map((o) => o.id).join() === w.orgA.id)).toBe(true);
  });

  it("co-owners: at least one remains, even with concurrent removals; new co-owners' admins are notified", async () => {
    const c = await makeCampaign(w, { ownerOrganisationIds: [w.orgA.id, w.orgB.id] });
    const notes = async (personId: string) =>
      ctx.db
        .selectFrom("notification")
        .where("person_id", "=", personId)
        .where("kind", "=", "campaign_co_owner")
        .where("link", "like", `%${c.id}`)
        .select("params")
        .execute();
    // Creation told the admins of both co-owners (not plain members, not the coordinator who did it).
    expect(await notes(w.people.adminA.id)).toHaveLength(1);
    expect(await notes(w.people.adminA2.id)).toHaveLength(1);
    expect(await notes(w.people.adminB.id)).toHaveLength(1);
    expect(await notes(w.people.memberA.id)).toHaveLength(0);
    const url = `${w.base}/campaigns/${c.id}/owners`;
    const ownersOf = async () =>
      (
        await ctx.db
          .selectFrom("campaign_organisation")
          .where("campaign_id", "=", c.id)
          .where("role", "=", "owner")
          .select("organisation_id")
          .execute()
      )
        .map((r) => r.organisation_id)
        .sort();
    await expectInvalid(ctx, () => w.clients.adminA.request("PUT", url, { organisationIds: [] }), ["organisationIds"], ownersOf);
    // Adding the observer organisation notifies its admin; orgA keeps no second notification.
    const added = await w.clients.adminA.request<CampaignBody>("PUT", url, { organisationIds: [w.orgA.id, w.orgB.id, w.observerOrg.id] });
    expect(added.status).toBe(200);
    expect(added.body.owners).toHaveLength(3);
    expect(await notes(w.people.observer.id)).toHaveLength(1);
    expect(await notes(w.people.adminA.id)).toHaveLength(1);
    // Two requests at once, each leaving a different single co-owner: one wins, never zero.
    for (let round = 0; round < 5; round++) {
      await w.clients.coordinator.request("PUT", url, { organisationIds: [w.orgA.id, w.orgB.id] });
      const [one, two] = await Promise.all([
        w.clients.coordinator.request("PUT", url, { organisationIds: [w.orgA.id] }),
        w.clients.coordinator.request("PUT", url, { organisationIds: [w.orgB.id] }),
      ]);
      expect([one.status, two.status]).toEqual([200, 200]);
      const owners = await ownersOf();
      expect(owners).toHaveLength(1);
      expect([[w.orgA.id], [w.orgB.id]]).toContainEqual(owners);
    }
    // A participant promoted to co-owner stops being a participant.
    await w.clients.coordinator.request("PUT", url, { organisationIds: [w.orgA.id] });
    await w.clients.coordinator.request("PUT", `${w.base}/campaigns/${c.id}/participants`, { organisationIds: [w.orgB.id] });
    const promoted = await w.clients.coordinator.request<CampaignBody>("PUT", url, { organisationIds: [w.orgA.id, w.orgB.id] });
    expect(promoted.body.owners.map((o) => o.id).sort()).toEqual([w.orgA.id, w.orgB.id].sort());
    expect(promoted.body.participants).toEqual([]);
    // Removing a co-owner takes away its people's rights to edit.
    await w.clients.coordinator.request("PUT", url, { organisationIds: [w.orgB.id] });
    expect((await w.clients.adminA.patch(`${w.base}/campaigns/${c.id}`, { title: "Not mine any more" })).status).toBe(403);
  });

  it("activities: local times in the coalition's zone, marches with ordered stages and a total distance, .ics in UTC", async () => {
    const c = await makeCampaign(w, { title: "Long march" });
    const url = `${w.base}/campaigns/${c.id}/activities`;
    const march = await w.clients.adminA.post<ActivityBody>(url, {
      kind: "march",
      title: "Phnom Penh to Angkor Wat",
      startsAt: "2026-12-01T07:00",
      endsAt: "2026-12-21T18:30",
      stages: [
        { date: "2026-12-01", from: "Phnom Penh", to: "Skuon", distanceKm: 75.55 },
        { date: "2026-12-02", from: "Skuon", to: "Kampong Thom", distanceKm: 88.1 },
        { date: "2026-12-03", from: "Kampong Thom", to: "Siem Reap", distanceKm: 150.35 },
      ],
    });
    expect(march.status, march.text).toBe(201);
    expect(march.body.startsAt).toBe("2026-12-01T07:00");
    expect(march.body.endsAt).toBe("2026-12-21T18:30");
    expect(march.body.stages.map((s) => [s.position, s.from])).toEqual([
      [1, "Phnom Penh"],
      [2, "Skuon"],
      [3, "Kampong Thom"],
    ]);
    expect(march.body.totalDistanceKm).toBe(314);
    const stored = await ctx.db
      .selectFrom("activity")
      .where("id", "=", march.body.id)
      .select(["starts_at", "ends_at"])
      .executeTakeFirstOrThrow();
    expect(stored.starts_at.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(stored.ends_at?.toISOString()).toBe("2026-12-21T11:30:00.000Z");
    const listed = await w.clients.observer.get<ActivityBody[]>(url);
    expect(listed.body.map((a) => a.startsAt)).toEqual(["2026-12-01T07:00"]);
    const ics = await w.clients.memberA.get(`${url}.ics`);
    expect(ics.headers.get("content-type")).toContain("text/calendar");
    expect(ics.text).toContain("DTSTART:20261201T000000Z");
    expect(ics.text).toContain("DTEND:20261221T113000Z");
    expect(ics.text).toContain("SUMMARY:Phnom Penh to Angkor Wat");

    // Replacing the activity replaces its stages; a march turned into a meeting has none.
    const moved = await w.clients.adminA.request<ActivityBody>("PUT", `${url}/${march.body.id}`, {
      kind: "march",
      title: "Shorter march",
      startsAt: "2026-12-02T06:15",
      stages: [
        { date: "2026-12-02", from: "Siem Reap", to: "Angkor Wat", distanceKm: 7.2 },
        { date: "2026-12-02", from: "Angkor Wat", to: "Bayon", distanceKm: 1.8 },
      ],
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.stages.map((s) => s.from)).toEqual(["Siem Reap", "Angkor Wat"]);
    expect(moved.body.totalDistanceKm).toBe(9);
    expect(moved.body.endsAt).toBeNull();
    const meeting = await w.clients.adminA.request<ActivityBody>("PUT", `${url}/${march.body.id}`, {
      kind: "meeting",
      title: "Debrief",
      startsAt: "2026-12-02T06:15",
    });
    expect(meeting.body.stages).toEqual([]);
    expect(await ctx.db.selectFrom("march_stage").where("activity_id", "=", march.body.id).select("position").execute()).toEqual([]);
    // An activity of another campaign is not reachable through this one.
    const otherCampaign = await makeCampaign(w);
    expect(
      (
        await w.clients.adminA.request("PUT", `${w.base}/campaigns/${otherCampaign.id}/activities/${march.body.id}`, {
          kind: "meeting",
          title: "Hijack",
          startsAt: "2026-12-02T06:15",
        })
      ).status,
    ).toBe(404);
  });

  it("an activity saved unchanged writes nothing; a change is written", async () => {
    const c = await makeCampaign(w);
    const url = `${w.base}/campaigns/${c.id}/activities`;
    const body = {
      kind: "march",
      title: "Walk for the river",
      startsAt: "2030-03-01T07:00",
      endsAt: "2030-03-02T17:00",
      location: "Phnom Penh",
      description: "Bring water.",
      stages: [
        { date: "2030-03-01", from: "Phnom Penh", to: "Kandal", distanceKm: 12.5 },
        { date: "2030-03-02", from: "Kandal", to: "Takeo", distanceKm: 20 },
      ],
    };
    const created = await w.clients.coordinator.post<Activity>(url, body);
    expect(created.status, created.text).toBe(201);
    const campaignRow = () => ctx.db.selectFrom("campaign").where("id", "=", c.id).select("updated_at").executeTakeFirstOrThrow();
    const stageRows = () =>
      ctx.db.selectFrom("march_stage").where("activity_id", "=", created.body.id).selectAll().orderBy("position").execute();
    const before = { campaign: await campaignRow(), stages: await stageRows() };
    const again = await w.clients.coordinator.request<Activity>("PUT", `${url}/${created.body.id}`, body);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual(created.body);
    expect({ campaign: await campaignRow(), stages: await stageRows() }).toEqual(before);
    const moved = await w.clients.coordinator.request<Activity>("PUT", `${url}/${created.body.id}`, {
      ...body,
      stages: body.stages.slice(0, 1),
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.stages).toHaveLength(1);
    expect((await campaignRow()).updated_at.getTime()).toBeGreaterThanOrEqual(before.campaign.updated_at.getTime());
    expect(await stageRows()).toHaveLength(1);
  });

  it("a coalition in another time zone reads its own local times", async () => {
    const coalition = await createCoalition(ctx, { timeZone: "America/New_York" });
    const org = await createOrganisation(ctx, coalition.id);
    const coordinator = await createPerson(ctx);
    await addMember(ctx, org.id, coordinator.id, "admin");
    await makeCoordinator(ctx, coalition.id, coordinator.id);
    const client = await signInAs(ctx, coordinator);
    const base = `/api/coalitions/${coalition.id}`;
    const c = await client.post<{ id: string }>(`${base}/campaigns`, { title: "Vigil", ownerOrganisationIds: [org.id] });
    // Winter (EST, UTC-5) and summer (EDT, UTC-4).
    const winter = await client.post<ActivityBody>(`${base}/campaigns/${c.body.id}/activities`, {
      kind: "demonstration",
      title: "Winter vigil",
      startsAt: "2026-12-01T07:00",
    });
    const summer = await client.post<ActivityBody>(`${base}/campaigns/${c.body.id}/activities`, {
      kind: "demonstration",
      title: "Summer vigil",
      startsAt: "2026-07-01T07:00",
    });
    expect([winter.body.startsAt, summer.body.startsAt]).toEqual(["2026-12-01T07:00", "2026-07-01T07:00"]);
    const rows = await ctx.db
      .selectFrom("activity")
      .where("id", "in", [winter.body.id, summer.body.id])
      .select(["title", "starts_at"])
      .orderBy("starts_at")
      .execute();
    expect(rows.map((r) => r.starts_at.toISOString())).toEqual(["2026-07-01T11:00:00.000Z", "2026-12-01T12:00:00.000Z"]);
    const ics = await client.get(`${base}/campaigns/${c.body.id}/activities.ics`);
    expect(ics.text).toContain("DTSTART:20261201T120000Z");
    expect(ics.text).toContain("DTSTART:20260701T110000Z");
  });

  it("metrics: 100 concurrent contributions from several organisations sum exactly, with exact shares", async () => {
    const c = await makeCampaign(w, { participantOrganisationIds: [w.orgB.id, w.secretariat.id, w.observerOrg.id] });
    const metric = await w.clients.adminA.post<MetricBody>(`${w.base}/campaigns/${c.id}/metrics`, {
      name: "Ribbons distributed",
      unit: "ribbons",
      target: 100000,
    });
    expect(metric.status).toBe(201);
    const url = `${w.base}/campaigns/${c.id}/metrics/${metric.body.id}/contributions`;
    const reporters = [
      { client: w.clients.adminA, org: w.orgA.id },
      { client: w.clients.memberA, org: w.orgA.id },
      { client: w.clients.adminA2, org: w.orgA.id },
      { client: w.clients.adminB, org: w.orgB.id },
      { client: w.clients.memberB, org: w.orgB.id },
      { client: w.clients.coordinator, org: w.secretariat.id },
      { client: w.clients.observer, org: w.observerOrg.id },
    ];
    const expected = new Map<string, number>();
    const requests = Array.from({ length: 100 }, (_, i) => {
      const r = reporters[i % reporters.length];
      if (!r) throw new Error("no reporter");
      // Cents on purpose: 0.1 + 0.2 style float drift must not show.
      const cents = 1000 + i * 7 + (i % 3 === 0 ? 10 : 0) + (i % 10) * 11;
      expected.set(r.org, (expected.get(r.org) ?? 0) + cents);
      return r.client.post(url, { organisationId: r.org, amount: cents / 100, date: "2026-12-01", note: `batch ${i}` });
    });
    const results = await Promise.all(requests);
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(201));
    const totalCents = [...expected.values()].reduce((a, b) => a + b, 0);
    const metrics = await w.clients.memberA.get<MetricBody[]>(`${w.base}/campaigns/${c.id}/metrics`);
    const m = metrics.body[0];
    expect(m?.total).toBe(totalCents / 100);
    expect(m?.progress).toBe(totalCents / 100 / 100000);
    expect(Object.fromEntries((m?.shares ?? []).map((s) => [s.organisation.id, s.amount]))).toEqual(
      Object.fromEntries([...expected].map(([org, cents]) => [org, cents / 100])),
    );
    const revisions = await ctx.db
      .selectFrom("contribution_revision as r")
      .innerJoin("contribution as c", "c.id", "r.contribution_id")
      .where("c.metric_id", "=", metric.body.id)
      .select("r.revision")
      .execute();
    expect(revisions).toHaveLength(100);
  });

  it("a contribution is corrected by its own organisation (or a coordinator) only, and every version stays in the history", async () => {
    const c = await makeCampaign(w, { participantOrganisationIds: [w.orgB.id] });
    const metric = await w.clients.coordinator.post<MetricBody>(`${w.base}/campaigns/${c.id}/metrics`, {
      name: "Letters delivered to MPs",
      target: 125,
    });
    const url = `${w.base}/campaigns/${c.id}/metrics/${metric.body.id}/contributions`;
    const first = await w.clients.memberA.post<{ id: string }>(url, {
      organisationId: w.orgA.id,
      amount: 10,
      date: "2026-12-01",
      note: "first batch",
    });
    await w.clients.adminB.post(url, { organisationId: w.orgB.id, amount: 5, date: "2026-12-01" });
    // Someone of orgB cannot correct orgA's report; a person cannot report for an organisation not theirs.
    // (Coordinators can, on the organisation's behalf: campaign-permissions.test.ts.)
    const state = () => ctx.db.selectFrom("contribution").where("id", "=", first.body.id).selectAll().executeTakeFirst();
    const before = await state();
    expect((await w.clients.adminB.patch(`${url}/${first.body.id}`, { amount: 1 })).status).toBe(403);
    expect((await w.clients.adminB.post(url, { organisationId: w.orgA.id, amount: 1, date: "2026-12-01" })).status).toBe(403);
    expect(await state()).toEqual(before);
    // A contribution of another metric is not reachable through this one.
    const otherMetric = await w.clients.coordinator.post<MetricBody>(`${w.base}/campaigns/${c.id}/metrics`, { name: "Other" });
    expect(
      (
        await w.clients.adminA.patch(`${w.base}/campaigns/${c.id}/metrics/${otherMetric.body.id}/contributions/${first.body.id}`, {
          amount: 1,
        })
      ).status,
    ).toBe(404);

    expect((await w.clients.adminA.patch(`${url}/${first.body.id}`, { amount: 12.5 })).status).toBe(204);
    expect((await w.clients.memberA.patch(`${url}/${first.body.id}`, { date: "2026-12-02", note: "recounted" })).status).toBe(204);
    const revisions = await ctx.db
      .selectFrom("contribution_revision")
      .where("contribution_id", "=", first.body.id)
      .select(["revision", "amount", "contributed_on", "note", "changed_by"])
      .orderBy("revision")
      .execute();
    expect(revisions.map((r) => [r.revision, Number(r.amount), r.contributed_on, r.note, r.changed_by])).toEqual([
      [1, 10, "2026-12-01", "first batch", w.people.memberA.id],
      [2, 12.5, "2026-12-01", "first batch", w.people.adminA.id],
      [3, 12.5, "2026-12-02", "recounted", w.people.memberA.id],
    ]);
    const list = await w.clients.observer.get<{ id: string; amount: number; corrected: boolean }[]>(url);
    expect(list.body.find((x) => x.id === first.body.id)).toMatchObject({ amount: 12.5, corrected: true });
    const metrics = await w.clients.observer.get<MetricBody[]>(`${w.base}/campaigns/${c.id}/metrics`);
    expect(metrics.body.find((x) => x.id === metric.body.id)?.total).toBe(17.5);
    const audit = await ctx.db
      .selectFrom("audit_event")
      .where("target_id", "=", metric.body.id)
      .where("action", "=", "metric.contribution_corrected")
      .select("id")
      .execute();
    expect(audit).toHaveLength(2);
  });

  it("updates: posted by members, listed newest first with pagination, Markdown rendered safely", async () => {
    const c = await makeCampaign(w);
    const url = `${w.base}/campaigns/${c.id}/updates`;
    const posted: string[] = [];
    const times: string[] = [];
    // The app's clock moves a minute between posts (no sleeping for distinct timestamps).
    let at = Date.parse("2026-11-30T08:00:00.000Z");
    ctx.deps.clock = () => new Date(at);
    try {
      for (const [i, client] of [
        w.clients.memberA,
        w.clients.adminB,
        w.clients.observer,
        w.clients.coordinator,
        w.clients.memberB,
      ].entries()) {
        const res = await client.post<{ id: string }>(url, { body: `Update ${i} **bold** <script>alert(${i})</script>` });
        expect(res.status).toBe(201);
        posted.push(res.body.id);
        times.push(new Date(at).toISOString());
        at += 60_000;
      }
    } finally {
      delete ctx.deps.clock;
    }
    const seen: { id: string; bodyHtml: string; createdAt: string; author: { id: string } }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: typeof seen; nextCursor: string | null } } = await w.clients.adminA.get(
        `${url}?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((u) => u.id)).toEqual([...posted].reverse());
    expect(seen.map((u) => u.createdAt)).toEqual([...times].reverse());
    expect(seen[0]?.author.id).toBe(w.people.memberB.id);
    for (const u of seen) {
      expect(u.bodyHtml).toContain("<strong>bold</strong>");
      expect(u.bodyHtml).not.toContain("<script");
    }
  });
});
