import type { Database } from "../../db/client.ts";
import type { Logger } from "../../lib/logger.ts";
import { jobFailures, jobRuns } from "../../lib/metrics.ts";
import { systemTimers, type Timers, unref } from "../../lib/timers.ts";
import type { EmailTransport } from "./email.types.ts";
import * as repo from "./outbox.repository.ts";
import { type DbClock, databaseNow } from "./outbox.repository.ts";

/*
 * The outbox worker: delivers the rows enqueueEmail() wrote in the same transaction as the
 * change that caused them (docs/security.md §13).
 *
 * Claiming is a short lease, not a held lock. One statement picks due rows with
 * `FOR UPDATE SKIP LOCKED` (so several instances never pick the same row), increments
 * `attempts` and moves `next_attempt_at` a lease (LEASE_SECONDS) ahead; it commits at once.
 * Sending happens outside any transaction (PGlite has a single connection, and an HTTP call
 * must never hold a database transaction open), then one more statement records the outcome:
 *   - sent: status 'sent', sent_at, provider id;
 *   - failed: next_attempt_at = now() + exponential backoff with jitter, or 'dead' after
 *     MAX_ATTEMPTS, with last_error (dead emails are listed to the coalition's coordinators).
 *
 * A claim is this worker's as long as the row is 'pending' with the `attempts` it claimed:
 * every claim increments `attempts`, so that number fences every later statement.
 *   - While a batch is being sent, a heartbeat (every HEARTBEAT_MS) moves the lease of every
 *     row still held a lease ahead. A process that dies stops renewing, and its rows are due
 *     again within LEASE_SECONDS (the issue asked for 30 s; it was 5 minutes).
 *   - Just before sending a row, the worker renews that row's lease fenced on its attempt
 *     number. If the row was taken over (a stalled heartbeat let the lease run out), it is not
 *     sent again.
 *   - Each send gets an abort signal that fires after SEND_TIMEOUT_MS, shorter than the lease
 *     renewed just before it, and as soon as a heartbeat finds the claim lost. So a slow send
 *     cannot outlive the claim and overlap a second worker's send of the same email.
 *   - The failure update is fenced on the attempt number, so a worker whose claim was lost
 *     cannot overwrite the outcome of the worker that took the row over.
 * If the process dies between claiming and recording, nothing is lost: the lease runs out and
 * the row is claimed again. The resend uses the same Idempotency-Key (the row id, never the
 * attempt), so Resend (24-hour keys) delivers it once and the dev mailbox keeps one message
 * per outbox id; an endpoint that does not deduplicate sees a repeat only for a send a crash
 * cut short. A row interrupted during its last allowed attempt is marked dead rather than
 * retried forever (it might be what crashed us).
 */

export const MAX_ATTEMPTS = 8;
/** How long a claim lasts without a heartbeat: a dead worker's emails are due again after at most this. */
export const LEASE_SECONDS = 20;
/** How often a working worker renews its claims (four renewals per lease). */
export const HEARTBEAT_MS = 5_000;
/** The longest one send may take; shorter than the lease renewed just before it. */
export const SEND_TIMEOUT_MS = 15_000;
const BATCH_SIZE = 5;
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

export type { DbClock };

export interface OutboxWorkerOptions {
  db: Database;
  transport: EmailTransport;
  logger: Logger;
  batchSize?: number;
  pollIntervalMs?: number;
  leaseSeconds?: number;
  heartbeatMs?: number;
  sendTimeoutMs?: number;
  maxAttempts?: number;
  now?: DbClock;
  /** What the poll and the heartbeat are scheduled with (a test's clock in tests). */
  timers?: Timers;
}

interface OutboxRunResult {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  /** Claimed rows not sent because another worker took them over first. */
  takenOver: number;
}

interface OutboxWorker {
  /** Claim and deliver one batch of due emails. */
  runOnce(): Promise<OutboxRunResult>;
  /** Poll every pollIntervalMs (immediately again while batches come back full). */
  start(): void;
  /** Stop polling and wait for the batch in flight. */
  stop(): Promise<void>;
  /** Renew the claims of the batches in flight now (what the heartbeat timer does). */
  heartbeat(): Promise<void>;
}

