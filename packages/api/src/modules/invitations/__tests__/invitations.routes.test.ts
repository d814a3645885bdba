import type { InvitationPreview } from "@samakki/shared/coalitions";
import { translate } from "@samakki/shared/i18n/index";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext } from "../../../../test/app.ts";
import { addMember, createPerson, createWorld, DEFAULT_PASSWORD, unique } from "../../../../test/factories/index.ts";
import { emailsTo, expireInvitation, inviteOrganisationVia, invitePersonVia, lastEmailTo } from "../../../../test/factories/invitations.ts";
import { expectCountChanges, expectInvalid, expectProblem, snapshotCounts, type World } from "../../../../test/permissions.ts";
import { processPasswordResetRequests } from "../../auth/email-links.service.ts";

const NEW_PASSWORD = "a long and unusual passphrase";

describe("invitations", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  const invitationRow = (id: string) => ctx.db.selectFrom("invitation").where("id", "=", id).selectAll().executeTakeFirstOrThrow();
  const personByEmail = (email: string) => ctx.db.selectFrom("person").where("email", "=", email).selectAll().executeTakeFirst();

  /** Accepting must be refused with this status and code, with nothing changed. */
  async function refusedAccept(client: TestClient, token: string, body: unknown, status: number, code: string) {
    const before = await snapshotCounts(ctx);
    expectProblem(await client.post(`/api/invitations/${token}/accept`, body), status, code);
    expect(await snapshotCounts(ctx)).toEqual(before);
  }

  it("GET /api/invitations/{token} shows what it invites to, to anyone holding the link", async () => {
    const inv = await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id, { organisationName: "Preview Org" });
    const res = await ctx.anonymous().get(`/api/invitations/${inv.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: "organisation",
      coordinator: false,
      email: inv.contactEmail,
      coalitionName: w.coalition.name,
      organisationName: "Preview Org",
      accountExists: false,
    });
    expectProblem(await ctx.anonymous().get(`/api/invitations/${"x".repeat(32)}`), 410, "invitation_invalid");
    // Reading never changes anything (no acceptance on GET).
    expect((await invitationRow(inv.invitationId)).accepted_at).toBeNull();
  });

  it("GET /api/invitations/{token} gives the organisation's and the coalition's second names, so a Khmer reader sees theirs", async () => {
    const inv = await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id, { organisationName: "Second Name Org" });
    const before = (await ctx.anonymous().get<InvitationPreview>(`/api/invitations/${inv.token}`)).body;
    expect(before).toMatchObject({ organisationSecondName: null });
    await ctx.db
      .updateTable("organisation")
      .set({ second_name: "អង្គការ", second_name_language: "km" })
      .where("id", "=", inv.organisationId)
      .execute();
    const coalition = await ctx.db
      .selectFrom("coalition")
      .where("id", "=", w.coalition.id)
      .select(["second_name", "second_name_language"])
      .executeTakeFirstOrThrow();
    await ctx.db
      .updateTable("coalition")
      .set({ second_name: "សម្ព័ន្ធ", second_name_language: "km" })
      .where("id", "=", w.coalition.id)
      .execute();
    try {
      const res = await ctx.anonymous().get<InvitationPreview>(`/api/invitations/${inv.token}`);
      expect(res.body).toMatchObject({
        organisationName: "Second Name Org",
        organisationSecondName: { language: "km", name: "អង្គការ" },
        coalitionName: w.coalition.name,
        coalitionSecondName: { language: "km", name: "សម្ព័ន្ធ" },
      });
    } finally {
      await ctx.db.updateTable("coalition").set(coalition).where("id", "=", w.coalition.id).execute();
    }
  });

  it("an organisation invitation accepted by a new account: verified person, admin and representative, organisation active, coordinators notified, audited", async () => {
    const inv = await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id, { organisationName: "Youth Network" });
    const client = ctx.anonymous();
    const res = await client.post(`/api/invitations/${inv.token}/accept`, {
      displayName: "Chan Dara",
      password: NEW_PASSWORD,
      language: "km",
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ organisationId: inv.organisationId, coalitionId: w.coalition.id, accountCreated: true });
    expect(client.cookie).toBeDefined();

    const person = await personByEmail(inv.contactEmail);
    expect(person).toMatchObject({ display_name: "Chan Dara", language: "km", disabled_at: null });
    expect(person?.email_verified_at).not.toBeNull();
    expect(person?.password_hash).not.toContain(NEW_PASSWORD);
    const membership = await ctx.db.selectFrom("membership").where("organisation_id", "=", inv.organisationId).selectAll().execute();
    expect(membership).toEqual([expect.objectContaining({ person_id: person?.id, role: "admin", representative: true })]);
    const member = await ctx.db
      .selectFrom("coalition_member")
      .where("coalition_id", "=", w.coalition.id)
      .where("organisation_id", "=", inv.organisationId)
      .select("status")
      .executeTakeFirstOrThrow();
    expect(member.status).toBe("active");
    expect(await invitationRow(inv.invitationId)).toMatchObject({ accepted_by: person?.id });
    const notified = await ctx.db
      .selectFrom("notification")
      .where("kind", "=", "organisation_joined")
      .where("coalition_id", "=", w.coalition.id)
      .select("person_id")
      .execute();
    expect(notified.map((n) => n.person_id)).toEqual([w.people.coordinator.id]);
    const event = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "coalition.invitation_accepted")
      .where("target_id", "=", inv.organisationId)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      coalition_id: w.coalition.id,
      actor_id: person?.id,
      after: { personId: person?.id, role: "admin", status: "active", invitationId: inv.invitationId },
    });

    // The new admin is signed in and sees the coalition and administers the organisation.
    expect((await client.get(`/api/coalitions/${w.coalition.id}`)).status).toBe(200);
    expect((await client.get<{ canAdminister: boolean }>(`/api/organisations/${inv.organisationId}`)).body.canAdminister).toBe(true);

    // Single use: a second acceptance (signed out or in) and the preview get 410.
    await refusedAccept(ctx.anonymous(), inv.token, { displayName: "Again", password: NEW_PASSWORD }, 410, "invitation_invalid");
    await refusedAccept(client, inv.token, {}, 410, "invitation_invalid");
    expectProblem(await ctx.anonymous().get(`/api/invitations/${inv.token}`), 410, "invitation_invalid");
  });

  it("the invitation email names the organisation, and the coalition, in the email's language", async () => {
    const kmOrg = unique("សមាគម");
    expect((await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, { secondName: { language: "km", name: kmOrg } })).status).toBe(
      200,
    );
    const kmCoalition = unique("សម្ព័ន្ធ");
    const named = await w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}`, {
      secondName: { language: "km", name: kmCoalition },
    });
    expect(named.status, named.text).toBe(200);
    try {
      const khmer = `${unique("km")}@example.org`;
      const english = `${unique("en")}@example.org`;
      await w.clients.adminA.post(`/api/organisations/${w.orgA.id}/invitations`, { email: khmer, role: "member", language: "km" });
      await w.clients.adminA.post(`/api/organisations/${w.orgA.id}/invitations`, { email: english, role: "member", language: "en" });
      const km = await lastEmailTo(ctx, khmer);
      expect(km?.subject).toContain(kmOrg);
      expect(km?.text).not.toContain(w.orgA.name);
      const en = await lastEmailTo(ctx, english);
      expect(en?.subject).toContain(w.orgA.name);
      expect(en?.text).not.toContain(kmOrg);

      const invited = `${unique("org")}@example.org`;
      const org = await w.clients.coordinator.post(`/api/coalitions/${w.coalition.id}/members`, {
        organisationName: unique("Invited NGO"),
        contactEmail: invited,
        language: "km",
      });
      expect(org.status, org.text).toBe(201);
      expect((await lastEmailTo(ctx, invited))?.text).toContain(kmCoalition);
    } finally {
      await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, { secondName: null });
      await w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}`, { secondName: null });
    }
  });

  it("a person invited with a name and a language: the email in that language, the account form filled in, their own choice wins", async () => {
    const email = `${unique("named")}@example.org`;
    const res = await w.clients.adminA.post<{ id: string; displayName: string | null; language: string | null }>(
      `/api/organisations/${w.orgA.id}/invitations`,
      { email, role: "member", displayName: "សុខ ដារ៉ា", language: "km" },
    );
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ displayName: "សុខ ដារ៉ា", language: "km" });
    const sent = await lastEmailTo(ctx, email);
    expect(sent?.language).toBe("km");
    const token = sent?.text.match(/\/invitations\/([A-Za-z0-9_-]+)/)?.[1] ?? "";
    const preview = await ctx.anonymous().get<{ displayName: string | null; language: string | null }>(`/api/invitations/${token}`);
    expect(preview.body).toMatchObject({ displayName: "សុខ ដារ៉ា", language: "km" });
    const pending = await w.clients.adminA.get<{ email: string; displayName: string | null }[]>(
      `/api/organisations/${w.orgA.id}/invitations`,
    );
    expect(pending.body.find((i) => i.email === email)?.displayName).toBe("សុខ ដារ៉ា");
    // Accepted without a name: the inviter's stands, and the language.
    expect((await ctx.anonymous().post(`/api/invitations/${token}/accept`, { password: NEW_PASSWORD })).status).toBe(200);
    expect(await personByEmail(email)).toMatchObject({ display_name: "សុខ ដារ៉ា", language: "km" });

    // Given their own name and language, theirs win.
    const other = `${unique("named")}@example.org`;
    const second = await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, other);
    await ctx.db
      .updateTable("invitation")
      .set({ display_name: "Given name", language: "km" })
      .where("id", "=", second.invitationId)
      .execute();
    const accepted = await ctx.anonymous().post(`/api/invitations/${second.token}/accept`, {
      displayName: "Chosen name",
      password: NEW_PASSWORD,
      language: "en",
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect(await personByEmail(other)).toMatchObject({ display_name: "Chosen name", language: "en" });
    // An empty name is not a name.
    await expectInvalid(
      ctx,
      () => w.clients.adminA.post(`/api/organisations/${w.orgA.id}/invitations`, { email: `${unique("x")}@example.org`, displayName: " " }),
      ["displayName"],
    );
  });

  it("expired and revoked invitations cannot be previewed or accepted", async () => {
    const expired = await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id);
    await expireInvitation(ctx, expired.invitationId);
    expectProblem(await ctx.anonymous().get(`/api/invitations/${expired.token}`), 410, "invitation_invalid");
    await refusedAccept(ctx.anonymous(), expired.token, { displayName: "Late", password: NEW_PASSWORD }, 410, "invitation_invalid");
    expect(await personByEmail(expired.contactEmail)).toBeUndefined();

    const revoked = await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, `${unique("revoked")}@example.org`);
    expect((await w.clients.adminA.delete(`/api/organisations/${w.orgA.id}/invitations/${revoked.invitationId}`)).status).toBe(204);
    expectProblem(await ctx.anonymous().get(`/api/invitations/${revoked.token}`), 410, "invitation_invalid");
    await refusedAccept(ctx.anonymous(), revoked.token, { displayName: "Revoked", password: NEW_PASSWORD }, 410, "invitation_invalid");
    expect(await personByEmail(revoked.email)).toBeUndefined();
  });

  it("inviting someone who is already a member is 409 already_member on the email, saying so in the inviter's language; nothing is sent", async () => {
    const before = await snapshotCounts(ctx);
    const res = await w.clients.adminA.post(
      `/api/organisations/${w.orgA.id}/invitations`,
      { email: w.people.memberA.email.toUpperCase(), role: "member" },
      { "x-samakki-language": "km" },
    );
    expectProblem(res, 409, "already_member");
    expect(res.body).toMatchObject({ errors: [{ path: "email", message: translate("km", "errors.already_member.detail") }] });
    await expectCountChanges(ctx, before, {});
  });

  it("signed in with another email: 409 invitation_email_mismatch; signed out for an existing account: 401", async () => {
    const invitee = await createPerson(ctx);
    const inv = await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, invitee.email, "admin");
    expect((await ctx.anonymous().get<{ accountExists: boolean }>(`/api/invitations/${inv.token}`)).body.accountExists).toBe(true);
    await refusedAccept(w.clients.memberA, inv.token, {}, 409, "invitation_email_mismatch");
    await refusedAccept(ctx.anonymous(), inv.token, { displayName: "Hijack", password: NEW_PASSWORD }, 401, "unauthenticated");
    expect((await personByEmail(invitee.email))?.display_name).toBe(invitee.display_name);

    // The invitee signs in and accepts: a person in several organisations.
    await addMember(ctx, w.orgB.id, invitee.id, "member");
    const client = ctx.anonymous();
    expect((await client.post("/api/auth/sign-in", { email: invitee.email, password: DEFAULT_PASSWORD })).status).toBe(200);
    const res = await client.post(`/api/invitations/${inv.token}/accept`, {});
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ organisationId: w.orgA.id, coalitionId: null, accountCreated: false });
    const memberships = await ctx.db
      .selectFrom("membership")
      .where("person_id", "=", invitee.id)
      .select(["organisation_id", "role", "representative"])
      .execute();
    expect(memberships.map((m) => [m.organisation_id, m.role, m.representative]).sort()).toEqual(
      [
        [w.orgA.id, "admin", true],
        [w.orgB.id, "member", false],
      ].sort(),
    );
    const event = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "organisation.invitation_accepted")
      .where("actor_id", "=", invitee.id)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ target_id: w.orgA.id, after: { personId: invitee.id, role: "admin", invitationId: inv.invitationId } });
  });

  it("signed out, a new account needs a name and a strong password; bad input changes nothing", async () => {
    const inv = await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, `${unique("fields")}@example.org`);
    const path = `/api/invitations/${inv.token}/accept`;
    await expectInvalid(ctx, () => ctx.anonymous().post(path, {}), ["displayName", "password"]);
    await expectInvalid(ctx, () => ctx.anonymous().post(path, { displayName: "Short", password: "short", language: "fr", admin: true }), [
      "password",
      "language",
      "admin",
    ]);
    await refusedAccept(ctx.anonymous(), inv.token, { displayName: "Weak", password: "password1234" }, 400, "password_too_weak");
    expect(await personByEmail(inv.email)).toBeUndefined();
    // The invitation is still usable afterwards.
    const res = await ctx.anonymous().post(path, { displayName: "Fields OK", password: NEW_PASSWORD });
    expect(res.status, res.text).toBe(200);
    expect(
      await ctx.db
        .selectFrom("membership")
        .where("organisation_id", "=", w.orgA.id)
        .where("person_id", "=", (await personByEmail(inv.email))?.id ?? "")
        .select("role")
        .executeTakeFirst(),
    ).toEqual({ role: "member" });
  });

  describe("the password reset path cannot revive an invitation (Decidim CVE-2023-48220)", () => {
    it("no account: resetting the password for an expired or revoked invitation's email creates nothing and sends nothing", async () => {
      const expired = await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id);
      await expireInvitation(ctx, expired.invitationId);
      const revoked = await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, `${unique("revoked-reset")}@example.org`);
      expect((await w.clients.adminA.delete(`/api/organisations/${w.orgA.id}/invitations/${revoked.invitationId}`)).status).toBe(204);

      for (const email of [expired.contactEmail, revoked.email]) {
        const token = email === expired.contactEmail ? expired.token : revoked.token;
        const people = await snapshotCounts(ctx);
        expect((await ctx.anonymous().post("/api/auth/password-reset", { email })).status).toBe(202);
        await processPasswordResetRequests(ctx.deps);
        expect(await personByEmail(email)).toBeUndefined();
        expect(await emailsTo(ctx, email)).toHaveLength(1); // only the invitation itself
        expect((await lastEmailTo(ctx, email))?.template).toMatch(/^invitation_/);
        // No person, token, email, audit event or anything else was written, except the counter
        // of the address's password-reset limit (docs/security.md §6).
        await expectCountChanges(ctx, people, { rate_limit: 1 });
        await refusedAccept(ctx.anonymous(), token, { displayName: "Revived", password: NEW_PASSWORD }, 410, "invitation_invalid");
      }
    });

    it("existing account: a password reset and a fresh sign-in do not make an expired invitation acceptable", async () => {
      const invitee = await createPerson(ctx);
      const inv = await invitePersonVia(ctx, w.clients.adminB, w.orgB.id, invitee.email, "admin");
      await expireInvitation(ctx, inv.invitationId);

      expect((await ctx.anonymous().post("/api/auth/password-reset", { email: invitee.email })).status).toBe(202);
      await processPasswordResetRequests(ctx.deps);
      const resetEmail = await lastEmailTo(ctx, invitee.email);
      expect(resetEmail?.template).toBe("password_reset");
      const resetToken = resetEmail?.text.match(/reset-password\?token=([A-Za-z0-9_-]+)/)?.[1] ?? "";
      expect(resetToken).not.toBe("");
      expect((await ctx.anonymous().post("/api/auth/password-reset/confirm", { token: resetToken, password: NEW_PASSWORD })).status).toBe(
        204,
      );

      const client = ctx.anonymous();
      expect((await client.post("/api/auth/sign-in", { email: invitee.email, password: NEW_PASSWORD })).status).toBe(200);
      await refusedAccept(client, inv.token, {}, 410, "invitation_invalid");
      expectProblem(await client.get(`/api/invitations/${inv.token}`), 410, "invitation_invalid");
      expect(
        await ctx.db
          .selectFrom("membership")
          .where("organisation_id", "=", w.orgB.id)
          .where("person_id", "=", invitee.id)
          .select("role")
          .executeTakeFirst(),
      ).toBeUndefined();
      expect((await invitationRow(inv.invitationId)).accepted_at).toBeNull();
    });
  });
});
