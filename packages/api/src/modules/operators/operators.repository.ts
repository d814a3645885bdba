import { sql } from "kysely";
import { jsonb } from "../../lib/jsonb.ts";
import type { Executor } from "../../lib/transaction.ts";

/** Instance operators, the coalitions they see from outside, scheduled deletions and the instance log. */

export async function isOperator(db: Executor, personId: string): Promise<boolean> {
  const row = await db.selectFrom("instance_operator").where("person_id", "=", personId).select("person_id").executeTakeFirst();
  return Boolean(row);
}

export async function findPersonByEmail(db: Executor, email: string) {
  return db.selectFrom("person").where("email", "=", email).select(["id", "email", "display_name"]).executeTakeFirst();
}

/** True when the person was not an operator yet. */
export async function insertOperator(db: Executor, personId: string, grantedBy: string | null): Promise<boolean> {
  const result = await db
    .insertInto("instance_operator")
    .values({ person_id: personId, granted_by: grantedBy })
    .onConflict((oc) => oc.constraint("instance_operator_pkey").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** True when the person was an operator. */
export async function deleteOperator(db: Executor, personId: string): Promise<boolean> {
  const result = await db.deleteFrom("instance_operator").where("person_id", "=", personId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listOperators(db: Executor) {
  return db
    .selectFrom("instance_operator as o")
    .innerJoin("person as p", "p.id", "o.person_id")
    .select(["p.id", "p.email", "p.display_name", "o.granted_at"])
    .orderBy("p.email")
    .execute();
}

/** Every coalition by name, id, status and counts: nothing of what is inside it. */
export async function listCoalitionsForOperators(db: Executor) {
  return db
    .selectFrom("coalition as c")
    .leftJoin("coalition_deletion as d", "d.coalition_id", "c.id")
    .select((eb) => [
      "c.id",
      "c.name",
      "c.second_name",
      "c.second_name_language",
      "c.slug",
      "c.created_at",
      "d.due_at",
      eb
        .selectFrom("coalition_member as cm")
        .whereRef("cm.coalition_id", "=", "c.id")
        .where("cm.status", "in", ["active", "observer"])
        .select((e) => e.fn.countAll<string>().as("n"))
        .as("organisations"),
      eb
        .selectFrom("coordinator as co")
        .whereRef("co.coalition_id", "=", "c.id")
        .select((e) => e.fn.countAll<string>().as("n"))
        .as("coordinators"),
    ])
    .orderBy("c.name")
    .orderBy("c.id")
    .execute();
}

/** Lock the coalition row: scheduling, cancelling and carrying out a deletion queue behind each other. */
export async function lockCoalition(db: Executor, coalitionId: string): Promise<{ id: string; name: string } | undefined> {
  return db.selectFrom("coalition").where("id", "=", coalitionId).select(["id", "name"]).forUpdate().executeTakeFirst();
}

export async function slugTaken(db: Executor, slug: string): Promise<boolean> {
  const row = await db.selectFrom("coalition").where("slug", "=", slug).select("id").executeTakeFirst();
  return Boolean(row);
}

export async function insertCoalition(db: Executor, values: { name: string; slug: string; timeZone: string }) {
  return db
    .insertInto("coalition")
    .values({ name: values.name, slug: values.slug, time_zone: values.timeZone })
    .returning(["id", "name", "time_zone"])
    .executeTakeFirstOrThrow();
}

/** The first coordinator's organisation, invited into the new coalition. */
export async function insertInvitedOrganisation(db: Executor, coalitionId: string, values: { name: string; contactEmail: string }) {
  const organisation = await db
    .insertInto("organisation")
    .values({ name: values.name, short_name: null, contact_email: values.contactEmail })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("coalition_member")
    .values({ coalition_id: coalitionId, organisation_id: organisation.id, status: "invited" })
    .execute();
  return organisation;
}

export async function insertCoordinatorInvitation(
  db: Executor,
  values: { coalitionId: string; organisationId: string; email: string; tokenHash: string; invitedBy: string | null; expiresAt: Date },
) {
  return db
    .insertInto("invitation")
    .values({
      kind: "organisation",
      token_hash: values.tokenHash,
      email: values.email,
      coalition_id: values.coalitionId,
      organisation_id: values.organisationId,
      role: "admin",
      invited_by: values.invitedBy,
      expires_at: values.expiresAt,
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
      grants_coordinator: true,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function findDeletion(db: Executor, coalitionId: string) {
  return db.selectFrom("coalition_deletion").where("coalition_id", "=", coalitionId).select(["due_at", "scheduled_at"]).executeTakeFirst();
}

/** Schedule by the database clock (app_now()), so tests move that clock past the grace period. */
export async function insertDeletion(db: Executor, coalitionId: string, scheduledBy: string | null, graceDays: number) {
  return db
    .insertInto("coalition_deletion")
    .values({
      coalition_id: coalitionId,
      scheduled_by: scheduledBy,
      scheduled_at: sql<Date>`app_now()`,
      due_at: sql<Date>`app_now() + make_interval(days => ${graceDays}::int)`,
    })
    .onConflict((oc) => oc.constraint("coalition_deletion_pkey").doNothing())
    .returning("due_at")
    .executeTakeFirst();
}

export async function deleteDeletion(db: Executor, coalitionId: string): Promise<boolean> {
  const result = await db.deleteFrom("coalition_deletion").where("coalition_id", "=", coalitionId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Claim one due deletion and mark it taken in the same statement (its row is deleted; the caller's
 * transaction deletes the coalition too, or rolls both back). SKIP LOCKED: instances never take the same one.
 */
export async function claimDueDeletion(db: Executor): Promise<{ coalition_id: string; scheduled_by: string | null } | undefined> {
  const result = await sql<{ coalition_id: string; scheduled_by: string | null }>`
    WITH due AS MATERIALIZED (
      SELECT coalition_id FROM coalition_deletion WHERE due_at <= app_now() ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED
    )
    DELETE FROM coalition_deletion d USING due WHERE d.coalition_id = due.coalition_id
    RETURNING d.coalition_id, d.scheduled_by`.execute(db);
  return result.rows[0];
}

export async function insertInstanceLog(
  db: Executor,
  entry: { action: string; actorId: string | null; coalitionId: string | null; detail: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto("instance_log")
    .values({ action: entry.action, actor_id: entry.actorId, coalition_id: entry.coalitionId, detail: jsonb(entry.detail) })
    .execute();
}

/** The instance log, newest first: who did what to which coalition (the operators' own record). */
export function instanceLog(db: Executor, limit: number) {
  return db
    .selectFrom("instance_log as l")
    .leftJoin("person as p", "p.id", "l.actor_id")
    .select(["l.created_at", "l.action", "l.coalition_id", "l.detail", "p.email as actor_email"])
    .orderBy("l.id", "desc")
    .limit(limit)
    .execute();
}
