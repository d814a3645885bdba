import type { Language } from "@samakki/shared/i18n/index";
import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/** The first run's queries: whether any coalition exists, and the rows setup creates. */

export async function anyCoalition(db: Executor) {
  return (await db.selectFrom("coalition").select("id").limit(1).executeTakeFirst()) !== undefined;
}

/** Setups racing each other queue here, so only the first creates a coalition. */
export async function lockCoalitions(db: Executor) {
  await sql`LOCK TABLE coalition IN SHARE ROW EXCLUSIVE MODE`.execute(db);
}

export async function emailTaken(db: Executor, email: string) {
  return (await db.selectFrom("person").where("email", "=", email).select("id").executeTakeFirst()) !== undefined;
}

export function insertCoalition(db: Executor, row: { name: string; slug: string; timeZone: string }) {
  return db
    .insertInto("coalition")
    .values({ name: row.name, slug: row.slug, time_zone: row.timeZone })
    .returning(["id", "name", "slug"])
    .executeTakeFirstOrThrow();
}

export function insertActiveMember(db: Executor, coalitionId: string, organisationId: string) {
  return db
    .insertInto("coalition_member")
    .values({ coalition_id: coalitionId, organisation_id: organisationId, status: "active" })
    .execute();
}

/** The account of whoever sets up; its address is verified by the link setup emails. */
export function insertPerson(db: Executor, row: { email: string; displayName: string; language: Language; passwordHash: string }) {
  return db
    .insertInto("person")
    .values({
      email: row.email,
      display_name: row.displayName,
      language: row.language,
      password_hash: row.passwordHash,
      email_verified_at: null,
      disabled_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export function insertAdmin(db: Executor, organisationId: string, personId: string) {
  return db
    .insertInto("membership")
    .values({ organisation_id: organisationId, person_id: personId, role: "admin", representative: true })
    .execute();
}

export function insertCoordinator(db: Executor, coalitionId: string, personId: string) {
  return db.insertInto("coordinator").values({ coalition_id: coalitionId, person_id: personId }).execute();
}
