import { CoalitionMember, Coordinator } from "@samakki/shared/coalitions";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { addMember, createOrganisation, createPerson, createWorld, signInAs } from "../../../../test/factories/index.ts";
import { expireInvitation, inviteOrganisationVia, staleRecentAuth } from "../../../../test/factories/invitations.ts";
import { checkPermissions, expectations, expectInvalid, expectProblem, type World } from "../../../../test/permissions.ts";

const NOT_A_UUID = "not-a-uuid";

describe("coalitions", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  const coalitionRow = (w: World) => () =>
    ctx.db.selectFrom("coalition").where("id", "=", w.coalition.id).selectAll().executeTakeFirstOrThrow();
  const memberStatus = (coalitionId: string, organisationId: string) =>
    ctx.db
      .selectFrom("coalition_member")
      .where("coalition_id", "=", coalitionId)
      .where("organisation_id", "=", organisationId)
      .select("status")
      .executeTakeFirstOrThrow();
  const lastAudit = (action: string) =>
    ctx.db.selectFrom("audit_event").where("action", "=", action).selectAll().orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();

  describe("reading", () => {
    let w: World;
    beforeAll(async () => {
      w = await createWorld(ctx);
    });

    it("GET /api/coalitions/{id}: members and observers read it; suspended organisations' people and other coalitions get 404", async () => {
      const res = await checkPermissions(
        ctx,
        w.clients,
        { method: "GET", path: `/api/coalitions/${w.coalition.id}` },
        expectations.coalitionMember(200),
      );
      expect(res.observer?.body).toMatchObject({
        id: w.coalition.id,
        name: w.coalition.name,
        slug: w.coalition.slug,
        timeZone: "Asia/Phnom_Penh",
      });
      // A coordinator of another coalition sees it as missing, exactly like a malformed id or an unknown one.
      expectProblem(await w.clients.coordinator.get(`/api/coalitions/${w.other.id}`), 404, "not_found");
      expectProblem(await w.clients.coordinator.get(`/api/coalitions/${NOT_A_UUID}`), 404, "not_found");
      expectProblem(await w.clients.coordinator.get(`/api/coalitions/00000000-0000-4000-8000-000000000000`), 404, "not_found");
    });

    it("GET /members lists every organisation with its status", async () => {
      const res = await checkPermissions(
        ctx,
        w.clients,
        { method: "GET", path: `/api/coalitions/${w.coalition.id}/members` },
        expectations.coalitionMember(200),
      );
      const members = z.array(CoalitionMember).parse(res.memberA?.body);
      const byId = new Map(members.map((m) => [m.organisation.id, m.status]));
      expect(byId.get(w.orgA.id)).toBe("active");
      expect(byId.get(w.observerOrg.id)).toBe("observer");
      expect(byId.get(w.suspendedOrg.id)).toBe("suspended");
      expect(byId.has(w.otherOrg.id)).toBe(false);
      expect(members).toHaveLength(5);
    });

    it("GET /coordinators is for members; GET /people and GET /invitations for coordinators", async () => {
      const coordinators = await checkPermissions(
        ctx,
        w.clients,
        { method: "GET", path: `/api/coalitions/${w.coalition.id}/coordinators` },
        expectations.coalitionMember(200),
      );
      // Members of other organisations see coordinators by name; coordinators see their addresses.
      expect(coordinators.adminB?.body).toEqual([
        { personId: w.people.coordinator.id, displayName: w.people.coordinator.display_name, email: null },
      ]);
      expect(coordinators.coordinator?.body).toEqual([
        { personId: w.people.coordinator.id, displayName: w.people.coordinator.display_name, email: w.people.coordinator.email },
      ]);

      const people = await checkPermissions(
        ctx,
        w.clients,
        { method: "GET", path: `/api/coalitions/${w.coalition.id}/people` },
        expectations.coordinator(200),
      );
      const ids = z
        .array(Coordinator)
        .parse(people.coordinator?.body)
        .map((p) => p.personId)
        .sort();
      // Active and observer organisations' people; not the suspended organisation's, not another coalition's.
      expect(ids).toEqual(
        [w.people.coordinator.id, w.people.adminA.id, w.people.memberA.id, w.people.adminB.id, w.people.observer.id].sort(),
      );

      await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id);
      const invitations = await checkPermissions(
        ctx,
        w.clients,
        { method: "GET", path: `/api/coalitions/${w.coalition.id}/invitations` },
        expectations.coordinator(200),
      );
      expect(invitations.coordinator?.body).toEqual([expect.objectContaining({ role: "admin", expired: false })]);
    });
  });

  describe("PATCH /api/coalitions/{id}", () => {
    it("coordinators edit it (audited with before and after); nobody else can", async () => {
      const w = await createWorld(ctx);
      const res = await checkPermissions(
        ctx,
        w.clients,
        {
          method: "PATCH",
          path: `/api/coalitions/${w.coalition.id}`,
          body: { name: "Renamed Alliance", timeZone: "UTC" },
          state: coalitionRow(w),
        },
        expectations.coordinator(200),
      );
      expect(res.coordinator?.body).toMatchObject({ name: "Renamed Alliance", timeZone: "UTC" });
      expect(await coalitionRow(w)()).toMatchObject({ name: "Renamed Alliance", time_zone: "UTC" });
      const event = await lastAudit("coalition.update");
      expect(event).toMatchObject({ coalition_id: w.coalition.id, actor_id: w.people.coordinator.id, target_id: w.coalition.id });
      expect(event.before).toMatchObject({ name: w.coalition.name, timeZone: "Asia/Phnom_Penh" });
      expect(event.after).toMatchObject({ name: "Renamed Alliance", timeZone: "UTC" });
    });

    it("refuses invalid input with field errors and changes nothing", async () => {
      const w = await createWorld(ctx);
      const path = `/api/coalitions/${w.coalition.id}`;
      await expectInvalid(
        ctx,
        () => w.clients.coordinator.patch(path, { name: "x", timeZone: "Mars/Olympus", colour: "red" }),
        ["name", "timeZone", "colour"],
        coalitionRow(w),
      );
      await expectInvalid(ctx, () => w.clients.coordinator.patch(path, {}), [""], coalitionRow(w));
      await expectInvalid(
        ctx,
        () => w.clients.coordinator.patch(path, { secondName: { language: "fr", name: "" } }),
        ["secondName.language", "secondName.name"],
        coalitionRow(w),
      );
      const before = await coalitionRow(w)();
      expectProblem(await w.clients.coordinator.patch(path, "{not json"), 400, "validation_failed");
      expect(await coalitionRow(w)()).toEqual(before);
    });
  });

  describe("the coalition's second name", () => {
    it("is set and removed by coordinators, and every member reads it, in the session's answer too", async () => {
      const w = await createWorld(ctx);
      const path = `/api/coalitions/${w.coalition.id}`;
      const secondName = { language: "km", name: "សម្ព័ន្ធទន្លេ" };
      const res = await w.clients.coordinator.patch<{ secondName: unknown }>(path, { secondName });
      expect(res.status, res.text).toBe(200);
      expect(res.body.secondName).toEqual(secondName);
      expect((await lastAudit("coalition.update")).after).toMatchObject({ secondName });
      const me = await w.clients.memberA.get<{ coalitions: { id: string; secondName: unknown }[] }>("/api/me");
      expect(me.body.coalitions.find((c) => c.id === w.coalition.id)?.secondName).toEqual(secondName);
      expect((await w.clients.observer.get<{ secondName: unknown }>(path)).body.secondName).toEqual(secondName);
      expectProblem(await w.clients.memberA.patch(path, { secondName: null }), 403, "forbidden");
      const removed = await w.clients.coordinator.patch<{ secondName: unknown }>(path, { secondName: null });
      expect(removed.body.secondName).toBeNull();
      expect(await coalitionRow(w)()).toMatchObject({ second_name: null, second_name_language: null });
    });
  });

  describe("POST /members (invite an organisation)", () => {
    it("creates an invited organisation, its invitation, an email to its contact and an audit event", async () => {
      const w = await createWorld(ctx);
      const body = { organisationName: "Cambodian Center for Human Rights", shortName: "CCHR", contactEmail: "Contact@CCHR.example.org" };
      const res = await checkPermissions(
        ctx,
        w.clients,
        { method: "POST", path: `/api/coalitions/${w.coalition.id}/members`, body },
        expectations.coordinator(201),
      );
      const { organisationId, invitationId } = (res.coordinator?.body ?? {}) as { organisationId: string; invitationId: string };
      expect(await memberStatus(w.coalition.id, organisationId)).toEqual({ status: "invited" });
      const invitation = await ctx.db.selectFrom("invitation").where("id", "=", invitationId).selectAll().executeTakeFirstOrThrow();
      expect(invitation).toMatchObject({
        kind: "organisation",
        email: "contact@cchr.example.org",
        role: "admin",
        organisation_id: organisationId,
        coalition_id: w.coalition.id,
        accepted_at: null,
        revoked_at: null,
      });
      const days = (invitation.expires_at.getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);
      const email = await ctx.db
        .selectFrom("outbox_email")
        .where("to_address", "=", "contact@cchr.example.org")
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(email.template).toBe("invitation_organisation");
      expect(email.text).toMatch(/\/invitations\/[A-Za-z0-9_-]{20,}/);
      // Only the hash of the token is stored.
      expect(email.text).not.toContain(invitation.token_hash);
      const event = await lastAudit("coalition.organisation_invited");
      expect(event).toMatchObject({ coalition_id: w.coalition.id, actor_id: w.people.coordinator.id, target_id: organisationId });
      expect(event.after).toMatchObject({ status: "invited", email: "contact@cchr.example.org", invitationId });
    });

    it("refuses invalid input with field errors and changes nothing", async () => {
      const w = await createWorld(ctx);
      const path = `/api/coalitions/${w.coalition.id}/members`;
      await expectInvalid(ctx, () => w.clients.coordinator.post(path, { organisationName: "", contactEmail: "nope", language: "fr" }), [
        "organisationName",
        "contactEmail",
        "language",
      ]);
      await expectInvalid(
        ctx,
        () =>
          w.clients.coordinator.post(path, { organisationName: "Valid name", contactEmail: "a@example.org", shortName: "x".repeat(21) }),
        ["shortName"],
      );
    });
  });

  describe("PATCH /members/{organisationId} (member status)", () => {
    it("only coordinators change a status; it takes effect on the next request", async () => {
      const w = await createWorld(ctx);
      const path = `/api/coalitions/${w.coalition.id}/members/${w.orgB.id}`;
      await checkPermissions(
        ctx,
        w.clients,
        { method: "PATCH", path, body: { status: "suspended" }, state: () => memberStatus(w.coalition.id, w.orgB.id) },
        expectations.coordinator(204),
      );
      expect(await memberStatus(w.coalition.id, w.orgB.id)).toEqual({ status: "suspended" });
      // Suspended: adminB no longer sees the coalition, nor orgA.
      expectProblem(await w.clients.adminB.get(`/api/coalitions/${w.coalition.id}`), 404, "not_found");
      expectProblem(await w.clients.adminB.get(`/api/organisations/${w.orgA.id}`), 404, "not_found");
      const event = await lastAudit("coalition.member_status");
      expect(event).toMatchObject({
        coalition_id: w.coalition.id,
        actor_id: w.people.coordinator.id,
        target_id: w.orgB.id,
        before: { status: "active" },
        after: { status: "suspended" },
      });
      const notice = await ctx.db
        .selectFrom("notification")
        .where("person_id", "=", w.people.adminB.id)
        .selectAll()
        .executeTakeFirstOrThrow();
      // About the organisation itself now that it no longer sees the coalition: no coalition, no link into it.
      expect(notice).toMatchObject({
        kind: "member_status",
        coalition_id: null,
        link: `/organisations/${w.orgB.id}`,
        params: { status: "suspended" },
      });

      // Observer: reads again but cannot act.
      expect((await w.clients.coordinator.patch(path, { status: "observer" })).status).toBe(204);
      expect((await w.clients.adminB.get(`/api/coalitions/${w.coalition.id}`)).status).toBe(200);
      expectProblem(await w.clients.adminB.patch(`/api/coalitions/${w.coalition.id}`, { name: "Observer edit" }), 403, "forbidden");

      // Back to active, then left.
      expect((await w.clients.coordinator.patch(path, { status: "active" })).status).toBe(204);
      expect((await w.clients.adminB.get(`/api/coalitions/${w.coalition.id}/members`)).status).toBe(200);
      expect((await w.clients.coordinator.patch(path, { status: "left" })).status).toBe(204);
      expectProblem(await w.clients.adminB.get(`/api/coalitions/${w.coalition.id}`), 404, "not_found");
      const history = await ctx.db
        .selectFrom("audit_event")
        .where("action", "=", "coalition.member_status")
        .where("target_id", "=", w.orgB.id)
        .select(["before", "after"])
        .orderBy("id")
        .execute();
      expect(history.map((h) => [(h.before as { status: string }).status, (h.after as { status: string }).status])).toEqual([
        ["active", "suspended"],
        ["suspended", "observer"],
        ["observer", "active"],
        ["active", "left"],
      ]);
    });

    it("an invited organisation can only be withdrawn, which revokes its invitation", async () => {
      const w = await createWorld(ctx);
      const invited = await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id);
      const path = `/api/coalitions/${w.coalition.id}/members/${invited.organisationId}`;
      expectProblem(await w.clients.coordinator.patch(path, { status: "active" }), 422, "precondition_failed");
      expect(await memberStatus(w.coalition.id, invited.organisationId)).toEqual({ status: "invited" });
      expect((await w.clients.coordinator.patch(path, { status: "left" })).status).toBe(204);
      const invitation = await ctx.db
        .selectFrom("invitation")
        .where("id", "=", invited.invitationId)
        .select("revoked_at")
        .executeTakeFirstOrThrow();
      expect(invitation.revoked_at).not.toBeNull();
      expectProblem(await ctx.anonymous().get(`/api/invitations/${invited.token}`), 410, "invitation_invalid");
    });

    it("invalid status, unknown, malformed or other coalitions' organisations", async () => {
      const w = await createWorld(ctx);
      const base = `/api/coalitions/${w.coalition.id}/members`;
      await expectInvalid(
        ctx,
        () => w.clients.coordinator.patch(`${base}/${w.orgA.id}`, { status: "invited" }),
        ["status"],
        () => memberStatus(w.coalition.id, w.orgA.id),
      );
      await expectInvalid(
        ctx,
        () => w.clients.coordinator.patch(`${base}/${w.orgA.id}`, { status: "active", extra: true }),
        ["extra"],
        () => memberStatus(w.coalition.id, w.orgA.id),
      );
      expectProblem(await w.clients.coordinator.patch(`${base}/${w.otherOrg.id}`, { status: "suspended" }), 404, "not_found");
      expect(await memberStatus(w.other.id, w.otherOrg.id)).toEqual({ status: "active" });
      expectProblem(await w.clients.coordinator.patch(`${base}/${NOT_A_UUID}`, { status: "suspended" }), 404, "not_found");
    });
  });

  describe("invitations of organisations", () => {
    it("DELETE /invitations/{id} revokes (coordinators); listing shows expired ones as expired", async () => {
      const w = await createWorld(ctx);
      const a = await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id);
      const b = await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id);
      await expireInvitation(ctx, b.invitationId);
      const list = await w.clients.coordinator.get<{ id: string; expired: boolean }[]>(`/api/coalitions/${w.coalition.id}/invitations`);
      expect(list.body.map((i) => [i.id, i.expired]).sort()).toEqual(
        [
          [a.invitationId, false],
          [b.invitationId, true],
        ].sort(),
      );

      const revoked = () => ctx.db.selectFrom("invitation").where("id", "=", a.invitationId).select("revoked_at").executeTakeFirstOrThrow();
      await checkPermissions(
        ctx,
        w.clients,
        { method: "DELETE", path: `/api/coalitions/${w.coalition.id}/invitations/${a.invitationId}`, state: revoked },
        expectations.coordinator(204),
      );
      expect((await revoked()).revoked_at).not.toBeNull();
      const event = await lastAudit("invitation.revoked");
      expect(event).toMatchObject({ coalition_id: w.coalition.id, actor_id: w.people.coordinator.id, target_id: a.organisationId });
      expectProblem(await ctx.anonymous().get(`/api/invitations/${a.token}`), 410, "invitation_invalid");
      // A second revocation, an unknown or malformed id, or another coalition's invitation: 404.
      expectProblem(
        await w.clients.coordinator.delete(`/api/coalitions/${w.coalition.id}/invitations/${a.invitationId}`),
        404,
        "not_found",
      );
      expectProblem(await w.clients.coordinator.delete(`/api/coalitions/${w.coalition.id}/invitations/${NOT_A_UUID}`), 404, "not_found");
      const foreign = await inviteOrganisationVia(ctx, w.clients.outsider, w.other.id);
      expectProblem(
        await w.clients.coordinator.delete(`/api/coalitions/${w.coalition.id}/invitations/${foreign.invitationId}`),
        404,
        "not_found",
      );
      expect((await ctx.anonymous().get(`/api/invitations/${foreign.token}`)).status).toBe(200);
    });
  });

  describe("coordinators", () => {
    it("POST /coordinators appoints a person of a member organisation (recent authentication)", async () => {
      const w = await createWorld(ctx);
      const path = `/api/coalitions/${w.coalition.id}/coordinators`;
      const coordinatorIds = () =>
        ctx.db.selectFrom("coordinator").where("coalition_id", "=", w.coalition.id).select("person_id").orderBy("person_id").execute();
      await checkPermissions(
        ctx,
        w.clients,
        { method: "POST", path, body: { personId: w.people.adminA.id }, state: coordinatorIds },
        expectations.coordinator(204),
      );
      expect((await coordinatorIds()).map((c) => c.person_id).sort()).toEqual([w.people.coordinator.id, w.people.adminA.id].sort());
      const event = await lastAudit("coalition.coordinator_appointed");
      expect(event).toMatchObject({
        coalition_id: w.coalition.id,
        actor_id: w.people.coordinator.id,
        target_id: w.people.adminA.id,
        after: { role: "coordinator" },
      });
      expect(
        await ctx.db
          .selectFrom("notification")
          .where("person_id", "=", w.people.adminA.id)
          .where("kind", "=", "coordinator_appointed")
          .select("id")
          .execute(),
      ).toHaveLength(1);
      // The new coordinator can act at once.
      expect((await w.clients.adminA.get(`/api/coalitions/${w.coalition.id}/people`)).status).toBe(200);
      // Appointing again is a no-op.
      expect((await w.clients.coordinator.post(path, { personId: w.people.adminA.id })).status).toBe(204);
      expect(
        await ctx.db
          .selectFrom("audit_event")
          .where("action", "=", "coalition.coordinator_appointed")
          .where("target_id", "=", w.people.adminA.id)
          .select("id")
          .execute(),
      ).toHaveLength(1);

      // Not a person of an active/observer member organisation: 404, nothing changes.
      for (const personId of [w.people.outsider.id, w.people.suspended.id, "00000000-0000-4000-8000-000000000000"]) {
        const before = await coordinatorIds();
        expectProblem(await w.clients.coordinator.post(path, { personId }), 404, "not_found");
        expect(await coordinatorIds()).toEqual(before);
      }
      await expectInvalid(ctx, () => w.clients.coordinator.post(path, { personId: "nope" }), ["personId"], coordinatorIds);
      await expectInvalid(ctx, () => w.clients.coordinator.post(path, {}), ["personId"], coordinatorIds);

      // Without a recent authentication: 403 reauthentication_required and no change.
      await staleRecentAuth(ctx, w.clients.coordinator);
      const before = await coordinatorIds();
      expectProblem(await w.clients.coordinator.post(path, { personId: w.people.memberA.id }), 403, "reauthentication_required");
      expect(await coordinatorIds()).toEqual(before);
    });

    it("DELETE /coordinators/{personId} removes one, never the last (recent authentication)", async () => {
      const w = await createWorld(ctx);
      await ctx.db.insertInto("coordinator").values({ coalition_id: w.coalition.id, person_id: w.people.adminA.id }).execute();
      const coordinatorIds = () =>
        ctx.db.selectFrom("coordinator").where("coalition_id", "=", w.coalition.id).select("person_id").orderBy("person_id").execute();
      const path = `/api/coalitions/${w.coalition.id}/coordinators/${w.people.adminA.id}`;
      // adminA is now a coordinator, so the matrix excludes it; the others are refused.
      const { adminA: _skip, ...rest } = expectations.coordinator(204);
      await checkPermissions(ctx, w.clients, { method: "DELETE", path, state: coordinatorIds }, rest);
      expect((await coordinatorIds()).map((c) => c.person_id)).toEqual([w.people.coordinator.id]);
      const event = await lastAudit("coalition.coordinator_removed");
      expect(event).toMatchObject({
        coalition_id: w.coalition.id,
        actor_id: w.people.coordinator.id,
        target_id: w.people.adminA.id,
        before: { role: "coordinator" },
      });
      // The removed coordinator loses the role on the next request.
      expectProblem(await w.clients.adminA.get(`/api/coalitions/${w.coalition.id}/people`), 403, "forbidden");

      // The last one cannot be removed, not even by themselves.
      const self = `/api/coalitions/${w.coalition.id}/coordinators/${w.people.coordinator.id}`;
      expectProblem(await w.clients.coordinator.delete(self), 409, "last_coordinator");
      expect(await coordinatorIds()).toHaveLength(1);
      // Not a coordinator, malformed id: 404.
      expectProblem(
        await w.clients.coordinator.delete(`/api/coalitions/${w.coalition.id}/coordinators/${w.people.memberA.id}`),
        404,
        "not_found",
      );
      expectProblem(await w.clients.coordinator.delete(`/api/coalitions/${w.coalition.id}/coordinators/${NOT_A_UUID}`), 404, "not_found");

      await ctx.db.insertInto("coordinator").values({ coalition_id: w.coalition.id, person_id: w.people.adminB.id }).execute();
      await staleRecentAuth(ctx, w.clients.coordinator);
      expectProblem(
        await w.clients.coordinator.delete(`/api/coalitions/${w.coalition.id}/coordinators/${w.people.adminB.id}`),
        403,
        "reauthentication_required",
      );
      expect(await coordinatorIds()).toHaveLength(2);
    });

    it("a person in several organisations and coalitions sees each coalition through any of them", async () => {
      const w = await createWorld(ctx);
      const person = await createPerson(ctx);
      // Member of the suspended org (no access) and of the other coalition's organisation.
      await addMember(ctx, w.suspendedOrg.id, person.id, "member");
      await addMember(ctx, w.otherOrg.id, person.id, "member");
      const client = await signInAs(ctx, person);
      expectProblem(await client.get(`/api/coalitions/${w.coalition.id}`), 404, "not_found");
      expect((await client.get(`/api/coalitions/${w.other.id}`)).status).toBe(200);
      // Joining orgB too (active) opens the first coalition.
      await addMember(ctx, w.orgB.id, person.id, "member");
      expect((await client.get(`/api/coalitions/${w.coalition.id}`)).status).toBe(200);
      // An organisation of no coalition opens nothing.
      const loose = await createOrganisation(ctx, null);
      const lonely = await createPerson(ctx);
      await addMember(ctx, loose.id, lonely.id, "admin");
      expectProblem(await (await signInAs(ctx, lonely)).get(`/api/coalitions/${w.coalition.id}`), 404, "not_found");
    });
  });
});

describe("the coalition directory (names for mentions)", () => {
  it("lists the coalition's people by name only, to members; not to other coalitions", async () => {
    const ctx = await buildTestApp();
    const w = await createWorld(ctx);
    const url = `/api/coalitions/${w.coalition.id}/directory`;
    const res = await w.clients.memberA.get<{ personId: string; displayName: string }[]>(url);
    expect(res.status).toBe(200);
    const ids = res.body.map((p) => p.personId);
    expect(ids).toEqual(
      expect.arrayContaining([w.people.coordinator.id, w.people.adminA.id, w.people.memberA.id, w.people.adminB.id, w.people.observer.id]),
    );
    expect(ids).not.toContain(w.people.suspended.id);
    expect(ids).not.toContain(w.people.outsider.id);
    expect(JSON.stringify(res.body)).not.toContain("@");
    expect((await w.clients.outsider.get(url)).status).toBe(404);
    expect((await w.clients.anonymous.get(url)).status).toBe(401);
  });
});
