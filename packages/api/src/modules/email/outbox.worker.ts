import { sql } from "kysely";
import type { Database } from "../../db/client.ts";
import type { Logger } from "../../lib/logger.ts";
import type { EmailTransport } from "./email.types.ts";

/*
 * The outbox worker: delivers the rows enqueueEmail() wrote in the same transaction as the
 * change that caused them (security.md, "Reliability").
 *
 * Claiming is a lease, not a held lock. One statement picks due rows with
 * `FOR UPDATE SKIP LOCKED` (so several instances never pick the same row), increments
 * `attempts` and moves `next_attempt_at` a lease ahead; it commits at once. Sending happens
 * outside any transaction (PGlite has a single connection, and an HTTP call must never hold a
 * database transaction open), then one more statement records the outcome:
 *   - sent: status 'sent', sent_at, provider id;
 *   - failed: next_attempt_at = now() + exponential backoff with jitter, or 'dead' after
 *     MAX_ATTEMPTS, with last_error (dead emails are listed to the coalition's coordinators).
 * If the process dies between claiming and recording, nothing is lost: the lease runs out and
 * the row is claimed again. The resend is harmless because the row id is the Idempotency-Key
 * (Resend keeps keys for 24 hours, far longer than the lease and the whole retry schedule)
 * and the dev mailbox keeps one message per outbox id. A row interrupted during its last
 * allowed attempt is marked dead rather than retried forever (it might be what crashed us).
 * The failure update is fenced on the attempt number it claimed, so a worker whose lease ran
 * out cannot overwrite the outcome of the worker that took the row over.
 */

export const MAX_ATTEMPTS = 8;
export const LEASE_SECONDS = 5 * 60;
export const BATCH_SIZE = 5;
export const POLL_INTERVAL_MS = 1000;
const BACKOFF_BASE_SECONDS = 60;
const BACKOFF_CAP_SECONDS = 60 * 60;

/**
 * Seconds to wait after failed attempt number `attempt` (1-based): 1, 2, 4, … minutes capped at
 * an hour, of which the second half is random ("equal jitter") so retries of many emails after
 * an outage spread out. Eight attempts span about two hours.
 */
export function backoffSeconds(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export interface OutboxWorkerOptions {
  db: Database;
  transport: EmailTransport;
  logger: Logger;
  batchSize?: number;
  pollIntervalMs?: number;
  leaseSeconds?: number;
  maxAttempts?: number;
}

export interface OutboxRunResult {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
}

export interface OutboxWorker {
  /** Claim and deliver one batch of due emails. */
  runOnce(): Promise<OutboxRunResult>;
  /** Poll every pollIntervalMs (immediately again while batches come back full). */
  start(): void;
  /** Stop polling and wait for the batch in flight. */
  stop(): Promise<void>;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, transport, logger } = options;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS;
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;

  // A materialised CTE: the due rows are picked and locked exactly once. (The tempting
  // `WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` can be planned so that the
  // subquery runs again per row, and then claims more than n rows.)
  async function claim() {
    return db
      .with(
        (cte) => cte("due").materialized(),
        (qb) =>
          qb
            .selectFrom("outbox_email")
            .select("id")
            .where("status", "=", "pending")
            .where("next_attempt_at", "<=", sql<Date>`now()`)
            .orderBy("next_attempt_at")
            .limit(batchSize)
            .forUpdate()
            .skipLocked(),
      )
      .updateTable("outbox_email")
      .from("due")
      .set((eb) => ({
        attempts: eb("outbox_email.attempts", "+", 1),
        next_attempt_at: sql<Date>`now() + ${leaseSeconds}::int * interval '1 second'`,
      }))
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

  async function fail(id: string, attempts: number, error: string): Promise<"retried" | "dead"> {
    const dead = attempts >= maxAttempts;
    await db
      .updateTable("outbox_email")
      .set(
        dead
          ? { status: "dead", last_error: error }
          : { last_error: error, next_attempt_at: sql<Date>`now() + ${backoffSeconds(attempts)}::int * interval '1 second'` },
      )
      .where("id", "=", id)
      .where("status", "=", "pending")
      .where("attempts", "=", attempts)
      .execute();
    return dead ? "dead" : "retried";
  }

  async function runOnce(): Promise<OutboxRunResult> {
    const rows = await claim();
    const result: OutboxRunResult = { claimed: rows.length, sent: 0, retried: 0, dead: 0 };
    // One at a time: the provider rate-limits, and the batch is small enough to fit the lease.
    for (const row of rows) {
      if (row.attempts > maxAttempts) {
        result[await fail(row.id, row.attempts, "interrupted during its last attempt; not retried")]++;
        continue;
      }
      let providerId: string | null;
      try {
        ({ providerId } = await transport.send({ id: row.id, to: row.to_address, subject: row.subject, html: row.html, text: row.text }));
      } catch (error) {
        const outcome = await fail(row.id, row.attempts, describe(error));
        result[outcome]++;
        logger.warn({ outboxId: row.id, attempts: row.attempts, outcome, err: describe(error) }, "email delivery failed");
        continue;
      }
      await db
        .updateTable("outbox_email")
        .set({ status: "sent", sent_at: sql<Date>`now()`, provider_id: providerId, last_error: null })
        .where("id", "=", row.id)
        .where("status", "<>", "sent")
        .execute();
      result.sent++;
      logger.debug({ outboxId: row.id, attempts: row.attempts }, "email sent");
    }
    return result;
  }

  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  async function drain() {
    try {
      let result: OutboxRunResult;
      do {
        result = await runOnce();
      } while (!stopped && result.claimed === batchSize);
    } catch (error) {
      // A database outage: log and try again at the next poll.
      logger.error({ err: error }, "outbox worker run failed");
    }
  }

  function tick() {
    timer = undefined;
    if (stopped) return;
    inFlight = drain().finally(() => {
      inFlight = undefined;
      if (!stopped) timer = setTimeout(tick, pollIntervalMs);
    });
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
