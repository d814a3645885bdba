import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/** The request a person sent with `key`, with its answer once sent. */
export function findRequest(db: Executor, personId: string, key: string) {
  return db
    .selectFrom("idempotent_request")
    .where("person_id", "=", personId)
    .where("key", "=", key)
    .select(["fingerprint", "status", "body"])
    .executeTakeFirst();
}

/**
 * Takes the key inside the transaction that makes the change. False when another request with the
 * key took it first (committed; a transaction still under way is waited for by the unique key).
 */
export async function claimRequest(
  db: Executor,
  claim: { personId: string; key: string; coalitionId: string | null; fingerprint: string },
): Promise<boolean> {
  const row = await db
    .insertInto("idempotent_request")
    .values({ person_id: claim.personId, key: claim.key, coalition_id: claim.coalitionId, fingerprint: claim.fingerprint })
    .onConflict((oc) => oc.columns(["person_id", "key"]).doNothing())
    .returning("key")
    .executeTakeFirst();
  return row !== undefined;
}

/** Keeps the answer of the request that took the key. */
export async function storeAnswer(db: Executor, personId: string, key: string, answer: { status: number; body: string }): Promise<void> {
  await db
    .updateTable("idempotent_request")
    .set({ status: answer.status, body: answer.body })
    .where("person_id", "=", personId)
    .where("key", "=", key)
    .execute();
}

/** Lets the key go: the request that took it did not succeed, and may be sent again. */
export async function releaseRequest(db: Executor, personId: string, key: string): Promise<void> {
  await db.deleteFrom("idempotent_request").where("person_id", "=", personId).where("key", "=", key).execute();
}

/** Forgets keys older than `hours` (the prune job); returns how many. */
export async function pruneRequests(db: Executor, hours: number): Promise<number> {
  const result = await db
    .deleteFrom("idempotent_request")
    .where("created_at", "<", sql<Date>`now() - make_interval(hours => ${hours})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
