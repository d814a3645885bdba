import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { bodyOf, checkPermissions } from "../../../../test/permissions.ts";
import { type BigWorld, extendWorld, makeCampaign } from "./helpers.ts";

/**
 * Campaign permissions, each cell both ways. Campaigns are co-owned by orgA: adminA and memberA
 * are co-owners, adminB and the observer are "other members", the suspended organisation's
 * admin and the other coalition's coordinator must not even see the coalition (404).
 */
describe("campaign permission matrix", () => {
  let ctx: TestContext;
  let w: BigWorld;
  type Actor = keyof BigWorld["clients"];
  const members = (ok: number) =>
    ({
      anonymous: 401,
      outsider: 404,
      suspended: 404,
      observer: ok,
      adminB: ok,
      memberA: ok,
      adminA: ok,
      coordinator: ok,
    }) satisfies Partial<Record<Actor, number>>;
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
  const campaignRow = (id: string) => () => ctx.db.selectFrom("campaign").where("id", "=", id).selectAll().executeTakeFirst();
  const ownersOf = (id: string) => () =>
    ctx.db
      .selectFrom("campaign_organisation")
      .where("campaign_id", "=", id)
      .select(["organisation_id", "role"])
      .orderBy("organisation_id")
      .execute();

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
  });

  it("lists and reads campaigns: members of the coalition only", async () => {
    const c = await makeCampaign(w);
    await checkPermissions(ctx, w.clients, { method: "GET", path: `${w.base}/campaigns` }, members(200));
    const res = await checkPermissions(ctx, w.clients, { method: "GET", path: `${w.base}/campaigns/${c.id}` }, members(200));
    expect(bodyOf<{ canEdit: boolean }>(res.adminA).canEdit).toBe(true);
    expect(bodyOf<{ canEdit: boolean }>(res.memberA).canEdit).toBe(true);
    expect(bodyOf<{ canEdit: boolean }>(res.adminB).canEdit).toBe(false);
    // The other coalition's coordinator asking through their own coalition still gets 404.
    const own = await w.clients.outsider.get(`/api/coalitions/${w.other.id}/campaigns/${c.id}`);
    expect(own.status).toBe(404);
    // A malformed id is a 404 too.
    expect((await w.clients.adminA.get(`${w.base}/campaigns/not-a-uuid`)).status).toBe(404);
  });

  it("creates campaigns: coordinators only", async () => {
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({
        method: "POST",
        path: `${w.base}/campaigns`,
        body: { title: unique(`By ${actor}`), ownerOrganisationIds: [w.orgA.id] },
      }),
      {
        anonymous: 401,
        outsider: 404,
        suspended: 404,
        observer: 403,
        adminB: 403,
        memberA: 403,
        adminA: 403,
        coordinator: 201,
      },
    );
    // The other coalition's coordinator cannot create a campaign in this coalition, even naming its own organisation.
    const res = await w.clients.outsider.post(`${w.base}/campaigns`, { title: "Intrusion", ownerOrganisationIds: [w.otherOrg.id] });
    expect(res.status).toBe(404);
  });

  it("edits a campaign and changes its status: coordinators and co-owners", async () => {
    const c = await makeCampaign(w);
    const statuses = { memberA: "active", adminA: "paused", coordinator: "concluded" } as Record<Actor, string>;
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({
        method: "PATCH",
        path: `${w.base}/campaigns/${c.id}`,
        body: { title: `Edited by ${actor}`, status: statuses[actor] ?? "archived" },
        state: campaignRow(c.id),
      }),
      editors(200),
    );
    const row = await campaignRow(c.id)();
    expect(row?.title).toBe("Edited by coordinator");
    expect(row?.status).toBe("concluded");
    const audits = await ctx.db
      .selectFrom("audit_event")
      .where("target_id", "=", c.id)
      .where("action", "=", "campaign.status")
      .select("after")
      .execute();
    expect(audits).toHaveLength(3);
  });

  it("sets co-owners and participants: coordinators and co-owners", async () => {
    const c = await makeCampaign(w);
    await checkPermissions(
      ctx,
      w.clients,
      {
        method: "PUT",
        path: `${w.base}/campaigns/${c.id}/owners`,
        body: { organisationIds: [w.orgA.id, w.secretariat.id] },
        state: ownersOf(c.id),
      },
      editors(200),
    );
    await checkPermissions(
      ctx,
      w.clients,
      { method: "PUT", path: `${w.base}/campaigns/${c.id}/participants`, body: { organisationIds: [w.orgB.id] }, state: ownersOf(c.id) },
      editors(200),
    );
    const rows = await ownersOf(c.id)();
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.organisation_id === w.orgB.id)?.role).toBe("participant");
  });

  it("activities: everyone in the coalition reads, coordinators and co-owners write", async () => {
    const c = await makeCampaign(w);
    const url = `${w.base}/campaigns/${c.id}/activities`;
    const activity = { kind: "meeting", title: "Planning meeting", startsAt: "2026-12-01T09:00", endsAt: "2026-12-01T11:00" };
    await checkPermissions(ctx, w.clients, { method: "POST", path: url, body: activity }, editors(201));
    const list = await checkPermissions(ctx, w.clients, { method: "GET", path: url }, members(200));
    const ids = bodyOf<{ id: string }[]>(list.coordinator).map((a) => a.id);
    expect(ids).toHaveLength(3);
    const [first] = ids;
    if (!first) throw new Error("no activity");
    const activityRow = () => ctx.db.selectFrom("activity").where("id", "=", first).selectAll().executeTakeFirst();
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({ method: "PUT", path: `${url}/${first}`, body: { ...activity, title: `Moved by ${actor}` }, state: activityRow }),
      editors(200),
    );
    expect((await activityRow())?.title).toBe("Moved by coordinator");
    // Each allowed actor deletes an activity of its own; refused ones try to delete the first.
    const queue = [...ids];
    const allowed = new Set<Actor>(["memberA", "adminA", "coordinator"]);
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({ method: "DELETE", path: `${url}/${allowed.has(actor) ? queue.pop() : first}`, state: activityRow }),
      editors(204),
    );
    expect(await ctx.db.selectFrom("activity").where("campaign_id", "=", c.id).select("id").execute()).toEqual([]);
    await checkPermissions(ctx, w.clients, { method: "GET", path: `${url}.ics` }, members(200));
  });

  it("metrics: coordinators and co-owners add them, members read them", async () => {
    const c = await makeCampaign(w);
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({
        method: "POST",
        path: `${w.base}/campaigns/${c.id}/metrics`,
        body: { name: `Ribbons ${actor}`, unit: "ribbons", target: 1000 },
      }),
      editors(201),
    );
    await checkPermissions(ctx, w.clients, { method: "GET", path: `${w.base}/campaigns/${c.id}/metrics` }, members(200));
  });

  it("contributions: the involved organisation's own people report and correct, and coordinators on its behalf", async () => {
    const c = await makeCampaign(w, { participantOrganisationIds: [w.orgB.id] });
    const metric = await w.clients.coordinator.post<{ id: string }>(`${w.base}/campaigns/${c.id}/metrics`, {
      name: "Letters",
      unit: "letters",
    });
    const url = `${w.base}/campaigns/${c.id}/metrics/${metric.body.id}/contributions`;
    const forOrgA = { organisationId: w.orgA.id, amount: 5, date: "2026-12-01" };
    // The coordinator is not a person of orgA but records on its behalf (issue 10, item 13).
    await checkPermissions(
      ctx,
      w.clients,
      { method: "POST", path: url, body: forOrgA },
      { anonymous: 401, outsider: 404, suspended: 404, observer: 403, adminB: 403, coordinator: 201, memberA: 201, adminA: 201 },
    );
    // A participant (not a co-owner) reports for itself; a co-owner cannot report for the participant.
    await checkPermissions(
      ctx,
      w.clients,
      { method: "POST", path: url, body: { ...forOrgA, organisationId: w.orgB.id } },
      { adminA: 403, memberA: 403, coordinator: 201, adminB: 201, memberB: 201 },
    );
    // An organisation outside the campaign: nobody records for it, a coordinator neither.
    const outside = await w.clients.coordinator.post(url, { ...forOrgA, organisationId: w.suspendedOrg.id });
    expect(outside.status).toBe(400);
    const list = await checkPermissions(ctx, w.clients, { method: "GET", path: url }, members(200));
    const ofA = bodyOf<{ id: string; organisation: { id: string } }[]>(list.coordinator).find((x) => x.organisation.id === w.orgA.id);
    if (!ofA) throw new Error("no contribution of orgA");
    const contributionRow = () => ctx.db.selectFrom("contribution").where("id", "=", ofA.id).selectAll().executeTakeFirst();
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({ method: "PATCH", path: `${url}/${ofA.id}`, body: { amount: actor === "memberA" ? 6 : 7 }, state: contributionRow }),
      {
        anonymous: 401,
        outsider: 404,
        suspended: 404,
        observer: 403,
        adminB: 403,
        memberB: 403,
        coordinator: 204,
        memberA: 204,
        adminA: 204,
      },
    );
    const revisions = await ctx.db
      .selectFrom("contribution_revision")
      .where("contribution_id", "=", ofA.id)
      .select(["amount", "changed_by"])
      .orderBy("revision")
      .execute();
    expect(revisions).toHaveLength(4);
    expect(revisions.map((r) => r.changed_by)).toContain(w.people.coordinator.id);
    expect(Number((await contributionRow())?.amount)).toBe(Number(revisions[3]?.amount));

    // Who recorded each is shown: the coordinator's report on orgA's behalf reads as such, and is audited so.
    const shown = bodyOf<{ organisation: { id: string }; recordedBy: { id: string; coordinator: boolean } }[]>(
      await w.clients.memberA.get(url),
    );
    const onBehalf = shown.filter((x) => x.recordedBy.id === w.people.coordinator.id);
    expect(onBehalf.map((x) => x.organisation.id).sort()).toEqual([w.orgA.id, w.orgB.id].sort());
    expect(onBehalf.every((x) => x.recordedBy.coordinator)).toBe(true);
    expect(shown.filter((x) => x.recordedBy.id === w.people.memberA.id).every((x) => !x.recordedBy.coordinator)).toBe(true);
    const audited = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "metric.contribution")
      .where("actor_id", "=", w.people.coordinator.id)
      .where("target_id", "=", metric.body.id)
      .select("after")
      .execute();
    expect(audited).toHaveLength(2);
    expect(audited.every((a) => (a.after as { onBehalf?: boolean }).onBehalf === true)).toBe(true);
  });

  it("updates: every member of the coalition reads and posts", async () => {
    const c = await makeCampaign(w);
    const url = `${w.base}/campaigns/${c.id}/updates`;
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({ method: "POST", path: url, body: { body: `Update from ${actor}` } }),
      members(201),
    );
    const list = await checkPermissions(ctx, w.clients, { method: "GET", path: url }, members(200));
    expect(bodyOf<{ items: unknown[] }>(list.coordinator).items).toHaveLength(5);
  });

  it("updates: removed by their author, the campaign's co-owners and coordinators; anyone else is refused", async () => {
    const c = await makeCampaign(w, { visibility: "public" });
    const url = `${w.base}/campaigns/${c.id}/updates`;
    // One update per actor, by someone else (the observer's organisation, or adminB for the observer).
    const actors = ["anonymous", "outsider", "suspended", "observer", "adminB", "memberA", "adminA", "coordinator"] as const;
    const ids: Partial<Record<Actor, string>> = {};
    for (const actor of actors) {
      const author = actor === "observer" ? w.clients.adminB : w.clients.observer;
      const posted = await author.post<{ id: string }>(url, { body: `For ${actor} to try` });
      ids[actor] = posted.body.id;
    }
    await checkPermissions(ctx, w.clients, (actor) => ({ method: "DELETE", path: `${url}/${ids[actor]}` }), {
      anonymous: 401,
      outsider: 404,
      suspended: 404,
      observer: 403,
      adminB: 403,
      memberA: 204,
      adminA: 204,
      coordinator: 204,
    });
    const left = await w.clients.coordinator.get<{ items: { id: string; canRemove: boolean }[] }>(url);
    expect(left.body.items.map((u) => u.id).sort()).toEqual(
      (["anonymous", "outsider", "suspended", "observer", "adminB"] as const).map((a) => ids[a]).sort(),
    );
    // Its author may remove their own; the list says who may.
    const own = ids.adminB ?? "";
    const asAuthor = await w.clients.observer.get<{ items: { id: string; canRemove: boolean }[] }>(url);
    expect(asAuthor.body.items.find((u) => u.id === own)?.canRemove).toBe(true);
    expect(asAuthor.body.items.find((u) => u.id === ids.observer)?.canRemove).toBe(false);
    expect((await w.clients.observer.delete(`${url}/${own}`)).status).toBe(204);
    // Another coalition's coordinator, through their own coalition's path, finds nothing to remove.
    const theirs = `/api/coalitions/${w.other.id}/campaigns/${c.id}/updates/${ids.outsider}`;
    expect((await w.clients.outsider.delete(theirs)).status).toBe(404);
    // Audited with its author, never its text.
    const audited = await ctx.db
      .selectFrom("audit_event")
      .where("target_id", "=", c.id)
      .where("action", "=", "campaign.update_removed")
      .select(["actor_id", "before"])
      .execute();
    expect(audited).toHaveLength(4);
    expect(audited.map((a) => a.before)).toContainEqual({ personId: w.people.observer.id });
    expect(JSON.stringify(audited)).not.toContain("to try");
  });

  it("updates: removed once however many ask at the same moment; one audit event", async () => {
    const c = await makeCampaign(w);
    const url = `${w.base}/campaigns/${c.id}/updates`;
    const posted = await w.clients.memberA.post<{ id: string }>(url, { body: "Removed once" });
    const removers = [w.clients.coordinator, w.clients.adminA, w.clients.memberA, w.clients.coordinator, w.clients.adminA];
    const answers = await Promise.all(removers.map((client) => client.delete(`${url}/${posted.body.id}`)));
    expect(answers.map((r) => r.status).sort()).toEqual([204, 404, 404, 404, 404]);
    const audited = await ctx.db
      .selectFrom("audit_event")
      .where("target_id", "=", c.id)
      .where("action", "=", "campaign.update_removed")
      .select("id")
      .execute();
    expect(audited).toHaveLength(1);
  });
});
