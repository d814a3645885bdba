import type { Language } from "@samakki/shared/i18n/index";
import { type RawBuilder, sql } from "kysely";
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

// The worker's claims (outbox.worker.ts) ------------------------------------------------------------

/** The current time as the database sees it (tests pass a clock they can move). */
export type DbClock = () => RawBuilder<Date>;
export const databaseNow: DbClock = () => sql<Date>`now()`;

const secondsAfter = (now: DbClock, seconds: number) => sql<Date>`${now()} + ${seconds}::int * interval '1 second'`;

/**
 * Claim up to `limit` due emails for `leaseSeconds`, counting the attempt. A materialised CTE: the
 * due rows are picked and locked exactly once. (The tempting `WHERE id IN (SELECT … LIMIT n FOR
 * UPDATE SKIP LOCKED)` can be planned so that the subquery runs again per row, and then claims
 * more than n rows.)
 */
export function claimDue(db: Executor, now: DbClock, limit: number, leaseSeconds: number) {
  return db
    .with(
      (cte) => cte("due").materialized(),
      (qb) =>
        qb
          .selectFrom("outbox_email")
          .select("id")
          // A literal, not a parameter: a generic plan can then use the partial index
          // outbox_email_due_idx (WHERE status = 'pending') instead of scanning every email sent.
          .where("status", "=", sql.lit("pending"))
          .where("next_attempt_at", "<=", now())
          .orderBy("next_attempt_at")
          .limit(limit)
          .forUpdate()
          .skipLocked(),
    )
    .updateTable("outbox_email")
    .from("due")
    .set((eb) => ({ attempts: eb("outbox_email.attempts", "+", 1), next_attempt_at: secondsAfter(now, leaseSeconds) }))
    .whereRef("outbox_email.id", "=", "due.id")
    .returning([
      "outbox_email.id",
      "outbox_email.to_address",
      "outbox_email.subject",
      "outbox_email.html",
      "outbox_email.text",
      "outbox_email.attempts",
    ])
    .execute();
}

/** Move the lease of the claims still ours (pending, with the attempt number we claimed) a lease ahead; their ids. */
export async function renewClaims(db: Executor, now: DbClock, claims: ReadonlyMap<string, number>, leaseSeconds: number) {
  const rows = await db
    .updateTable("outbox_email")
    .set({ next_attempt_at: secondsAfter(now, leaseSeconds) })
    .where("status", "=", "pending")
    .where((eb) => eb.or([...claims].map(([id, attempts]) => eb.and([eb("id", "=", id), eb("attempts", "=", attempts)]))))
    .returning("id")
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** A failed attempt of a claim still ours: dead, or retried after `retryInSeconds`. */
export function recordFailure(
  db: Executor,
  now: DbClock,
  claim: { id: string; attempts: number },
  outcome: { dead: true; error: string } | { dead: false; error: string; retryInSeconds: number },
) {
  return db
    .updateTable("outbox_email")
    .set(
      outcome.dead
        ? { status: "dead", last_error: outcome.error }
        : { last_error: outcome.error, next_attempt_at: secondsAfter(now, outcome.retryInSeconds) },
    )
    .where("id", "=", claim.id)
    .where("status", "=", "pending")
    .where("attempts", "=", claim.attempts)
    .execute();
}

export function markSent(db: Executor, now: DbClock, id: string, providerId: string | null) {
  return db
    .updateTable("outbox_email")
    .set({ status: "sent", sent_at: now(), provider_id: providerId, last_error: null })
    .where("id", "=", id)
    .where("status", "<>", "sent")
    .execute();
}
