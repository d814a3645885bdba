import { createHmac } from "node:crypto";
import type { Config } from "../../config.ts";
import { AppError } from "../../lib/errors.ts";
import type { Executor } from "../../lib/transaction.ts";
import * as repo from "./rate-limit.repository.ts";

/**
 * Fixed-window counters in the database, so every API instance shares them (docs/security.md §6:
 * 10 failed sign-ins per account and 100 per source address per 15 minutes).
 * Written by hand: the well-known libraries (rate-limiter-flexible) have no Kysely/PGlite store.
 *
 * Every attempt is counted *before* its secret is checked, with one statement that increments and
 * returns the count (`take`), so a burst of parallel requests cannot all read "9" and all be
 * evaluated: each gets its own number, and those above the limit are refused unevaluated. An
 * attempt that turns out right gives its count back (`giveBack`) or resets the key, so only
 * failures stay counted, as before.
 */
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
export const LIMITS = {
  account: 10,
  address: 100,
  device: 10,
  reauth: 10,
  passwordReset: 5,
  emailChange: 5,
  invitation: 100,
  /** Invitation emails to one address an hour from one organisation (or coalition, for organisations): an inbox is not a target. */
  invitationsToAddress: 5,
  /** Invitations one person sends an hour. */
  invitationsByPerson: 60,
} as const;

/**
 * The key of a counter that counts by something a person could be found by (a client address, a
 * phone number, an email address on a public form): `<scope>:` and an HMAC-SHA-256 of it under
 * COUNTER_KEY (config.ts). Never the value, and never a plain hash of it: there are only 2^32 IPv4
 * addresses and about 10^9 Cambodian phone numbers, so whoever holds the database or a backup could
 * hash them all and find which address or phone signed a petition or signed up for a march. The
 * key is never in the database (docs/security.md §6).
 */
export function keyedCounter(config: Pick<Config, "counterKey">, scope: string, value: string): string {
  return `${scope}:${createHmac("sha256", config.counterKey.secret).update(value).digest("hex")}`;
}

/** Count one more event (or `units` of them) in the key's window (a new window starts when the old one ended); returns the new count. */
export const hit = repo.increment;

function rateLimited(windowSeconds = SIGN_IN_WINDOW_SECONDS, detail = "too many attempts"): AppError {
  return new AppError("rate_limited", detail, { headers: { "retry-after": String(windowSeconds) } });
}

/**
 * Take one attempt from each key's allowance, atomically, before the secret is checked; refuse
 * with 429 when any key is over its limit. Run it outside the transaction that checks the secret,
 * so the count is committed (and seen by parallel requests) at once. Returns the new counts.
 */
export async function take(db: Executor, limits: { key: string; limit: number; units?: number }[], windowSeconds = SIGN_IN_WINDOW_SECONDS) {
  const counts: number[] = [];
  for (const { key, units } of limits) counts.push(await hit(db, key, windowSeconds, units));
  if (limits.some(({ limit }, i) => (counts[i] ?? 0) > limit)) throw rateLimited(windowSeconds);
  return counts;
}

/** Give back an attempt that turned out right, so only failures stay counted. */
export const giveBack = repo.decrement;

export const resetKey = repo.deleteKey;

/** Forget windows that ended long ago (no IP addresses kept beyond the counters' life). */
export const pruneRateLimits = repo.deleteOld;
