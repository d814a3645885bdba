import { expect } from "vitest";
import { hashToken } from "../../src/lib/crypto.ts";
import type { TestClient, TestContext } from "../app.ts";
import { unique } from "./index.ts";

/** The newest outbox email to this address. */
export async function lastEmailTo(ctx: TestContext, to: string) {
  return ctx.db
    .selectFrom("outbox_email")
    .where("to_address", "=", to.toLowerCase())
    .selectAll()
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Emails queued for this address. */
export async function emailsTo(ctx: TestContext, to: string) {
  return ctx.db.selectFrom("outbox_email").where("to_address", "=", to.toLowerCase()).selectAll().orderBy("created_at").execute();
}

/** The invitation token from the newest email to this address (its URL ends in /invitations/<token>). */
export async function invitationTokenFor(ctx: TestContext, to: string): Promise<string> {
  const email = await lastEmailTo(ctx, to);
  const match = email?.text.match(/\/invitations\/([A-Za-z0-9_-]+)/);
  if (!match?.[1]) throw new Error(`no invitation email to ${to}`);
  return match[1];
}

/** A coordinator invites a new organisation through the API; returns its ids, the contact email and the token. */
export async function inviteOrganisationVia(
  ctx: TestContext,
  coordinator: TestClient,
  coalitionId: string,
  overrides: { contactEmail?: string; organisationName?: string } = {},
) {
  const contactEmail = (overrides.contactEmail ?? `${unique("contact")}@example.org`).toLowerCase();
  const res = await coordinator.post<{ organisationId: string; invitationId: string }>(`/api/coalitions/${coalitionId}/members`, {
    organisationName: overrides.organisationName ?? unique("Invited Org"),
    contactEmail,
  });
  expect(res.status, res.text).toBe(201);
  return { ...res.body, contactEmail, token: await invitationTokenFor(ctx, contactEmail) };
}

/** An organisation admin invites a person through the API. */
export async function invitePersonVia(
  ctx: TestContext,
  admin: TestClient,
  organisationId: string,
  email: string,
  role: "admin" | "member" = "member",
) {
  const res = await admin.post<{ id: string }>(`/api/organisations/${organisationId}/invitations`, { email, role });
  expect(res.status, res.text).toBe(201);
  return { invitationId: res.body.id, email: email.toLowerCase(), token: await invitationTokenFor(ctx, email) };
}

/** Move an invitation's expiry into the past. */
export async function expireInvitation(ctx: TestContext, invitationId: string) {
  await ctx.db
    .updateTable("invitation")
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where("id", "=", invitationId)
    .execute();
}

/** Make the session of this client old enough to need a recent authentication again. */
export async function staleRecentAuth(ctx: TestContext, client: TestClient) {
  const token = client.cookie?.split("=")[1];
  if (!token) throw new Error("client has no session");
  await ctx.db.updateTable("session").set({ recent_auth_at: null }).where("id", "=", hashToken(token)).execute();
}
