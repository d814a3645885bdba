import { type Expression, type ExpressionBuilder, sql } from "kysely";
import { prepared } from "../../db/prepared.ts";
import type { DB } from "../../db/schema.ts";
import type { CoalitionAccess } from "../../lib/context.ts";
import type { Executor } from "../../lib/transaction.ts";

/** Statuses whose organisations' people can see the coalition. */
export const VISIBLE_STATUSES = ["active", "observer"] as const;

/**
 * The person's standing in the coalition row `c`: whether they coordinate it, and their
 * organisations that are active or observer members of it. The one statement of that rule for the
 * request path: the access check below, and the session's read of a coalition route
 * (sessions.repository.ts), which fetches it with the session in one round trip.
 */
export function coalitionAccessColumns(eb: ExpressionBuilder<DB & { c: DB["coalition"] }, "c">, personId: Expression<string> | string) {
  return [
    eb
      .exists(
        eb
          .selectFrom("coordinator as co")
          .whereRef("co.coalition_id", "=", "c.id")
          .where("co.person_id", "=", personId)
          .select(sql.lit(1).as("one")),
      )
      .as("is_coordinator"),
    // As text: both drivers give a text array back as an array of strings.
    sql<string[]>`array(${eb
      .selectFrom("membership as m")
      .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
      .where("m.person_id", "=", personId)
      .whereRef("cm.coalition_id", "=", "c.id")
      .where("cm.status", "in", VISIBLE_STATUSES)
      .select(sql<string>`m.organisation_id::text`.as("organisation_id"))
      .orderBy("m.organisation_id")})`.as("organisation_ids"),
  ] as const;
}

/** The access of a row of coalitionAccessColumns, with the coalition's id and time zone. */
export function toCoalitionAccess(row: {
  id: string;
  time_zone: string;
  is_coordinator: unknown;
  organisation_ids: string[];
}): CoalitionAccess {
  return {
    coalitionId: row.id,
    timeZone: row.time_zone,
    isCoordinator: Boolean(row.is_coordinator),
    organisationIds: row.organisation_ids,
  };
}

/**
 * The person's access to the coalition, in one query compiled once (it runs on every request to a
 * coalition's routes that did not get it with the session): whether they coordinate it, and their
 * organisations that are active or observer members of it. Undefined when the coalition does not
 * exist.
 */
const coalitionAccessQuery = prepared(["personId", "coalitionId"], (db, p) =>
  db
    .selectFrom("coalition as c")
    .where("c.id", "=", p.coalitionId)
    .select((eb) => ["c.id", "c.time_zone", ...coalitionAccessColumns(eb, p.personId)]),
);

export async function findCoalitionAccess(db: Executor, personId: string, coalitionId: string): Promise<CoalitionAccess | undefined> {
  const [row] = await coalitionAccessQuery(db, { personId, coalitionId });
  return row ? toCoalitionAccess(row) : undefined;
}

/**
 * Whether a person can see a coalition now, as SQL evaluated per row: they coordinate it or belong
 * to one of its active or observer organisations (the rule of findCoalitionAccess). Jobs and bulk
 * statements use it to decide who may still be notified, emailed or keep a watch.
 * Aliases are prefixed so that they cannot shadow the caller's column references.
 */
export function seesCoalition(personId: Expression<string> | string, coalitionId: Expression<string> | string) {
  return sql<boolean>`(EXISTS (SELECT 1 FROM coordinator sees_co WHERE sees_co.coalition_id = ${coalitionId} AND sees_co.person_id = ${personId})
    OR EXISTS (SELECT 1 FROM membership sees_m JOIN coalition_member sees_cm ON sees_cm.organisation_id = sees_m.organisation_id
      WHERE sees_m.person_id = ${personId} AND sees_cm.coalition_id = ${coalitionId}
        AND sees_cm.status IN (${sql.join(VISIBLE_STATUSES.map((s) => sql.lit(s)))})))`;
}

/** Coalition ids the person can see: those they coordinate and those where one of their organisations is active or observer. */
export function visibleCoalitionIds(db: Executor, personId: string) {
  return db
    .selectFrom("coordinator")
    .where("person_id", "=", personId)
    .select("coalition_id")
    .union(
      db
        .selectFrom("membership as m")
        .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
        .where("m.person_id", "=", personId)
        .where("cm.status", "in", VISIBLE_STATUSES)
        .select("cm.coalition_id"),
    );
}

/**
 * The person's access to an organisation, in one query compiled once (every request to an
 * organisation's routes runs it first): their role in it if they belong to it, else whether it is a
 * member (not only invited) of a coalition they see.
 */
const organisationAccessQuery = prepared(["personId", "organisationId"], (db, p) =>
  db.selectNoFrom((eb) => {
    const membership = eb.selectFrom("membership").where("organisation_id", "=", p.organisationId).where("person_id", "=", p.personId);
    return [
      membership.select("role").as("role"),
      membership.select("representative").as("representative"),
      eb
        .exists(
          eb
            .selectFrom("coalition_member")
            .where("organisation_id", "=", p.organisationId)
            .where("status", "!=", "invited")
            .where("coalition_id", "in", visibleCoalitionIds(db, p.personId))
            .select(sql.lit(1).as("one")),
        )
        .as("shared"),
    ];
  }),
);

export async function findOrganisationAccess(
  db: Executor,
  personId: string,
  organisationId: string,
): Promise<{ visible: boolean; role: "admin" | "member" | null; representative: boolean }> {
  const [row] = await organisationAccessQuery(db, { personId, organisationId });
  if (row?.role) return { visible: true, role: row.role, representative: Boolean(row.representative) };
  return { visible: Boolean(row?.shared), role: null, representative: false };
}

/** Whether the person coordinates a coalition that this organisation belongs to (any status). */
export async function coordinatesOrganisation(db: Executor, personId: string, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom("coalition_member as cm")
    .innerJoin("coordinator as co", "co.coalition_id", "cm.coalition_id")
    .where("cm.organisation_id", "=", organisationId)
    .where("co.person_id", "=", personId)
    .select("cm.coalition_id")
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}
