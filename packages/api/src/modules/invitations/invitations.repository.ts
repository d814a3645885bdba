import type { Language } from "@samakki/shared/i18n/index";
import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/** Make the person a coordinator of the coalition (once: a second grant changes nothing). */
export async function grantCoordinator(db: Executor, coalitionId: string, personId: string): Promise<void> {
  await db
    .insertInto("coordinator")
    .values({ coalition_id: coalitionId, person_id: personId })
    .onConflict((oc) => oc.constraint("coordinator_pkey").doNothing())
    .execute();
}

export async function displayName(db: Executor, personId: string) {
  return (await db.selectFrom("person").where("id", "=", personId).select("display_name").executeTakeFirstOrThrow()).display_name;
}

export function coalitionNameAndZone(db: Executor, coalitionId: string) {
  return db
    .selectFrom("coalition")
    .where("id", "=", coalitionId)
    .select(["name", "second_name", "second_name_language", "time_zone"])
    .executeTakeFirstOrThrow();
}

export function insertInvitedMember(db: Executor, coalitionId: string, organisationId: string) {
  return db
    .insertInto("coalition_member")
    .values({ coalition_id: coalitionId, organisation_id: organisationId, status: "invited" })
    .execute();
}

export function insertInvitation(
  db: Executor,
  row: {
    kind: "organisation" | "person";
    tokenHash: string;
    email: string;
    coalitionId: string | null;
    organisationId: string;
    role: "admin" | "member";
    displayName?: string | null;
    language: Language | null;
    invitedBy: string;
    expiresAt: Date;
  },
) {
  return db
    .insertInto("invitation")
    .values({
      kind: row.kind,
      token_hash: row.tokenHash,
      email: row.email,
      coalition_id: row.coalitionId,
      organisation_id: row.organisationId,
      role: row.role,
      display_name: row.displayName ?? null,
      language: row.language,
      invited_by: row.invitedBy,
      expires_at: row.expiresAt,
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
    })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
}

/**
 * Serialise invitations of one address to one organisation until the transaction ends (an advisory
 * lock taken inside the transaction: safe behind PgBouncer in transaction mode), so two at once
 * cannot both find no earlier one and leave two live links.
 */
