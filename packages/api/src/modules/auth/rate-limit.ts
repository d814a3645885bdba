import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/**
 * Fixed-window counters in the database, so every API instance shares them (security.md:
 * 10 failed sign-ins per account and 100 per source address per 15 minutes).
 * Written by hand: the well-known libraries (rate-limiter-flexible) have no Kysely/PGlite store.
 */
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
export const LIMITS = { account: 10, address: 100 } as const;

export async function currentCount(db: Executor, key: string, windowSeconds: number): Promise<number> {
  const row = await db
    .selectFrom("rate_limit")
    .where("key", "=", key)
    .where(sql<boolean>`window_start > now() - make_interval(secs => ${windowSeconds})`)
    .select("count")
    .executeTakeFirst();
  return row?.count ?? 0;
}

/** Count one more event in the key's window (a new window starts when the old one ended); returns the new count. */
export async function hit(db: Executor, key: string, windowSeconds: number): Promise<number> {
  const result = await sql<{ count: number }>`
    INSERT INTO rate_limit (key, window_start, count) VALUES (${key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit.window_start <= now() - make_interval(secs => ${windowSeconds}) THEN 1 ELSE rate_limit.count + 1 END,
      window_start = CASE WHEN rate_limit.window_start <= now() - make_interval(secs => ${windowSeconds}) THEN now() ELSE rate_limit.window_start END
    RETURNING count`.execute(db);
  return result.rows[0]?.count ?? 1;
}

export function resetKey(db: Executor, key: string) {
  return db.deleteFrom("rate_limit").where("key", "=", key).execute();
}

/** Forget windows that ended long ago (no IP addresses kept beyond the counters' life). */
export function pruneRateLimits(db: Executor) {
  return db.deleteFrom("rate_limit").where(sql<boolean>`window_start < now() - interval '1 day'`).execute();
}
