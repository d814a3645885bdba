import { OrganisationInvitation, OrganisationPerson } from "@samakki/shared/organisations";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { invitePersonVia, staleRecentAuth } from "../../../../test/factories/invitations.ts";
import { checkPermissions, expectations, expectInvalid, expectProblem, snapshotCounts, type World } from "../../../../test/permissions.ts";

describe("organisations", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  const orgRow = (id: string) => () => ctx.db.selectFrom("organisation").where("id", "=", id).selectAll().executeTakeFirstOrThrow();
  const membershipOf = (orgId: string, personId: string) =>
    ctx.db
      .selectFrom("membership")
      .where("organisation_id", "=", orgId)
      .where("person_id", "=", personId)
      .select(["role", "representative"])
      .executeTakeFirst();
  const memberships = (orgId: string) => () =>
    ctx.db
      .selectFrom("membership")
      .where("organisation_id", "=", orgId)
      .select(["person_id", "role", "representative"])
      .orderBy("person_id")
      .execute();
  const lastAudit = (action: string) =>
    ctx.db.selectFrom("audit_event").where("action", "=", action).selectAll().orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();

  describe("reading", () => {
    let w: World;
    beforeAll(async () => {
      w = await createWorld(ctx);
    });

    it("GET /api/organisations/{id}: its people and its coalition's people; others 404", async () => {
      const res = await checkPermissions(
        ctx,
        w.clients,
        { method: "GET", path: `/api/organisations/${w.orgA.id}` },
        expectations.organisationMember(200),
      );
      expect(res.adminA?.body).toMatchObject({ id: w.orgA.id, name: w.orgA.name, contactEmail: w.orgA.contact_email, canAdminister: true });
      expect(res.memberA?.body).toMatchObject({ canAdminister: false });
      expect(res.coordinator?.body).toMatchObject({ canAdminister: false });
      // Another coalition's organisation, a malformed id.
      expectProblem(await w.clients.coordinator.get(`/api/organisations/${w.otherOrg.id}`), 404, "not_found");
      expectProblem(await w.clients.coordinator.get(`/api/organisations/nope`), 404, "not_found");
      // The suspended organisation's own people still see their organisation.
      expect((await w.clients.suspended.get(`/api/organisations/${w.suspendedOrg.id}`)).status).toBe(200);
    });

    it("GET /people lists people with roles and representatives", async () => {
      const res = await checkPermissions(
        ctx,
        w.clients,
        { method: "GET", path: `/api/organisations/${w.orgA.id}/people` },
        expectations.organisationMember(200),
      );
      const people = z.array(OrganisationPerson).parse(res.adminB?.body);
      expect(people.map((p) => [p.personId, p.role, p.representative]).sort()).toEqual(
        [
          [w.people.adminA.id, "admin", true],
          [w.people.memberA.id, "member", false],
        ].sort(),
      );
    });

    it("GET /invitations is for the organisation's admins", async () => {
      await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, "pending.reader@example.org");
      const res = await checkPermissions(
        ctx,
        w.clients,
        { method: "GET", path: `/api/organisations/${w.orgA.id}/invitations` },
        expectations.organisationAdmin(200),
      );
      expect(res.adminA?.body).toEqual([expect.objectContaining({ email: "pending.reader@example.org", role: "member" })]);
    });
  });

  describe("PATCH /api/organisations/{id}", () => {
    it("admins edit the profile (audited); others are refused and nothing changes", async () => {
      const w = await createWorld(ctx);
      const body = {
        name: "Licadho",
        shortName: "LCD",
        description: "Human rights",
        website: "https://example.org",
        contactEmail: "Office@Example.org",
      };
      const res = await checkPermissions(
        ctx,
        w.clients,
        { method: "PATCH", path: `/api/organisations/${w.orgA.id}`, body, state: orgRow(w.orgA.id) },
        expectations.organisationAdmin(200),
      );
      expect(res.adminA?.body).toMatchObject({
        name: "Licadho",
        shortName: "LCD",
        website: "https://example.org",
        contactEmail: "office@example.org",
      });
      expect(await orgRow(w.orgA.id)()).toMatchObject({ name: "Licadho", short_name: "LCD", contact_email: "office@example.org" });
      const event = await lastAudit("organisation.update");
      expect(event).toMatchObject({ actor_id: w.people.adminA.id, target_type: "organisation", target_id: w.orgA.id });
      expect(event.before).toMatchObject({ name: w.orgA.name });
      expect(event.after).toMatchObject({ name: "Licadho" });
    });

    it("refuses invalid input with field errors and changes nothing", async () => {
      const w = await createWorld(ctx);
      const path = `/api/organisations/${w.orgA.id}`;
      await expectInvalid(
        ctx,
        () => w.clients.adminA.patch(path, { name: "x", website: "javascript:alert(1)", contactEmail: "nope", logo: "x" }),
        ["name", "website", "contactEmail", "logo"],
        orgRow(w.orgA.id),
      );
      await expectInvalid(ctx, () => w.clients.adminA.patch(path, {}), [""], orgRow(w.orgA.id));
    });
  });

  describe("people", () => {
    it("PATCH /people/{personId}: admins promote (representative by default), audited and notified", async () => {
      const w = await createWorld(ctx);
      const path = `/api/organisations/${w.orgA.id}/people/${w.people.memberA.id}`;
      await checkPermissions(
        ctx,
        w.clients,
        { method: "PATCH", path, body: { role: "admin" }, state: memberships(w.orgA.id) },
        expectations.organisationAdmin(204),
      );
      expect(await membershipOf(w.orgA.id, w.people.memberA.id)).toEqual({ role: "admin", representative: true });
      const event = await lastAudit("organisation.person_updated");
      expect(event).toMatchObject({ actor_id: w.people.adminA.id, target_id: w.orgA.id });
      expect(event.before).toEqual({ personId: w.people.memberA.id, role: "member", representative: false });
      expect(event.after).toEqual({ personId: w.people.memberA.id, role: "admin", representative: true });
      expect(
        await ctx.db
          .selectFrom("notification")
          .where("person_id", "=", w.people.memberA.id)
          .where("kind", "=", "role_changed")
          .select("id")
          .execute(),
      ).toHaveLength(1);
      // Takes effect on the next request: memberA now administers orgA.
      expect((await w.clients.memberA.get(`/api/organisations/${w.orgA.id}/invitations`)).status).toBe(200);
      // Representative flag alone.
      expect((await w.clients.adminA.patch(path, { representative: false })).status).toBe(204);
      expect(await membershipOf(w.orgA.id, w.people.memberA.id)).toEqual({ role: "admin", representative: false });
    });

    it("never demotes or removes the last admin; needs a recent authentication for role changes", async () => {
      const w = await createWorld(ctx);
      const self = `/api/organisations/${w.orgA.id}/people/${w.people.adminA.id}`;
      const state = memberships(w.orgA.id);
      let before = await state();
      expectProblem(await w.clients.adminA.patch(self, { role: "member" }), 409, "last_admin");
      expectProblem(await w.clients.adminA.delete(self), 409, "last_admin");
      expect(await state()).toEqual(before);

      await staleRecentAuth(ctx, w.clients.adminA);
      expectProblem(
        await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}/people/${w.people.memberA.id}`, { role: "admin" }),
        403,
        "reauthentication_required",
      );
      expect(await state()).toEqual(before);

      // Invalid input, a person of another organisation, a malformed id.
      const fresh = await createWorld(ctx);
      before = await memberships(fresh.orgA.id)();
      await expectInvalid(
        ctx,
        () => fresh.clients.adminA.patch(`/api/organisations/${fresh.orgA.id}/people/${fresh.people.memberA.id}`, { role: "owner" }),
        ["role"],
        memberships(fresh.orgA.id),
      );
      await expectInvalid(
        ctx,
        () => fresh.clients.adminA.patch(`/api/organisations/${fresh.orgA.id}/people/${fresh.people.memberA.id}`, {}),
        [""],
        memberships(fresh.orgA.id),
      );
      expectProblem(
        await fresh.clients.adminA.patch(`/api/organisations/${fresh.orgA.id}/people/${fresh.people.adminB.id}`, { role: "admin" }),
        404,
        "not_found",
      );
      expectProblem(
        await fresh.clients.adminA.patch(`/api/organisations/${fresh.orgA.id}/people/not-a-uuid`, { role: "admin" }),
        404,
        "not_found",
      );
      expectProblem(
        await fresh.clients.adminA.delete(`/api/organisations/${fresh.orgA.id}/people/${fresh.people.adminB.id}`),
        404,
        "not_found",
      );
      expect(await memberships(fresh.orgA.id)()).toEqual(before);
      expect(await membershipOf(fresh.orgB.id, fresh.people.adminB.id)).toEqual({ role: "admin", representative: true });
    });

    it("DELETE /people/{personId}: admins remove people (audited); the removed lose access at once", async () => {
      const w = await createWorld(ctx);
      const path = `/api/organisations/${w.orgA.id}/people/${w.people.memberA.id}`;
      await checkPermissions(
        ctx,
        w.clients,
        { method: "DELETE", path, state: memberships(w.orgA.id) },
        expectations.organisationAdmin(204),
      );
      expect(await membershipOf(w.orgA.id, w.people.memberA.id)).toBeUndefined();
      const event = await lastAudit("organisation.person_removed");
      expect(event).toMatchObject({
        actor_id: w.people.adminA.id,
        target_id: w.orgA.id,
        before: { personId: w.people.memberA.id, role: "member" },
      });
      expectProblem(await w.clients.memberA.get(`/api/coalitions/${w.coalition.id}`), 404, "not_found");
      expectProblem(await w.clients.memberA.get(`/api/organisations/${w.orgA.id}`), 404, "not_found");
      expectProblem(await w.clients.adminA.delete(path), 404, "not_found");
    });
  });

  describe("invitations of people", () => {
    it("POST /invitations: admins invite by email (7 days, emailed, audited); invalid input and members refused", async () => {
      const w = await createWorld(ctx);
      const path = `/api/organisations/${w.orgA.id}/invitations`;
      const res = await checkPermissions(
        ctx,
        w.clients,
        { method: "POST", path, body: { email: "New.Person@Example.org", role: "admin" } },
        expectations.organisationAdmin(201),
      );
      const created = OrganisationInvitation.parse(res.adminA?.body);
      expect(created).toMatchObject({ email: "new.person@example.org", role: "admin" });
      const days = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);
      const email = await ctx.db
        .selectFrom("outbox_email")
        .where("to_address", "=", "new.person@example.org")
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(email.template).toBe("invitation_person");
      expect(email.text).toMatch(/\/invitations\/[A-Za-z0-9_-]{20,}/);
      const event = await lastAudit("organisation.person_invited");
      expect(event).toMatchObject({
        actor_id: w.people.adminA.id,
        target_id: w.orgA.id,
        after: { email: "new.person@example.org", role: "admin", invitationId: created.id },
      });

      await expectInvalid(ctx, () => w.clients.adminA.post(path, { email: "not-an-email", role: "owner", extra: 1 }), [
        "email",
        "role",
        "extra",
      ]);
      await expectInvalid(ctx, () => w.clients.adminA.post(path, {}), ["email"]);
      // Already a member: 409 with the field named, nothing sent.
      const before = await snapshotCounts(ctx);
      const dup = await w.clients.adminA.post<{ errors: { path: string }[] }>(path, { email: w.people.memberA.email });
      expectProblem(dup, 409, "already_member");
      expect(dup.body.errors.map((e) => e.path)).toEqual(["email"]);
      expect(await snapshotCounts(ctx)).toEqual(before);
    });

    it("DELETE /invitations/{id}: admins revoke (audited); the link is dead; other organisations' invitations are 404", async () => {
      const w = await createWorld(ctx);
      const inv = await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, "to.revoke@example.org");
      const revoked = () =>
        ctx.db.selectFrom("invitation").where("id", "=", inv.invitationId).select("revoked_at").executeTakeFirstOrThrow();
      await checkPermissions(
        ctx,
        w.clients,
        { method: "DELETE", path: `/api/organisations/${w.orgA.id}/invitations/${inv.invitationId}`, state: revoked },
        expectations.organisationAdmin(204),
      );
      expect((await revoked()).revoked_at).not.toBeNull();
      expect(await lastAudit("invitation.revoked")).toMatchObject({
        actor_id: w.people.adminA.id,
        target_id: w.orgA.id,
        before: { invitationId: inv.invitationId },
      });
      expectProblem(await ctx.anonymous().get(`/api/invitations/${inv.token}`), 410, "invitation_invalid");
      expect((await w.clients.adminA.get<unknown[]>(`/api/organisations/${w.orgA.id}/invitations`)).body).toEqual([]);

      const b = await invitePersonVia(ctx, w.clients.adminB, w.orgB.id, "b.invitee@example.org");
      expectProblem(await w.clients.adminA.delete(`/api/organisations/${w.orgA.id}/invitations/${b.invitationId}`), 404, "not_found");
      expectProblem(await w.clients.adminA.delete(`/api/organisations/${w.orgA.id}/invitations/nope`), 404, "not_found");
      expect((await ctx.anonymous().get(`/api/invitations/${b.token}`)).status).toBe(200);
    });
  });
});
