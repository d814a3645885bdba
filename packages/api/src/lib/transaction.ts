import type { Transaction } from "kysely";
import type { Database } from "../db/client.ts";
import type { DB } from "../db/schema.ts";

export type Executor = Database | Transaction<DB>;

/** Run `fn` in a transaction, reusing the caller's when there is one. */
export async function withTransaction<T>(db: Executor, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<DB>);
  return (db as Database).transaction().execute(fn);
}
