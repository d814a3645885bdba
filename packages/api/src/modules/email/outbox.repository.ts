import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

export interface OutboxBacklog {
  /** Emails not yet sent (pending, whether due or waiting for a retry). */
  pending: number;
  /** Seconds since the oldest of them was queued (by the database clock); 0 when none. */
  oldestAgeSeconds: number;
}

/**
 * The outbox backlog, for the metrics scrape: one query over the pending rows only (the partial
 * index outbox_email_due_idx covers `status = 'pending'`; a literal, so a generic plan can use it).
 */
export async function outboxBacklog(db: Executor): Promise<OutboxBacklog> {
  const row = await db
    .selectFrom("outbox_email")
    .select([
      sql<string>`count(*)`.as("pending"),
      sql<string | null>`extract(epoch from (now() - min(created_at)))`.as("oldest_age_seconds"),
    ])
    .where("status", "=", sql.lit("pending"))
    .executeTakeFirstOrThrow();
  return {
    pending: Number(row.pending),
    oldestAgeSeconds: row.oldest_age_seconds === null ? 0 : Math.max(0, Number(row.oldest_age_seconds)),
  };
}
