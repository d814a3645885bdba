import type { InvitationPreview } from "@samakki/shared/coalitions";
import { translate } from "@samakki/shared/i18n/index";
import type { OperatorCoalition } from "@samakki/shared/operators";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createPerson, createWorld, signInAs, unique } from "../../../../test/factories/index.ts";
import { checkPermissions, expectInvalid, expectProblem, snapshotCounts, type World } from "../../../../test/permissions.ts";
import { MINUTE } from "../../../lib/time.ts";

describe("instance operators", () => {
  let ctx: TestContext;
  let w: World;
  let operator: Awaited<ReturnType<typeof signInAs>>;
  let operatorId: string;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    const person = await createPerson(ctx);
    await ctx.db.insertInto("instance_operator").values({ person_id: person.id, granted_by: null }).execute();
    operatorId = person.id;
    operator = await signInAs(ctx, person);
  });

  /** Everyone of createWorld is signed in but no operator: 403; anonymous 401. */
  const refusedToAll = {
    anonymous: 401,
    outsider: 403,
    suspended: 403,
    observer: 403,
    adminB: 403,
    memberA: 403,
    adminA: 403,
    coordinator: 403,
  } as const;
  const deletions = () => ctx.db.selectFrom("coalition_deletion").selectAll().execute();

  it("tells the web app who is an operator", async () => {
    expect((await operator.get("/api/me/operator")).body).toEqual({ operator: true });
    expect((await w.clients.coordinator.get("/api/me/operator")).body).toEqual({ operator: false });
    expectProblem(await w.clients.anonymous.get("/api/me/operator"), 401, "unauthenticated");
    // /api/me says so too, which is what the web app reads (no request of its own).
    expect((await operator.get<{ operator: boolean }>("/api/me")).body.operator).toBe(true);
    expect((await w.clients.coordinator.get<{ operator: boolean }>("/api/me")).body.operator).toBe(false);
  });

  it("lists every coalition by name, status and counts only; nobody else may", async () => {
    await checkPermissions(ctx, w.clients, { method: "GET", path: "/api/operator/coalitions" }, refusedToAll);
    const res = await operator.get<OperatorCoalition[]>("/api/operator/coalitions");
    expect(res.status).toBe(200);
    const mine = res.body.find((c) => c.id === w.coalition.id);
    expect(mine).toEqual({
      id: w.coalition.id,
      name: w.coalition.name,
      secondName: null,
      slug: w.coalition.slug,
      createdAt: expect.any(String),
      status: "active",
      deletionDueAt: null,
      organisations: 4,
      coordinators: 1,
    });
    expect(res.body.some((c) => c.id === w.other.id)).toBe(true);
  });

  it("creates a coalition and invites its first coordinator, who becomes its coordinator on accepting; the operator does not see inside it", async () => {
    const email = `${unique("first")}@example.org`.toLowerCase();
    const body = {
      coalitionName: unique("New coalition"),
      organisationName: unique("Secretariat"),
      coordinatorEmail: email,
      language: "km",
    };
    await checkPermissions(ctx, w.clients, { method: "POST", path: "/api/operator/coalitions", body }, refusedToAll);
    await expectInvalid(ctx, () => operator.post("/api/operator/coalitions", { ...body, coordinatorEmail: "nope", coalitionName: "" }), [
      "coalitionName",
      "coordinatorEmail",
    ]);
    const res = await operator.post<{ coalitionId: string; organisationId: string; invitationId: string }>(
      "/api/operator/coalitions",
      body,
    );
    expect(res.status, res.text).toBe(201);
    const { coalitionId } = res.body;
    const listed = (await operator.get<OperatorCoalition[]>("/api/operator/coalitions")).body.find((c) => c.id === coalitionId);
    expect(listed).toMatchObject({ name: body.coalitionName, status: "pending", coordinators: 0, organisations: 0 });
    // The operator created it but is not a member: 404 inside it, like anyone outside.
    expectProblem(await operator.get(`/api/coalitions/${coalitionId}`), 404, "not_found");
    expectProblem(await operator.get(`/api/coalitions/${coalitionId}/audit`), 404, "not_found");

    const email_ = await ctx.db
      .selectFrom("outbox_email")
      .where("to_address", "=", email)
      .select(["subject", "text", "language", "coalition_id"])
      .executeTakeFirstOrThrow();
    expect(email_).toMatchObject({ language: "km", coalition_id: coalitionId });
    // It says what the invitation makes them: the coalition's coordinator, not a member organisation's admin.
    expect(email_.subject).toBe(translate("km", "email.invitation_coordinator.subject", { coalition: body.coalitionName }));
    expect(email_.text).toContain(translate("km", "email.invitation_coordinator.body"));
    const token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(email_.text)?.[1] ?? "";
    const preview = await ctx.anonymous().get<InvitationPreview>(`/api/invitations/${token}`);
    expect(preview.body).toMatchObject({ kind: "organisation", coordinator: true, coalitionName: body.coalitionName });
    const accepted = await ctx
      .anonymous()
      .post(`/api/invitations/${token}/accept`, { displayName: "First Coordinator", password: "a long enough passphrase 7" });
    expect(accepted.status, accepted.text).toBeLessThan(300);
    const person = await ctx.db.selectFrom("person").where("email", "=", email).select("id").executeTakeFirstOrThrow();
    const coordinators = await ctx.db.selectFrom("coordinator").where("coalition_id", "=", coalitionId).select("person_id").execute();
    expect(coordinators).toEqual([{ person_id: person.id }]);
    const coordinator = await signInAs(ctx, person);
    expect((await coordinator.get(`/api/coalitions/${coalitionId}`)).status).toBe(200);
    const again = (await operator.get<OperatorCoalition[]>("/api/operator/coalitions")).body.find((c) => c.id === coalitionId);
    expect(again).toMatchObject({ status: "active", coordinators: 1, organisations: 1 });
    const audit = await ctx.db.selectFrom("audit_event").where("coalition_id", "=", coalitionId).select("action").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["coalition.created", "coalition.invitation_accepted"]);
    const log = await ctx.db.selectFrom("instance_log").where("coalition_id", "=", coalitionId).select(["action", "actor_id"]).execute();
    expect(log).toEqual([{ action: "coalition.created", actor_id: operatorId }]);
  });

  it("schedules and cancels a deletion (operators; scheduling needs a recent authentication); members see the date, others get 404", async () => {
    const path = `/api/operator/coalitions/${w.other.id}/deletion`;
    await checkPermissions(ctx, w.clients, { method: "POST", path, state: deletions }, refusedToAll);
    expectProblem(await operator.post(`/api/operator/coalitions/${crypto.randomUUID()}/deletion`), 404, "not_found");
    expectProblem(await operator.post("/api/operator/coalitions/not-a-uuid/deletion"), 404, "not_found");
    const scheduled = await operator.post<{ dueAt: string }>(path);
    expect(scheduled.status, scheduled.text).toBe(200);

    // Members of that coalition see the date; people of other coalitions get 404.
    expect((await w.clients.outsider.get(`/api/coalitions/${w.other.id}/deletion`)).body).toEqual({ dueAt: scheduled.body.dueAt });
    expectProblem(await w.clients.coordinator.get(`/api/coalitions/${w.other.id}/deletion`), 404, "not_found");
    expectProblem(await w.clients.anonymous.get(`/api/coalitions/${w.other.id}/deletion`), 401, "unauthenticated");
    expect((await w.clients.memberA.get(`/api/coalitions/${w.coalition.id}/deletion`)).body).toEqual({ dueAt: null });
    // The date also comes with /api/me, on that coalition only (the web app's banner).
    type MeBody = { coalitions: { id: string; deletionDueAt: string | null }[] };
    const outsiderMe = await w.clients.outsider.get<MeBody>("/api/me");
    expect(outsiderMe.body.coalitions.find((c) => c.id === w.other.id)?.deletionDueAt).toBe(scheduled.body.dueAt);
    const memberMe = await w.clients.memberA.get<MeBody>("/api/me");
    expect(memberMe.body.coalitions.find((c) => c.id === w.coalition.id)?.deletionDueAt).toBeNull();
    const listed = (await operator.get<OperatorCoalition[]>("/api/operator/coalitions")).body.find((c) => c.id === w.other.id);
    expect(listed).toMatchObject({ status: "deletion_scheduled", deletionDueAt: scheduled.body.dueAt });

    await checkPermissions(ctx, w.clients, { method: "DELETE", path, state: deletions }, refusedToAll);
    expectProblem(await operator.delete(`/api/operator/coalitions/${crypto.randomUUID()}/deletion`), 404, "not_found");
    expect((await operator.delete(path)).status).toBe(204);
    expect(await deletions()).toEqual([]);
    expectProblem(await operator.delete(path), 404, "not_found");

    // A stale authentication: asked to sign in again, nothing scheduled.
    await ctx.db
      .updateTable("session")
      .set({ recent_auth_at: new Date(Date.now() - 16 * MINUTE) })
      .where("person_id", "=", operatorId)
      .execute();
    const counts = await snapshotCounts(ctx);
    expectProblem(await operator.post(path), 403, "reauthentication_required");
    expect(await deletions()).toEqual([]);
    expect(await snapshotCounts(ctx)).toEqual(counts);
    operator = await signInAs(ctx, { id: operatorId });
  });
});
