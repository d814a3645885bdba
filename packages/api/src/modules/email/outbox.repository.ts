import type { Language } from "@samakki/shared/i18n/index";
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

/** Queue a rendered email (in the caller's transaction); its id. */
export async function insertEmail(
  db: Executor,
  row: { to: string; template: string; language: Language; subject: string; html: string; text: string; coalitionId: string | null },
) {
  const inserted = await db
    .insertInto("outbox_email")
    .values({
      to_address: row.to,
      template: row.template,
      language: row.language,
      subject: row.subject,
      html: row.html,
      text: row.text,
      coalition_id: row.coalitionId,
      last_error: null,
      provider_id: null,
      sent_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The coalition's undeliverable emails: how many, and the newest `limit`. */
export async function deadEmails(db: Executor, coalitionId: string, limit: number) {
  const dead = db.selectFrom("outbox_email").where("coalition_id", "=", coalitionId).where("status", "=", "dead");
  const [total, rows] = await Promise.all([
    dead.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    dead
      .select(["id", "to_address", "template", "attempts", "last_error", "created_at"])
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .execute(),
  ]);
  return { count: Number(total.n), rows };
}
