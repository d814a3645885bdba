import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/** The rate-limit counters' queries (the policy is in rate-limit.ts). */

/** Count one more event in the key's window (a new window starts when the old one ended), in one statement; the new count. */
export async function increment(db: Executor, key: string, windowSeconds: number, units = 1): Promise<number> {
  const result = await sql<{ count: number }>`
    INSERT INTO rate_limit (key, window_start, count) VALUES (${key}, now(), ${units})
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit.window_start <= now() - make_interval(secs => ${windowSeconds}) THEN ${units} ELSE rate_limit.count + ${units} END,
      window_start = CASE WHEN rate_limit.window_start <= now() - make_interval(secs => ${windowSeconds}) THEN now() ELSE rate_limit.window_start END
    RETURNING count`.execute(db);
  return result.rows[0]?.count ?? 1;
}

export async function decrement(db: Executor, key: string) {
  await db
    .updateTable("rate_limit")
    .set((eb) => ({ count: eb("count", "-", 1) }))
    .where("key", "=", key)
    .where("count", ">", 0)
    .execute();
}

export function deleteKey(db: Executor, key: string) {
  return db.deleteFrom("rate_limit").where("key", "=", key).execute();
}

/** Windows that ended over a day ago. */
export function deleteOld(db: Executor) {
  return db.deleteFrom("rate_limit").where(sql<boolean>`window_start < now() - interval '1 day'`).execute();
}