export async function lockInvitee(db: Executor, organisationId: string, email: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`invitation:${organisationId}:${email}`}, 0))`.execute(db);
}

/** Revoke the address's earlier live invitations to the organisation (a new one replaces them); their ids. */
export async function revokeEarlierPersonInvitations(db: Executor, organisationId: string, email: string) {
  const rows = await db
    .updateTable("invitation")
    .set({ revoked_at: new Date() })
    .where("organisation_id", "=", organisationId)
    .where("kind", "=", "person")
    .where("email", "=", email)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

export function organisationName(db: Executor, organisationId: string) {
  return db
    .selectFrom("organisation")
    .where("id", "=", organisationId)
    .select(["name", "second_name", "second_name_language"])
    .executeTakeFirstOrThrow();
}

/** Whether the organisation already has a person with this email. */
export async function isMemberByEmail(db: Executor, organisationId: string, email: string) {
  const row = await db
    .selectFrom("membership as m")
    .innerJoin("person as p", "p.id", "m.person_id")
    .where("m.organisation_id", "=", organisationId)
    .where("p.email", "=", email)
    .select("p.id")
    .executeTakeFirst();
  return row !== undefined;
}

/** The account at this address (its id and language), if any. */
export function accountByEmail(db: Executor, email: string) {
  return db.selectFrom("person").where("email", "=", email).select(["id", "language"]).executeTakeFirst();
}

/** The time zone of one of the organisation's coalitions (for the dates in its emails). */
export async function organisationTimeZone(db: Executor, organisationId: string) {
  const row = await db
    .selectFrom("coalition_member as cm")
    .innerJoin("coalition as c", "c.id", "cm.coalition_id")
    .where("cm.organisation_id", "=", organisationId)
    .select("c.time_zone")
    .limit(1)
    .executeTakeFirst();
  return row?.time_zone;
}

/** A live invitation by its token's hash (not accepted, revoked or expired), with the names it shows; locked on request. */
export function findUsable(db: Executor, tokenHash: string, lock = false) {
  const query = db
    .selectFrom("invitation as i")
    .innerJoin("organisation as o", "o.id", "i.organisation_id")
    .leftJoin("coalition as c", "c.id", "i.coalition_id")
    .where("i.token_hash", "=", tokenHash)
    .where("i.accepted_at", "is", null)
    .where("i.revoked_at", "is", null)
    .where("i.expires_at", ">", new Date())
    .select([
      "i.id",
      "i.kind",
      "i.email",
      "i.role",
      "i.organisation_id",
      "i.coalition_id",
      "i.expires_at",
      "i.grants_coordinator",
      "i.display_name",
      "i.language",
      "o.name as organisation_name",
      "o.second_name as organisation_second_name",
      "o.second_name_language as organisation_second_name_language",
      "c.name as coalition_name",
      "c.second_name as coalition_second_name",
      "c.second_name_language as coalition_second_name_language",
    ]);
  return (lock ? query.forUpdate("i") : query).executeTakeFirst();
}

export function insertPerson(db: Executor, row: { email: string; displayName: string; language: Language; passwordHash: string }) {
  return db
    .insertInto("person")
    .values({
      email: row.email,
      display_name: row.displayName,
      language: row.language,
      password_hash: row.passwordHash,
      // The invitation link proved the address.
      email_verified_at: new Date(),
      disabled_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** Add the person to the organisation; an admin invitation makes an existing member its admin and representative. */
export function addMembership(db: Executor, organisationId: string, personId: string, role: "admin" | "member") {
  const admin = role === "admin";
  return db
    .insertInto("membership")
    .values({ organisation_id: organisationId, person_id: personId, role, representative: admin })
    .onConflict((oc) =>
      admin
        ? oc.constraint("membership_pkey").doUpdateSet({ role: "admin", representative: true })
        : oc.constraint("membership_pkey").doNothing(),
    )
    .execute();
}

export function markAccepted(db: Executor, invitationId: string, personId: string) {
  return db.updateTable("invitation").set({ accepted_at: new Date(), accepted_by: personId }).where("id", "=", invitationId).execute();
}

/** An invited organisation that accepted becomes active. */
export function activateInvitedMember(db: Executor, coalitionId: string, organisationId: string) {
  return db
    .updateTable("coalition_member")
    .set({ status: "active", updated_at: new Date() })
    .where("coalition_id", "=", coalitionId)
    .where("organisation_id", "=", organisationId)
    .where("status", "=", "invited")
    .execute();
}

export function coordinatorIds(db: Executor, coalitionId: string) {
  return db.selectFrom("coordinator").where("coalition_id", "=", coalitionId).select("person_id").execute();
}

/** Revoke a pending invitation within its scope (an organisation's person invitations, or a coalition's organisation invitations). */
export function revokePending(db: Executor, invitationId: string, scope: { organisationId?: string; coalitionId?: string }) {
  let query = db
    .updateTable("invitation")
    .set({ revoked_at: new Date() })
    .where("id", "=", invitationId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null);
  if (scope.organisationId) query = query.where("organisation_id", "=", scope.organisationId).where("kind", "=", "person");
  if (scope.coalitionId) query = query.where("coalition_id", "=", scope.coalitionId).where("kind", "=", "organisation");
  return query.returning(["id", "organisation_id", "coalition_id", "email"]).executeTakeFirst();
}

export function listPendingPersonInvitations(db: Executor, organisationId: string) {
  return db
    .selectFrom("invitation")
    .where("organisation_id", "=", organisationId)
    .where("kind", "=", "person")
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", new Date())
    .select(["id", "email", "display_name", "language", "role", "expires_at", "created_at"])
    .orderBy("created_at", "desc")
    .execute();
}

export function listPendingOrganisationInvitations(db: Executor, coalitionId: string) {
  return db
    .selectFrom("invitation as i")
    .innerJoin("organisation as o", "o.id", "i.organisation_id")
    .where("i.coalition_id", "=", coalitionId)
    .where("i.kind", "=", "organisation")
    .where("i.accepted_at", "is", null)
    .where("i.revoked_at", "is", null)
    .select(["i.id", "i.email", "i.role", "i.expires_at", "i.created_at", "o.name as organisation_name"])
    .orderBy("i.created_at", "desc")
    .execute();
}
