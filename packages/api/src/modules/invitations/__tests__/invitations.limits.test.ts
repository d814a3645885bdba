/**
 * Invitations send email to addresses that did not ask for it: an organisation admin must not be
 * able to flood an inbox (or the instance's sending reputation), and a repeated invitation replaces
 * the earlier link rather than adding live ones.
 */
import { Problem } from "@samakki/shared/problem";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { emailsTo, invitePersonVia } from "../../../../test/factories/invitations.ts";
import type { World } from "../../../../test/permissions.ts";
import { LIMITS } from "../../auth/rate-limit.ts";

const liveInvitations = (ctx: TestContext, email: string) =>
  ctx.db
    .selectFrom("invitation")
    .where("email", "=", email)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .select(["id", "organisation_id"])
    .execute();

describe("invitation limits", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  it("30 invitations of one address at once: at most the hourly allowance is sent, the rest 429 with nothing written; one live link", async () => {
    const email = `${unique("flood")}@example.org`.toLowerCase();
    const url = `/api/organisations/${w.orgA.id}/invitations`;
    const results = await Promise.all(Array.from({ length: 30 }, () => w.clients.adminA.post(url, { email, role: "member" })));
    const sent = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(sent).toHaveLength(LIMITS.invitationsToAddress);
    for (const res of refused) {
      expect(res.status, res.text).toBe(429);
      expect(res.json(Problem).code).toBe("rate_limited");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(await emailsTo(ctx, email)).toHaveLength(LIMITS.invitationsToAddress);
    // Each new invitation replaced the one before (even those made at the same moment): one live link.
    expect(await liveInvitations(ctx, email)).toHaveLength(1);
    const audited = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "organisation.person_invited")
      .where("target_id", "=", w.orgA.id)
      .where(sql<boolean>`after->>'email' = ${email}`)
      .select("id")
      .execute();
    expect(audited).toHaveLength(LIMITS.invitationsToAddress);
  });

  it("the address's allowance is the organisation's own: another organisation is not held back, and learns nothing of the first one's invitations", async () => {
    const email = `${unique("shared")}@example.org`.toLowerCase();
    for (let i = 0; i < LIMITS.invitationsToAddress; i++) await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, email);
    const again = await w.clients.adminA.post(`/api/organisations/${w.orgA.id}/invitations`, { email, role: "member" });
    expect(again.status, again.text).toBe(429);
    // B's admin invites the same address as if nobody had: the answer says nothing of A's five.
    const other = await w.clients.adminB.post(`/api/organisations/${w.orgB.id}/invitations`, { email, role: "member" });
    expect(other.status, other.text).toBe(201);
    expect((await liveInvitations(ctx, email)).map((i) => i.organisation_id).sort()).toEqual([w.orgA.id, w.orgB.id].sort());
  });

  it("one inviter's allowance: after 60 in an hour, the next is refused whatever the address", async () => {
    const fresh = await createWorld(ctx);
    const invite = () =>
      fresh.clients.adminA.post(`/api/organisations/${fresh.orgA.id}/invitations`, {
        email: `${unique("many")}@example.org`,
        role: "member",
      });
    for (let i = 0; i < LIMITS.invitationsByPerson; i++) {
      const res = await invite();
      expect(res.status, res.text).toBe(201);
    }
    const over = await invite();
    expect(over.status, over.text).toBe(429);
    // Another person of the coalition still may.
    const other = await fresh.clients.coordinator.post(`/api/coalitions/${fresh.coalition.id}/members`, {
      organisationName: unique("Late Org"),
      contactEmail: `${unique("late")}@example.org`,
    });
    expect(other.status, other.text).toBe(201);
  });

  it("inviting again replaces the earlier link: the first one no longer opens, the new one does", async () => {
    const email = `${unique("again")}@example.org`.toLowerCase();
    const first = await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, email);
    const second = await invitePersonVia(ctx, w.clients.adminA, w.orgA.id, email, "admin");
    expect((await ctx.anonymous().get(`/api/invitations/${first.token}`)).status).toBe(410);
    expect((await ctx.anonymous().get(`/api/invitations/${second.token}`)).status).toBe(200);
    const pending = await w.clients.adminA.get<{ id: string; email: string; role: string }[]>(
      `/api/organisations/${w.orgA.id}/invitations`,
    );
    expect(pending.body.filter((i) => i.email === email)).toEqual([expect.objectContaining({ id: second.invitationId, role: "admin" })]);
    // Another organisation's invitation of the same address is its own: not replaced.
    const third = await invitePersonVia(ctx, w.clients.adminB, w.orgB.id, email);
    expect((await ctx.anonymous().get(`/api/invitations/${second.token}`)).status).toBe(200);
    expect((await ctx.anonymous().get(`/api/invitations/${third.token}`)).status).toBe(200);
  });
});
