import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { ACTION_COLUMNS } from "./actions.repository.ts";
import { TARGET_COLUMNS } from "./targets.repository.ts";

/** The queries of the public letter page (letters.public.tsx): only what a public campaign shows, and an anonymous count. */

export async function publicActions(db: Executor, campaignId: string) {
  return (
    db
      .selectFrom("letter_action as a")
      .where("a.campaign_id", "=", campaignId)
      // Written, in one language at least: a letter saved with its title alone is not offered to the public yet.
      .where((eb) => eb.or([eb("a.body_km", "<>", ""), eb("a.body_en", "<>", "")]))
      .select(ACTION_COLUMNS)
      .orderBy("a.created_at")
      .orderBy("a.id")
      .execute()
  );
}

export async function publicTargets(db: Executor, actionId: string, province: string) {
  return db
    .selectFrom("letter_action_target as at")
    .innerJoin("letter_target as t", "t.id", "at.target_id")
    .where("at.action_id", "=", actionId)
    .where("t.province", "=", province)
    .where("t.archived_at", "is", null)
    .select(TARGET_COLUMNS)
    .orderBy("t.name_en")
    .orderBy("t.id")
    .execute();
}

export async function publicTarget(db: Executor, actionId: string, targetId: string) {
  return db
    .selectFrom("letter_action_target as at")
    .innerJoin("letter_target as t", "t.id", "at.target_id")
    .where("at.action_id", "=", actionId)
    .where("t.id", "=", targetId)
    .where("t.archived_at", "is", null)
    .select(TARGET_COLUMNS)
    .executeTakeFirst();
}

/** Count one letter started today (in the coalition's day); nothing about who. */
export async function countStart(db: Executor, actionId: string, day: string) {
  await sql`
    INSERT INTO letter_start_count (action_id, day, count) VALUES (${actionId}, ${day}, 1)
    ON CONFLICT ON CONSTRAINT letter_start_count_pkey DO UPDATE SET count = letter_start_count.count + 1`.execute(db);
}
