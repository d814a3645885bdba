import { OPEN_TASK_STATUSES } from "@samakki/shared/tasks";
import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { visibleCoalitionIds } from "../access/access.repository.ts";

/** The person's feed, if they have one. */
export function findFeed(db: Executor, personId: string) {
  return db.selectFrom("calendar_feed").where("person_id", "=", personId).select(["created_at", "last_fetched_at"]).executeTakeFirst();
}

/** The person's feed row, locked until the transaction ends (creating and rotating are serialised per person). */
export function lockFeed(db: Executor, personId: string) {
  return db.selectFrom("calendar_feed").where("person_id", "=", personId).select("person_id").forUpdate().executeTakeFirst();
}

/** Create the person's feed, or give it a new token (which ends the old one): one row per person. */
export function upsertFeed(db: Executor, personId: string, tokenHash: string) {
  return db
    .insertInto("calendar_feed")
    .values({ person_id: personId, token_hash: tokenHash })
    .onConflict((oc) => oc.column("person_id").doUpdateSet({ token_hash: tokenHash, created_at: sql<Date>`now()`, last_fetched_at: null }))
    .returning("created_at")
    .executeTakeFirstOrThrow();
}

/** Revoke: the number of feeds deleted (0 or 1). */
export async function deleteFeed(db: Executor, personId: string): Promise<number> {
  const result = await db.deleteFrom("calendar_feed").where("person_id", "=", personId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The feed of this token hash (an indexed equality lookup, the unique key), with its person's
 * language, only while the account is enabled.
 */
export function findFeedByHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom("calendar_feed as f")
    .innerJoin("person as p", "p.id", "f.person_id")
    .where("f.token_hash", "=", tokenHash)
    .where("p.disabled_at", "is", null)
    .select(["f.person_id", "p.language"])
    .executeTakeFirst();
}

/** Note a fetch, at most once a minute (calendar apps poll; no write per request). */
export async function markFetched(db: Executor, personId: string): Promise<void> {
  await db
    .updateTable("calendar_feed")
    .set({ last_fetched_at: sql<Date>`now()` })
    .where("person_id", "=", personId)
    .where((eb) => eb.or([eb("last_fetched_at", "is", null), eb("last_fetched_at", "<", sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}

/** The coalitions the person sees now (coordinates, or an organisation of theirs is active or observer). */
export function feedCoalitions(db: Executor, personId: string) {
  return db.selectFrom("coalition").where("id", "in", visibleCoalitionIds(db, personId)).select(["id", "name"]).orderBy("name").execute();
}

/** The activities of these coalitions' campaigns that are not archived, with their campaign. */
export function feedActivities(db: Executor, coalitionIds: string[]) {
  if (coalitionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("activity as a")
    .innerJoin("campaign as c", "c.id", "a.campaign_id")
    .where("c.coalition_id", "in", coalitionIds)
    .where("c.status", "!=", "archived")
    .select([
      "a.id",
      "a.kind",
      "a.title",
      "a.description",
      "a.location",
      "a.starts_at",
      "a.ends_at",
      "c.id as campaign_id",
      "c.coalition_id",
      "c.title as campaign_title",
      "c.updated_at as campaign_updated_at",
    ])
    .orderBy("a.starts_at")
    .orderBy("a.id")
    .execute();
}

/**
 * Open tasks with a due date in these coalitions that are the person's: assigned to them, or to
 * one of their organisations.
 */
export function feedTasks(db: Executor, personId: string, coalitionIds: string[]) {
  if (coalitionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("task as t")
    .where("t.coalition_id", "in", coalitionIds)
    .where("t.status", "in", [...OPEN_TASK_STATUSES])
    .where("t.due_on", "is not", null)
    .where((eb) =>
      eb.or([
        eb("t.assignee_person_id", "=", personId),
        eb("t.assignee_organisation_id", "in", eb.selectFrom("membership").where("person_id", "=", personId).select("organisation_id")),
      ]),
    )
    .select(["t.id", "t.coalition_id", "t.title", "t.due_on", "t.updated_at"])
    .orderBy("t.due_on")
    .orderBy("t.id")
    .execute();
}

/** Open votes in these coalitions, with their statement's title. */
export function feedVotes(db: Executor, coalitionIds: string[]) {
  if (coalitionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("vote as v")
    .innerJoin("statement as s", "s.id", "v.statement_id")
    .where("v.coalition_id", "in", coalitionIds)
    .where("v.status", "=", "open")
    .select(["v.id", "v.coalition_id", "v.statement_id", "v.closes_at", "v.opened_at", "s.title"])
    .orderBy("v.closes_at")
    .orderBy("v.id")
    .execute();
}
