import { AsyncLocalStorage } from "node:async_hooks";
import type { Transaction } from "kysely";
import type { Database } from "../db/client.ts";
import type { DB } from "../db/schema.ts";

export type Executor = Database | Transaction<DB>;

type FirstStep = { run: ((trx: Transaction<DB>) => Promise<void>) | undefined };

/**
 * A step to take first thing inside the first transaction a request commits (modules/idempotency
 * claims the request's key there, so that the key is taken exactly when the change is made). Kept
 * until a transaction that ran it commits: a transaction that rolls back takes the step back with it,
 * and the next one runs it again.
 */
const firstStep = new AsyncLocalStorage<FirstStep>();

/**
 * Runs `fn` with `step` to take at the start of its first committed transaction; `taken` says
 * whether a transaction that took it committed.
 */
export async function withFirstTransactionStep<T>(
  step: (trx: Transaction<DB>) => Promise<void>,
  fn: () => Promise<T>,
): Promise<{ value: T; taken: boolean }> {
  const store: FirstStep = { run: step };
  const value = await firstStep.run(store, fn);
  return { value, taken: store.run === undefined };
}

/** Run `fn` in a transaction, reusing the caller's when there is one. */
export async function withTransaction<T>(db: Executor, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<DB>);
  const pending = firstStep.getStore();
  const step = pending?.run;
  if (!pending || !step) return (db as Database).transaction().execute(fn);
  const result = await (db as Database).transaction().execute(async (trx) => {
    await step(trx);
    return fn(trx);
  });
  pending.run = undefined;
  return result;
}
