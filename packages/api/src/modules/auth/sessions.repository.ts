import { prepared } from "../../db/prepared.ts";
import type { Executor } from "../../lib/transaction.ts";
import { coalitionAccessColumns, toCoalitionAccess } from "../access/access.repository.ts";
import { twoFactorColumns } from "../passkeys/two-factor-requirement.repository.ts";

export function insertSession(
  db: Executor,
  row: { id: string; personId: string; expiresAt: Date; absoluteExpiresAt: Date; userAgent: string; now: Date },
) {
  return db
    .insertInto("session")
    .values({
      id: row.id,
      person_id: row.personId,
      created_at: row.now,
      last_used_at: row.now,
      expires_at: row.expiresAt,
      absolute_expires_at: row.absoluteExpiresAt,
      recent_auth_at: row.now,
      user_agent: row.userAgent.slice(0, 500),
    })
    .returning(["public_id"])
    .executeTakeFirstOrThrow();
}

const SESSION_COLUMNS = [
  "s.id",
  "s.public_id",
  "s.person_id",
  "s.created_at",
  "s.last_used_at",
  "s.expires_at",
  "s.absolute_expires_at",
  "s.recent_auth_at",
  "p.email",
  "p.display_name",
  "p.language",
  "p.email_verified_at",
  "p.disabled_at",
] as const;

/** The session, its person and their two-factor standing: on every signed-in request, so compiled once. */
const sessionWithPersonQuery = prepared(["id"], (db, p) =>
  db
    .selectFrom("session as s")
    .innerJoin("person as p", "p.id", "s.person_id")
    .where("s.id", "=", p.id)
    .select((eb) => twoFactorColumns(eb))
    .select(SESSION_COLUMNS),
);

/**
 * The same on a request to a coalition's routes, with the person's access to that coalition
 * (coalitionAccessColumns, the rule the route's policy applies): one round trip where the session
 * and the policy took two. The coalition's columns are null when it does not exist.
 */
const sessionWithAccessQuery = prepared(["id", "coalitionId"], (db, p) =>
  db
    .selectFrom("session as s")
    .innerJoin("person as p", "p.id", "s.person_id")
    .leftJoin("coalition as c", (join) => join.on("c.id", "=", p.coalitionId))
    .where("s.id", "=", p.id)
    .select((eb) => twoFactorColumns(eb))
    .select(SESSION_COLUMNS)
    .select((eb) => ["c.id as coalition_id", "c.time_zone", ...coalitionAccessColumns(eb, eb.ref("s.person_id"))]),
);

/** The session's row, as findSessionWithPerson gives it, and the person's access to the coalition (undefined when it does not exist). */
export async function findSessionWithAccess(db: Executor, id: string, coalitionId: string) {
  const [row] = await sessionWithAccessQuery(db, { id, coalitionId });
  if (!row) return undefined;
  const { coalition_id, time_zone, is_coordinator, organisation_ids } = row;
  const access =
    coalition_id === null || time_zone === null
      ? undefined
      : toCoalitionAccess({ id: coalition_id, time_zone, is_coordinator, organisation_ids });
  return { row, access };
}

export async function findSessionWithPerson(db: Executor, id: string) {
  const [row] = await sessionWithPersonQuery(db, { id });
  return row;
}

export function touchSession(db: Executor, id: string, lastUsedAt: Date, expiresAt: Date) {
  return db.updateTable("session").set({ last_used_at: lastUsedAt, expires_at: expiresAt }).where("id", "=", id).execute();
}

export function markRecentAuth(db: Executor, id: string, at: Date) {
  return db.updateTable("session").set({ recent_auth_at: at }).where("id", "=", id).execute();
}

export function deleteSession(db: Executor, id: string) {
  return db.deleteFrom("session").where("id", "=", id).execute();
}

export function deletePersonSessions(db: Executor, personId: string, exceptId?: string) {
  let query = db.deleteFrom("session").where("person_id", "=", personId);
  if (exceptId) query = query.where("id", "!=", exceptId);
  return query.executeTakeFirst();
}

export function deleteSessionByPublicId(db: Executor, personId: string, publicId: string) {
  return db.deleteFrom("session").where("person_id", "=", personId).where("public_id", "=", publicId).executeTakeFirst();
}

export function listPersonSessions(db: Executor, personId: string, now: Date) {
  return db
    .selectFrom("session")
    .where("person_id", "=", personId)
    .where("expires_at", ">", now)
    .where("absolute_expires_at", ">", now)
    .select(["id", "public_id", "created_at", "last_used_at", "user_agent"])
    .orderBy("last_used_at", "desc")
    .execute();
}

export function findSessionByPublicId(db: Executor, publicId: string) {
  return db
    .selectFrom("session")
    .where("public_id", "=", publicId)
    .select(["id", "person_id", "created_at", "recent_auth_at"])
    .executeTakeFirstOrThrow();
}

/** Whether the person has a session from this browser (by user agent): a sign-in from anything else is a new device. */
export async function hasSessionFromAgent(db: Executor, personId: string, userAgent: string) {
  const row = await db
    .selectFrom("session")
    .where("person_id", "=", personId)
    .where("user_agent", "=", userAgent.slice(0, 500))
    .select("id")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
