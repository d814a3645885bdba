import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/** The queries of the signing form's proof of work (pow.ts): the server secret and the used challenges; the db handle first. */

export async function ensureServerSecret(db: Executor, name: string, generate: () => string): Promise<string> {
  await db
    .insertInto("server_secret")
    .values({ name, secret: generate() })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await db.selectFrom("server_secret").where("name", "=", name).select("secret").executeTakeFirstOrThrow();
  return row.secret;
}

/** Record a challenge as used; false when it already was (the same statement decides). */
export async function markPowChallengeUsed(db: Executor, challenge: string, expiresAt: Date): Promise<boolean> {
  const row = await db
    .insertInto("pow_challenge_used")
    .values({ challenge, expires_at: expiresAt })
    .onConflict((oc) => oc.column("challenge").doNothing())
    .returning("challenge")
    .executeTakeFirst();
  return row !== undefined;
}

export function pruneUsedPowChallenges(db: Executor) {
  return db.deleteFrom("pow_challenge_used").where("expires_at", "<", sql<Date>`now()`).execute();
}
