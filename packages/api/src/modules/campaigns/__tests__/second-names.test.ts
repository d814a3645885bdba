import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { bodyOf, checkPermissions, expectInvalid, expectProblem, snapshotCounts } from "../../../../test/permissions.ts";
import { type BigWorld, extendWorld, makeCampaign } from "./helpers.ts";

/** A campaign's second title and a metric's second name, in the other language (issue 10, item 10). */
describe("campaign and metric second names", () => {
  let ctx: TestContext;
  let w: BigWorld;
  type Actor = keyof BigWorld["clients"];
  const editors = (ok: number) =>
    ({
      anonymous: 401,
      outsider: 404,
      suspended: 404,
      observer: 403,
      adminB: 403,
      memberA: ok,
      adminA: ok,
      coordinator: ok,
    }) satisfies Partial<Record<Actor, number>>;
  const campaignRow = (id: string) => () => ctx.db.selectFrom("campaign").where("id", "=", id).selectAll().executeTakeFirstOrThrow();
  const metricRow = (id: string) => () => ctx.db.selectFrom("metric").where("id", "=", id).selectAll().executeTakeFirstOrThrow();
  const renames = (campaignId: string) =>
    ctx.db
      .selectFrom("audit_event")
      .where("target_id", "=", campaignId)
      .where("action", "=", "campaign.renamed")
      .select(["actor_id", "before", "after"])
      .orderBy("id")
      .execute();

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
  });

  it("a campaign is created with a second title, read back in the list and the page, and found by it", async () => {
    const title = unique("Clean rivers");
    const c = await makeCampaign(w, { title, secondTitle: { language: "km", name: "ទន្លេស្អាត" } });
    expect(await campaignRow(c.id)()).toMatchObject({ title, second_title: "ទន្លេស្អាត", second_title_language: "km" });
    const read = await w.clients.adminB.get<{ secondTitle: unknown }>(`${w.base}/campaigns/${c.id}`);
    expect(read.body.secondTitle).toEqual({ language: "km", name: "ទន្លេស្អាត" });
    // The search finds it by its second title too; sorting stays by the primary data.
    const found = await w.clients.adminB.get<{ items: { id: string; secondTitle: unknown }[] }>(
      `${w.base}/campaigns?q=${encodeURIComponent("ទន្លេស្អាត")}`,
    );
    expect(found.body.items.map((i) => i.id)).toEqual([c.id]);
    expect(found.body.items[0]?.secondTitle).toEqual({ language: "km", name: "ទន្លេស្អាត" });
    const create = await ctx.db
      .selectFrom("audit_event")
      .where("target_id", "=", c.id)
      .where("action", "=", "campaign.create")
      .select("after")
      .executeTakeFirstOrThrow();
    expect(create.after).toMatchObject({ title, secondTitle: { language: "km", name: "ទន្លេស្អាត" } });
    // Without one, it is null.
    const plain = await makeCampaign(w);
    expect((await w.clients.adminA.get<{ secondTitle: unknown }>(`${w.base}/campaigns/${plain.id}`)).body.secondTitle).toBeNull();
  });

  it("editors set and remove the second title (audited like the title); others are refused, nothing changes", async () => {
    const c = await makeCampaign(w);
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({
        method: "PATCH",
        path: `${w.base}/campaigns/${c.id}`,
        body: { secondTitle: { language: "km", name: `យុទ្ធនាការ ${actor}` } },
        state: campaignRow(c.id),
      }),
      editors(200),
    );
    expect(await campaignRow(c.id)()).toMatchObject({ second_title: "យុទ្ធនាការ coordinator", second_title_language: "km" });
    let audits = await renames(c.id);
    expect(audits).toHaveLength(3);
    expect(audits[0]).toMatchObject({ before: { title: c.title, secondTitle: null } });
    expect(audits[2]).toMatchObject({
      actor_id: w.people.coordinator.id,
      after: { title: c.title, secondTitle: { language: "km", name: "យុទ្ធនាការ coordinator" } },
    });
    // Renaming the title is audited the same way; a change that renames nothing records nothing.
    expect((await w.clients.adminA.patch(`${w.base}/campaigns/${c.id}`, { title: "Renamed", secondTitle: null })).status).toBe(200);
    expect((await w.clients.adminA.patch(`${w.base}/campaigns/${c.id}`, { summary: "Only the summary" })).status).toBe(200);
    audits = await renames(c.id);
    expect(audits).toHaveLength(4);
    expect(audits[3]).toMatchObject({ actor_id: w.people.adminA.id, after: { title: "Renamed", secondTitle: null } });
    expect(await campaignRow(c.id)()).toMatchObject({ title: "Renamed", second_title: null, second_title_language: null });
    // Another coalition's coordinator through their own coalition: 404.
    const counts = await snapshotCounts(ctx);
    expectProblem(
      await w.clients.outsider.patch(`/api/coalitions/${w.other.id}/campaigns/${c.id}`, { secondTitle: null }),
      404,
      "not_found",
    );
    expect(await snapshotCounts(ctx)).toEqual(counts);
  });

  it("refuses a bad second title on create and edit (400 with field paths, never 500)", async () => {
    const c = await makeCampaign(w);
    const url = `${w.base}/campaigns`;
    await expectInvalid(
      ctx,
      () =>
        w.clients.coordinator.post(url, { title: "Fine", ownerOrganisationIds: [w.orgA.id], secondTitle: { language: "xx", name: "" } }),
      ["secondTitle.language", "secondTitle.name"],
    );
    await expectInvalid(
      ctx,
      () => w.clients.coordinator.patch(`${url}/${c.id}`, { secondTitle: { language: "km", name: "ក".repeat(201) } }),
      ["secondTitle.name"],
      campaignRow(c.id),
    );
    await expectInvalid(ctx, () => w.clients.coordinator.patch(`${url}/${c.id}`, { secondTitle: "ក" }), ["secondTitle"], campaignRow(c.id));
  });

  it("metrics: created with a second name, renamed by editors only, validated", async () => {
    const c = await makeCampaign(w);
    const base = `${w.base}/campaigns/${c.id}/metrics`;
    const created = await w.clients.adminA.post<{ id: string; secondName: unknown }>(base, {
      name: "Signatures",
      secondName: { language: "km", name: "ហត្ថលេខា" },
      unit: "",
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.secondName).toEqual({ language: "km", name: "ហត្ថលេខា" });
    const list = await w.clients.observer.get<{ id: string; secondName: unknown }[]>(base);
    expect(list.body).toEqual([
      expect.objectContaining({ id: created.body.id, name: "Signatures", secondName: { language: "km", name: "ហត្ថលេខា" } }),
    ]);

    const path = `${base}/${created.body.id}`;
    const res = await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({
        method: "PATCH",
        path,
        body: { secondName: { language: "en", name: `Signed by ${actor}` } },
        state: metricRow(created.body.id),
      }),
      editors(200),
    );
    expect(bodyOf<{ name: string; secondName: unknown }>(res.coordinator)).toMatchObject({
      name: "Signatures",
      secondName: { language: "en", name: "Signed by coordinator" },
    });
    expect(await metricRow(created.body.id)()).toMatchObject({
      name: "Signatures",
      second_name: "Signed by coordinator",
      second_name_language: "en",
    });
    // Renaming both, then removing the second name.
    expect((await w.clients.memberA.patch(path, { name: "ហត្ថលេខា", secondName: null })).body).toMatchObject({
      name: "ហត្ថលេខា",
      secondName: null,
    });
    expect(await metricRow(created.body.id)()).toMatchObject({ name: "ហត្ថលេខា", second_name: null, second_name_language: null });

    // Bad input: 400 with paths; an unknown or another campaign's metric and a malformed id: 404.
    await expectInvalid(ctx, () => w.clients.adminA.patch(path, {}), [""], metricRow(created.body.id));
    await expectInvalid(
      ctx,
      () => w.clients.adminA.patch(path, { name: "x", secondName: { language: "km" } }),
      ["name", "secondName.name"],
      metricRow(created.body.id),
    );
    await expectInvalid(
      ctx,
      () => w.clients.adminA.post(base, { name: "Ok name", secondName: { language: "km", name: "ក".repeat(121) } }),
      ["secondName.name"],
    );
    const other = await makeCampaign(w);
    expectProblem(
      await w.clients.coordinator.patch(`${w.base}/campaigns/${other.id}/metrics/${created.body.id}`, { name: "Moved" }),
      404,
      "not_found",
    );
    expectProblem(await w.clients.coordinator.patch(`${base}/not-a-uuid`, { name: "Nope" }), 404, "not_found");
    expect(await metricRow(created.body.id)()).toMatchObject({ name: "ហត្ថលេខា" });
  });

  it("task lists, a task and the dashboard carry the campaign's and the organisation's second names, so each reader sees theirs", async () => {
    const c = await makeCampaign(w, { secondTitle: { language: "km", name: "យុទ្ធនាការខ្សែបូរលឿង" } });
    await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, { secondName: { language: "km", name: "អង្គការ ក" } });
    // The member list (and so every organisation picker) carries it too.
    const members = await w.clients.memberA.get<{ organisation: { id: string; secondName: unknown } }[]>(`${w.base}/members`);
    expect(members.body.find((m) => m.organisation.id === w.orgA.id)?.organisation.secondName).toEqual({
      language: "km",
      name: "អង្គការ ក",
    });
    const due = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const created = await w.clients.coordinator.post<{ id: string }>(`${w.base}/tasks`, {
      title: unique("Print the ribbons"),
      campaignId: c.id,
      assigneeOrganisationId: w.orgA.id,
      dueOn: due,
    });
    expect(created.status, created.text).toBe(201);
    const campaign = { id: c.id, title: c.title, secondTitle: { language: "km", name: "យុទ្ធនាការខ្សែបូរលឿង" } };
    const organisation = expect.objectContaining({ id: w.orgA.id, secondName: { language: "km", name: "អង្គការ ក" } });
    const list = await w.clients.memberA.get<{ items: { id: string; campaign: unknown; assigneeOrganisation: unknown }[] }>(
      `${w.base}/tasks?campaignId=${c.id}`,
    );
    expect(list.body.items.find((t) => t.id === created.body.id)).toMatchObject({ campaign, assigneeOrganisation: organisation });
    const task = await w.clients.memberA.get<{ campaign: unknown; assigneeOrganisation: unknown }>(`${w.base}/tasks/${created.body.id}`);
    expect(task.body).toMatchObject({ campaign, assigneeOrganisation: organisation });
    const dashboard = await w.clients.coordinator.get<{ coalitionOverdue: { items: { id: string; campaign: unknown }[] } | null }>(
      `${w.base}/dashboard`,
    );
    expect(dashboard.status, dashboard.text).toBe(200);
    expect(dashboard.body.coalitionOverdue?.items.find((t) => t.id === created.body.id)).toMatchObject({
      campaign,
      assigneeOrganisation: organisation,
    });
  });

  it("a new co-owner's admins are told the campaign's title in their own language, at creation and when added", async () => {
    const title = unique("Forest defenders");
    const khmer = "អ្នកការពារព្រៃឈើ";
    const titles = (personId: string, campaignId: string) =>
      ctx.db
        .selectFrom("notification")
        .where("person_id", "=", personId)
        .where("kind", "=", "campaign_co_owner")
        .where("link", "like", `%${campaignId}`)
        .select("params")
        .execute()
        .then((rows) => rows.map((r) => (r.params as { campaign: string }).campaign));
    const khmerReader = w.people.adminB.id;
    const before = await ctx.db.selectFrom("person").where("id", "=", khmerReader).select("language").executeTakeFirstOrThrow();
    await ctx.db.updateTable("person").set({ language: "km" }).where("id", "=", khmerReader).execute();
    try {
      const created = await makeCampaign(w, {
        title,
        secondTitle: { language: "km", name: khmer },
        ownerOrganisationIds: [w.orgA.id, w.orgB.id],
      });
      expect(await titles(khmerReader, created.id)).toEqual([khmer]);
      expect(await titles(w.people.adminA.id, created.id)).toEqual([title]);
      const later = await makeCampaign(w, { title, secondTitle: { language: "km", name: khmer }, ownerOrganisationIds: [w.orgA.id] });
      const added = await w.clients.coordinator.request("PUT", `${w.base}/campaigns/${later.id}/owners`, {
        organisationIds: [w.orgA.id, w.orgB.id],
      });
      expect(added.status, added.text).toBe(200);
      expect(await titles(khmerReader, later.id)).toEqual([khmer]);
    } finally {
      await ctx.db.updateTable("person").set(before).where("id", "=", khmerReader).execute();
    }
  });
});
