import type { Updateable } from "kysely";
import type { DB } from "../../db/schema.ts";
import type { Executor } from "../../lib/transaction.ts";
import { visibleCoalitionIds } from "../access/access.repository.ts";

/** Every coalition the organisation belongs to, whatever its standing there. */
export async function coalitionsOf(db: Executor, organisationId: string): Promise<string[]> {
  const rows = await db.selectFrom("coalition_member").where("organisation_id", "=", organisationId).select("coalition_id").execute();
  return rows.map((r) => r.coalition_id);
}

/**
 * Lock the coalition rows (in id order, so two transactions never wait on each other in a
 * cycle). FOR NO KEY UPDATE: it serialises the name checks of one coalition without blocking the
 * inserts that merely reference the coalition (their foreign-key checks take KEY SHARE).
 */
export async function lockCoalitions(db: Executor, coalitionIds: string[]): Promise<void> {
  if (coalitionIds.length === 0) return;
  await db.selectFrom("coalition").where("id", "in", coalitionIds).orderBy("id").select("id").forNoKeyUpdate().execute();
}

/** Names, short names and second names of the other organisations of these coalitions (any standing: invited, left and suspended ones keep their name). */
export function otherMemberNames(db: Executor, coalitionIds: string[], exceptOrganisationId: string | null) {
  let q = db
    .selectFrom("coalition_member as cm")
    .innerJoin("organisation as o", "o.id", "cm.organisation_id")
    .where("cm.coalition_id", "in", coalitionIds)
    .select(["o.id", "o.name", "o.short_name", "o.second_name"])
    .distinct();
  if (exceptOrganisationId) q = q.where("o.id", "!=", exceptOrganisationId);
  return q.execute();
}

export function findOrganisation(db: Executor, organisationId: string) {
  return db.selectFrom("organisation").where("id", "=", organisationId).selectAll().executeTakeFirstOrThrow();
}

export async function updateOrganisationRow(db: Executor, organisationId: string, changes: Updateable<DB["organisation"]>): Promise<void> {
  await db.updateTable("organisation").set(changes).where("id", "=", organisationId).execute();
}

/** The person's membership of the organisation, if any. */
export function findMembership(db: Executor, organisationId: string, personId: string) {
  return db
    .selectFrom("membership")
    .where("organisation_id", "=", organisationId)
    .where("person_id", "=", personId)
    .select(["role", "representative"])
    .executeTakeFirst();
}

/** The same, locked for a change of role or a removal. */
export function lockMembership(db: Executor, organisationId: string, personId: string) {
  return db
    .selectFrom("membership")
    .where("organisation_id", "=", organisationId)
    .where("person_id", "=", personId)
    .select(["role", "representative"])
    .forUpdate()
    .executeTakeFirst();
}

export async function updateMembership(
  db: Executor,
  organisationId: string,
  personId: string,
  next: { role: "admin" | "member"; representative: boolean },
): Promise<void> {
  await db.updateTable("membership").set(next).where("organisation_id", "=", organisationId).where("person_id", "=", personId).execute();
}

export async function deleteMembership(db: Executor, organisationId: string, personId: string): Promise<void> {
  await db.deleteFrom("membership").where("organisation_id", "=", organisationId).where("person_id", "=", personId).execute();
}

/** The organisation's admin rows, locked: concurrent demotions and removals are decided one after the other. */
export function lockAdminRows(db: Executor, organisationId: string) {
  return db
    .selectFrom("membership")
    .where("organisation_id", "=", organisationId)
    .where("role", "=", "admin")
    .select("person_id")
    .forUpdate()
    .execute();
}

/** The organisation's memberships of coalitions the viewer sees, and whether the viewer coordinates each. */
export function visibleMemberships(db: Executor, organisationId: string, viewerId: string) {
  return db
    .selectFrom("coalition_member as cm")
    .where("cm.organisation_id", "=", organisationId)
    .where("cm.coalition_id", "in", visibleCoalitionIds(db, viewerId))
    .select((eb) => [
      "cm.status",
      eb
        .exists(
          eb
            .selectFrom("coordinator as co")
            .whereRef("co.coalition_id", "=", "cm.coalition_id")
            .where("co.person_id", "=", viewerId)
            .select("co.person_id"),
        )
        .as("coordinates"),
    ])
    .execute();
}

/** The organisation's people with their roles, by name. */
export function peopleOf(db: Executor, organisationId: string) {
  return db
    .selectFrom("membership as m")
    .innerJoin("person as p", "p.id", "m.person_id")
    .where("m.organisation_id", "=", organisationId)
    .select(["p.id", "p.display_name", "p.email", "m.role", "m.representative"])
    .orderBy("p.display_name")
    .execute();
}

/** A new organisation (setup's first one, or one a coordinator invites). */
export function insertOrganisation(db: Executor, row: { name: string; shortName: string | null; contactEmail: string }) {
  return db
    .insertInto("organisation")
    .values({ name: row.name, short_name: row.shortName, contact_email: row.contactEmail })
    .returning("id")
    .executeTakeFirstOrThrow();
}
