import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { checkPermissions } from "../../../../test/permissions.ts";
import { type BigWorld, type CampaignBody, extendWorld, makeCampaign, makeTask, type TaskBody } from "../../campaigns/__tests__/helpers.ts";

/**
 * Task permissions, each cell both ways. The campaign is co-owned by orgA (adminA, memberA are
 * co-owners); tasks are assigned to orgB (adminB is the assignee organisation's admin, memberB
 * becomes the assignee person); the observer is "another member"; the suspended organisation's
 * admin and the other coalition's coordinator get 404; no session gets 401.
 */
describe("task permission matrix", () => {
  let ctx: TestContext;
  let w: BigWorld;
  let campaign: CampaignBody;
  type Actor = keyof BigWorld["clients"];
  const outside = { anonymous: 401, outsider: 404, suspended: 404 } as const;
  const members = (ok: number) =>
    ({ ...outside, observer: ok, adminB: ok, memberB: ok, memberA: ok, adminA: ok, coordinator: ok }) satisfies Partial<
      Record<Actor, number>
    >;
  const taskRow = (id: string) => () => ctx.db.selectFrom("task").where("id", "=", id).selectAll().executeTakeFirst();

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
    campaign = await makeCampaign(w);
  });

  it("creates tasks: coordinators anywhere, co-owners in their campaigns", async () => {
    const body = (actor: Actor) => ({ title: unique(`By ${actor}`), campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
    await checkPermissions(ctx, w.clients, (actor) => ({ method: "POST", path: `${w.base}/tasks`, body: body(actor) }), {
      ...outside,
      observer: 403,
      adminB: 403,
      memberB: 403,
      memberA: 201,
      adminA: 201,
      coordinator: 201,
    });
    // A coalition-wide task (no campaign): coordinators only.
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({ method: "POST", path: `${w.base}/tasks`, body: { title: unique(`General ${actor}`) } }),
      { ...outside, observer: 403, adminB: 403, memberA: 403, adminA: 403, coordinator: 201 },
    );
    // A campaign orgA does not co-own: its people are refused.
    const ofB = await makeCampaign(w, { ownerOrganisationIds: [w.orgB.id] });
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({ method: "POST", path: `${w.base}/tasks`, body: { title: unique(`In B ${actor}`), campaignId: ofB.id } }),
      { adminA: 403, memberA: 403, adminB: 201, memberB: 201 },
    );
  });

  it("reads tasks, lists and exports: members of the coalition", async () => {
    const t = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
    await checkPermissions(ctx, w.clients, { method: "GET", path: `${w.base}/tasks/${t.id}` }, members(200));
    for (const view of ["all", "mine", "organisation"])
      await checkPermissions(ctx, w.clients, { method: "GET", path: `${w.base}/tasks?view=${view}` }, members(200));
    await checkPermissions(ctx, w.clients, { method: "GET", path: `${w.base}/tasks?campaignId=${campaign.id}&status=todo` }, members(200));
    // Export writes an audit event when allowed; refused ones write nothing.
    await checkPermissions(ctx, w.clients, { method: "GET", path: `${w.base}/tasks.csv` }, members(200));
    expect((await w.clients.outsider.get(`/api/coalitions/${w.other.id}/tasks/${t.id}`)).status).toBe(404);
  });

  it("the overdue view: coordinators only", async () => {
    const members403 = { ...outside, observer: 403, adminB: 403, memberB: 403, memberA: 403, adminA: 403, coordinator: 200 };
    await checkPermissions(ctx, w.clients, { method: "GET", path: `${w.base}/tasks?view=overdue` }, members403);
    await checkPermissions(ctx, w.clients, { method: "GET", path: `${w.base}/tasks.csv?view=overdue` }, members403);
  });

  it("edits and assigns: coordinators and co-owners, not the assignee organisation", async () => {
    const t = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
    const managers = { ...outside, observer: 403, adminB: 403, memberB: 403, memberA: 200, adminA: 200, coordinator: 200 };
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({
        method: "PATCH",
        path: `${w.base}/tasks/${t.id}`,
        body: { title: `Renamed by ${actor}`, priority: "high" },
        state: taskRow(t.id),
      }),
      managers,
    );
    expect((await taskRow(t.id)())?.title).toBe("Renamed by coordinator");
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({
        method: "POST",
        path: `${w.base}/tasks/${t.id}/assign`,
        body: {
          organisationId: actor === "adminA" ? w.orgA.id : w.orgB.id,
          personId: actor === "coordinator" ? w.people.memberB.id : null,
        },
        state: taskRow(t.id),
      }),
      managers,
    );
    const row = await taskRow(t.id)();
    expect([row?.assignee_organisation_id, row?.assignee_person_id]).toEqual([w.orgB.id, w.people.memberB.id]);
    // A general task (no campaign) is managed by coordinators alone.
    const general = await makeTask(w, { assigneeOrganisationId: w.orgA.id });
    await checkPermissions(
      ctx,
      w.clients,
      { method: "POST", path: `${w.base}/tasks/${general.id}/assign`, body: { organisationId: w.orgB.id }, state: taskRow(general.id) },
      { adminA: 403, memberA: 403, coordinator: 200 },
    );
    await checkPermissions(
      ctx,
      w.clients,
      { method: "PATCH", path: `${w.base}/tasks/${general.id}`, body: { title: "General renamed" }, state: taskRow(general.id) },
      { adminA: 403, memberA: 403, adminB: 403, coordinator: 200 },
    );
  });

  it("delegates and re-delegates: the assignee organisation's admins only", async () => {
    const t = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
    const url = `${w.base}/tasks/${t.id}/delegate`;
    // Coordinator and co-owners manage the task but do not delegate inside orgB; orgB's plain member neither.
    await checkPermissions(
      ctx,
      w.clients,
      { method: "POST", path: url, body: { personId: w.people.memberB.id }, state: taskRow(t.id) },
      { ...outside, observer: 403, memberB: 403, memberA: 403, adminA: 403, coordinator: 403, adminB: 200 },
    );
    expect((await taskRow(t.id)())?.assignee_person_id).toBe(w.people.memberB.id);
    // Re-delegation by the admin, to themselves.
    const again = await w.clients.adminB.post<TaskBody>(url, { personId: w.people.adminB.id });
    expect(again.status).toBe(200);
    expect(again.body.assigneePerson?.id).toBe(w.people.adminB.id);
    // A task with no organisation cannot be delegated by anyone.
    const open = await makeTask(w, { campaignId: campaign.id });
    await checkPermissions(
      ctx,
      w.clients,
      { method: "POST", path: `${w.base}/tasks/${open.id}/delegate`, body: { personId: w.people.memberB.id } },
      { adminB: 403, adminA: 403, coordinator: 403 },
    );
  });

  it("changes status: the assignee person and the assignee organisation's admins", async () => {
    const t = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id, assigneePersonId: w.people.memberB.id });
    const next = { memberB: "in_progress", adminB: "blocked" } as Partial<Record<Actor, string>>;
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({
        method: "POST",
        path: `${w.base}/tasks/${t.id}/status`,
        body: { status: next[actor] ?? "done" },
        state: taskRow(t.id),
      }),
      {
        ...outside,
        observer: 403,
        memberA: 403,
        adminA: 403,
        coordinator: 403,
        memberB: 200,
        adminB: 200,
      },
    );
    expect((await taskRow(t.id)())?.status).toBe("blocked");
    // Assigned to orgB and to nobody in it: orgB's plain member is refused, its admin moves it, and
    // the task's view says so to each.
    const ofB = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
    await checkPermissions(
      ctx,
      w.clients,
      { method: "POST", path: `${w.base}/tasks/${ofB.id}/status`, body: { status: "in_progress" }, state: taskRow(ofB.id) },
      { memberB: 403, observer: 403, coordinator: 403, adminB: 200 },
    );
    const seenBy = async (actor: Actor) => (await w.clients[actor].get<TaskBody>(`${w.base}/tasks/${ofB.id}`)).body.permissions;
    expect(await seenBy("memberB")).toEqual({ edit: false, assign: false, delegate: false, changeStatus: false });
    expect(await seenBy("adminB")).toEqual({ edit: false, assign: false, delegate: true, changeStatus: true });
    expect(await seenBy("memberA")).toEqual({ edit: true, assign: true, delegate: false, changeStatus: false });
    // While no organisation is assigned, the task's managers move it.
    const open = await makeTask(w, { campaignId: campaign.id });
    const managers = { adminB: 403, memberB: 403, observer: 403, memberA: 200, adminA: 200, coordinator: 200 };
    const order = { memberA: "in_progress", adminA: "blocked", coordinator: "done" } as Partial<Record<Actor, string>>;
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({
        method: "POST",
        path: `${w.base}/tasks/${open.id}/status`,
        body: { status: order[actor] ?? "cancelled" },
        state: taskRow(open.id),
      }),
      managers,
    );
    expect((await taskRow(open.id)())?.status).toBe("done");
  });

  it("comments and watches: anyone who can see the task", async () => {
    const t = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
    await checkPermissions(
      ctx,
      w.clients,
      (actor) => ({ method: "POST", path: `${w.base}/tasks/${t.id}/comments`, body: { body: `Note from ${actor}` } }),
      members(201),
    );
    await checkPermissions(ctx, w.clients, { method: "PUT", path: `${w.base}/tasks/${t.id}/watch` }, members(204));
    await checkPermissions(ctx, w.clients, { method: "DELETE", path: `${w.base}/tasks/${t.id}/watch` }, members(204));
    const comments = await ctx.db.selectFrom("task_comment").where("task_id", "=", t.id).select("body").execute();
    expect(comments).toHaveLength(6);
  });
});
