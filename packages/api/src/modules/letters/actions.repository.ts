import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { TARGET_COLUMNS } from "./targets.repository.ts";

/** The queries of a campaign's letter actions and their targets; the db handle (or transaction) first. */

export const ACTION_COLUMNS = [
  "a.id",
  "a.campaign_id",
  "a.title",
  "a.subject_km",
  "a.subject_en",
  "a.body_km",
  "a.body_en",
  "a.created_at",
] as const;

export async function listActions(db: Executor, coalitionId: string, campaignId: string) {
  return db
    .selectFrom("letter_action as a")
    .where("a.coalition_id", "=", coalitionId)
    .where("a.campaign_id", "=", campaignId)
    .select(ACTION_COLUMNS)
    .orderBy("a.created_at")
    .orderBy("a.id")
    .execute();
}

export async function findAction(db: Executor, coalitionId: string, campaignId: string, actionId: string) {
  return db
    .selectFrom("letter_action as a")
    .where("a.coalition_id", "=", coalitionId)
    .where("a.campaign_id", "=", campaignId)
    .where("a.id", "=", actionId)
    .select(ACTION_COLUMNS)
    .executeTakeFirst();
}

export async function insertAction(
  db: Executor,
  values: {
    coalition_id: string;
    campaign_id: string;
    title: string;
    subject_km: string;
    subject_en: string;
    body_km: string;
    body_en: string;
    created_by: string;
  },
) {
  return db.insertInto("letter_action").values(values).returning("id").executeTakeFirstOrThrow();
}

export async function updateAction(
  db: Executor,
  actionId: string,
  values: Partial<{ title: string; subject_km: string; subject_en: string; body_km: string; body_en: string }>,
) {
  await db
    .updateTable("letter_action")
    .set({ ...values, updated_at: sql`date_trunc('milliseconds', now())` })
    .where("id", "=", actionId)
    .execute();
}

export async function setActionTargets(db: Executor, actionId: string, targetIds: string[]) {
  await db.deleteFrom("letter_action_target").where("action_id", "=", actionId).execute();
  if (targetIds.length > 0)
    await db
      .insertInto("letter_action_target")
      .values(targetIds.map((target_id) => ({ action_id: actionId, target_id })))
      .execute();
}

export async function actionTargets(db: Executor, actionIds: string[]) {
  if (actionIds.length === 0) return [];
  return db
    .selectFrom("letter_action_target as at")
    .innerJoin("letter_target as t", "t.id", "at.target_id")
    .where("at.action_id", "in", actionIds)
    .select(["at.action_id", ...TARGET_COLUMNS])
    .orderBy("t.province")
    .orderBy("t.name_en")
    .orderBy("t.id")
    .execute();
}

export async function actionCounts(db: Executor, actionIds: string[]) {
  if (actionIds.length === 0) return [];
  return db
    .selectFrom("letter as l")
    .leftJoin("letter_reply as r", "r.letter_id", "l.id")
    .where("l.action_id", "in", actionIds)
    .groupBy("l.action_id")
    .select([
      "l.action_id",
      sql<string>`count(*)`.as("sent"),
      sql<string>`count(*) FILTER (WHERE l.delivery_confirmed)`.as("delivered"),
      sql<string>`count(r.letter_id)`.as("replied"),
    ])
    .execute();
}

export async function startedCounts(db: Executor, actionIds: string[]) {
  if (actionIds.length === 0) return [];
  return db
    .selectFrom("letter_start_count")
    .where("action_id", "in", actionIds)
    .groupBy("action_id")
    .select(["action_id", sql<string>`sum(count)`.as("started")])
    .execute();
}
