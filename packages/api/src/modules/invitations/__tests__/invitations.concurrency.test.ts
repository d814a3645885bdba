import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext, type TestResponse } from "../../../../test/app.ts";
import { addMember, createOrganisation, createPerson, createWorld, signInAs, unique } from "../../../../test/factories/index.ts";
import { inviteOrganisationVia, invitePersonVia } from "../../../../test/factories/invitations.ts";
import type { World } from "../../../../test/permissions.ts";

const PASSWORD = "a long and unusual passphrase";

/** Either a success or a clean problem with one of the allowed statuses; never a 500. */
function expectCleanOutcome(res: TestResponse, allowed: number[]) {
  expect([200, ...allowed], res.text).toContain(res.status);
  if (res.status !== 200) expect(res.headers.get("content-type")).toContain("application/problem+json");
}

describe("invitations accepted concurrently", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  it("two invitations accepted at once for the same email: one person, never a 500", async () => {
    for (let round = 0; round < 5; round++) {
      const email = `${unique("twice")}@example.org`.toLowerCase();
      // Two different organisations invite the same new email: one through the coalition, one through orgB.
      const first = await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id, { contactEmail: email });
      const second = await invitePersonVia(ctx, w.clients.adminB, w.orgB.id, email, "member");
      const results = await Promise.all([
        ctx.anonymous().post(`/api/invitations/${first.token}/accept`, { displayName: "Racer One", password: PASSWORD }),
        ctx.anonymous().post(`/api/invitations/${second.token}/accept`, { displayName: "Racer Two", password: PASSWORD }),
      ]);
      for (const res of results) expectCleanOutcome(res, [409, 401]);
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
      const people = await ctx.db.selectFrom("person").where("email", "=", email).select("id").execute();
      expect(people).toHaveLength(1);
      // Only the accepted invitation(s) left a membership, all for that one person.
      const accepted = await ctx.db
        .selectFrom("invitation")
        .where("email", "=", email)
        .where("accepted_at", "is not", null)
        .select(["accepted_by"])
        .execute();
      expect(accepted).toHaveLength(results.filter((r) => r.status === 200).length);
      for (const a of accepted) expect(a.accepted_by).toBe(people[0]?.id);
      const memberships = await ctx.db
        .selectFrom("membership")
        .where("person_id", "=", people[0]?.id ?? "")
        .select("organisation_id")
        .execute();
      expect(memberships).toHaveLength(accepted.length);
    }
  });

  it("the same invitation accepted twice at once: one success, the other 410", async () => {
    for (let round = 0; round < 5; round++) {
      const signedOut = await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, `${unique("same")}@example.org`);
      const results = await Promise.all([
        ctx.anonymous().post(`/api/invitations/${signedOut.token}/accept`, { displayName: "Same One", password: PASSWORD }),
        ctx.anonymous().post(`/api/invitations/${signedOut.token}/accept`, { displayName: "Same Two", password: PASSWORD }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
      expect(await ctx.db.selectFrom("person").where("email", "=", signedOut.email).select("id").execute()).toHaveLength(1);

      // Signed in, two tabs.
      const existing = await createPerson(ctx);
      const org = await createOrganisation(ctx, w.coalition.id);
      const admin = await createPerson(ctx);
      await addMember(ctx, org.id, admin.id, "admin");
      const inv = await invitePersonVia(ctx, await signInAs(ctx, admin), org.id, existing.email, "admin");
      const tab = await signInAs(ctx, existing);
      const both = await Promise.all([
        tab.post(`/api/invitations/${inv.token}/accept`, {}),
        tab.post(`/api/invitations/${inv.token}/accept`, {}),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 410]);
      const events = await ctx.db
        .selectFrom("audit_event")
        .where("action", "=", "organisation.invitation_accepted")
        .where("actor_id", "=", existing.id)
        .select("id")
        .execute();
      expect(events).toHaveLength(1);
    }
  });
});

describe("an organisation invitation accepted while a coordinator withdraws it", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  it("one of them wins cleanly, never a 500 or a deadlock", async () => {
    for (let round = 0; round < 10; round++) {
      // The contact already has an account and is signed in, so no password hashing delays the race.
      const contact = await createPerson(ctx);
      const inv = await inviteOrganisationVia(ctx, w.clients.coordinator, w.coalition.id, { contactEmail: contact.email });
      const client = await signInAs(ctx, contact);
      const [accept, withdraw] = await Promise.all([
        client.post(`/api/invitations/${inv.token}/accept`, {}),
        w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}/members/${inv.organisationId}`, { status: "left" }),
      ]);
      expect([200, 410], accept.text).toContain(accept.status);
      expect(withdraw.status, withdraw.text).toBe(204);
      const member = await ctx.db
        .selectFrom("coalition_member")
        .where("coalition_id", "=", w.coalition.id)
        .where("organisation_id", "=", inv.organisationId)
        .select("status")
        .executeTakeFirstOrThrow();
      // Withdrawn either way; the invitation is accepted xor revoked.
      expect(member.status).toBe("left");
      const row = await ctx.db
        .selectFrom("invitation")
        .where("id", "=", inv.invitationId)
        .select(["accepted_at", "revoked_at"])
        .executeTakeFirstOrThrow();
      expect((row.accepted_at === null) !== (row.revoked_at === null)).toBe(true);
      expect(row.accepted_at !== null).toBe(accept.status === 200);
    }
  });
});