// Counted per poll (a drain of the due emails), not per email.
const outboxRuns = jobRuns.labels("outbox");
const outboxFailures = jobFailures.labels("outbox");
outboxFailures.inc(0);

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, transport, logger } = options;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const sendTimeoutMs = options.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  const now = options.now ?? databaseNow;
  const timers = options.timers ?? systemTimers;
  if (sendTimeoutMs >= leaseSeconds * 1000 || heartbeatMs >= leaseSeconds * 1000)
    throw new Error("the outbox send timeout and heartbeat must be shorter than the lease");

  const claim = () => repo.claimDue(db, now, batchSize, leaseSeconds);

  /** Move the lease of the rows still ours (pending, with the attempt number we claimed) a lease ahead; returns their ids. */
  async function renew(claims: ReadonlyMap<string, number>): Promise<Set<string>> {
    if (claims.size === 0) return new Set();
    return repo.renewClaims(db, now, claims, leaseSeconds);
  }

  async function fail(id: string, attempts: number, error: string): Promise<"retried" | "dead"> {
    const dead = attempts >= maxAttempts;
    await repo.recordFailure(db, now, { id, attempts }, dead ? { dead, error } : { dead, error, retryInSeconds: backoffSeconds(attempts) });
    return dead ? "dead" : "retried";
  }

  /** The claims of one runOnce() still held (id → attempt number), and the send in flight. */
  interface Batch {
    held: Map<string, number>;
    sending?: { id: string; controller: AbortController } | undefined;
  }
  const batches = new Set<Batch>();

  async function renewBatch(batch: Batch) {
    const kept = await renew(batch.held);
    for (const id of [...batch.held.keys()]) {
      if (kept.has(id)) continue;
      batch.held.delete(id);
      if (batch.sending?.id === id) batch.sending.controller.abort(new Error("the claim on this email was lost"));
      logger.warn({ outboxId: id }, "outbox claim lost to another worker");
    }
  }

  // Heartbeats never overlap: each waits for the previous one.
  let beating: Promise<void> = Promise.resolve();
  function heartbeat(): Promise<void> {
    beating = beating
      .then(async () => {
        for (const batch of batches) await renewBatch(batch);
      })
      .catch((error: unknown) => logger.error({ err: error }, "outbox heartbeat failed"));
    return beating;
  }

  async function runOnce(): Promise<OutboxRunResult> {
    const rows = await claim();
    const result: OutboxRunResult = { claimed: rows.length, sent: 0, retried: 0, dead: 0, takenOver: 0 };
    if (rows.length === 0) return result;
    const batch: Batch = { held: new Map(rows.map((row) => [row.id, row.attempts])) };
    batches.add(batch);
    const timer = timers.setInterval(() => void heartbeat(), heartbeatMs);
    unref(timer);
    try {
      // One at a time: the provider rate-limits; the heartbeat keeps the rows waiting their turn.
      for (const row of rows) {
        if (row.attempts > maxAttempts) {
          batch.held.delete(row.id);
          result[await fail(row.id, row.attempts, "interrupted during its last attempt; not retried")]++;
          continue;
        }
        // Check before sending: still ours? (and a full lease for the send, whatever the heartbeat does)
        const mine = new Map([[row.id, row.attempts]]);
        if (!batch.held.has(row.id) || !(await renew(mine)).has(row.id)) {
          batch.held.delete(row.id);
          result.takenOver++;
          logger.warn({ outboxId: row.id, attempts: row.attempts }, "email taken over by another worker; not sent here");
          continue;
        }
        const controller = new AbortController();
        batch.sending = { id: row.id, controller };
        let providerId: string | null;
        try {
          ({ providerId } = await transport.send(
            { id: row.id, to: row.to_address, subject: row.subject, html: row.html, text: row.text },
            { signal: AbortSignal.any([controller.signal, AbortSignal.timeout(sendTimeoutMs)]) },
          ));
        } catch (error) {
          batch.sending = undefined;
          if (!batch.held.delete(row.id)) {
            // A heartbeat found the claim lost and aborted the send: the new holder decides.
            result.takenOver++;
            logger.warn({ outboxId: row.id, attempts: row.attempts }, "email send stopped: taken over by another worker");
            continue;
          }
          const outcome = await fail(row.id, row.attempts, describe(error));
          result[outcome]++;
          logger.warn({ outboxId: row.id, attempts: row.attempts, outcome, err: describe(error) }, "email delivery failed");
          continue;
        }
        batch.sending = undefined;
        batch.held.delete(row.id);
        await repo.markSent(db, now, row.id, providerId);
        result.sent++;
        logger.debug({ outboxId: row.id, attempts: row.attempts }, "email sent");
      }
    } finally {
      timers.clearInterval(timer);
      batches.delete(batch);
    }
    return result;
  }

  let stopped = true;
  let timer: unknown;
  let inFlight: Promise<void> | undefined;

  async function drain() {
    outboxRuns.inc();
    try {
      let result: OutboxRunResult;
      do {
        result = await runOnce();
      } while (!stopped && result.claimed === batchSize);
    } catch (error) {
      // A database outage: log and try again at the next poll.
      outboxFailures.inc();
      logger.error({ err: error }, "outbox worker run failed");
    }
  }

  function tick() {
    timer = undefined;
    if (stopped) return;
    inFlight = drain().finally(() => {
      inFlight = undefined;
      if (!stopped) timer = timers.setTimeout(tick, pollIntervalMs);
    });
  }

  return {
    runOnce,
    heartbeat,
    start() {
      if (!stopped) return;
      stopped = false;
      timer = timers.setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
