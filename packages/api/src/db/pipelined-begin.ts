import { CompiledQuery, type Dialect, type Driver, type QueryResult } from "kysely";
import { patchDriver } from "./dialect.ts";

/**
 * A transaction's BEGIN sent together with its first statement, instead of one round trip before it.
 *
 * Kysely's PostgreSQL driver awaits BEGIN's answer before the transaction's first statement is
 * sent, so every transaction waits once for nothing but an answer that is always "BEGIN": on a
 * database in another zone or behind a pooler, a round trip of its own per write (docs/architecture.md,
 * "Waits for the database"). Here BEGIN is sent at once and not awaited; postgres.js queues the next
 * statement on the same reserved connection right behind it (it pipelines: both go out in one write,
 * and their answers come back in order), and that statement's answer is given only once BEGIN's has
 * come back without an error. A failed BEGIN fails the first statement with BEGIN's error, and
 * Kysely then rolls the transaction back as for any other error. Whatever the transaction's first
 * query is (a statement, or at once its COMMIT or ROLLBACK), it carries BEGIN's answer.
 *
 * The one difference: that first statement has been sent whatever BEGIN's answer. BEGIN fails
 * when its connection does (then so does the statement behind it); were it to fail on a connection
 * that lives on (the server out of memory), the statement would run on its own, committed at once,
 * and the caller would still get BEGIN's error. The hot writes start with a locking read
 * (a ballot's open vote, a status change's task), which commits nothing.
 *
 * Only for postgres.js (client.ts): PGlite runs one query at a time on this thread, so nothing is
 * waited for there. A transaction with an isolation level or access mode keeps Kysely's own BEGIN.
 */
export function pipelinedBegin(inner: Dialect): Dialect {
  return patchDriver(inner, sendBeginWithFirstQuery);
}

const BEGIN = CompiledQuery.raw("begin");

function sendBeginWithFirstQuery(driver: Driver): Driver {
  const begin = driver.beginTransaction.bind(driver);
  // Patched on the instance, as pool-metrics.ts does: the driver's other methods stay its own.
  driver.beginTransaction = async (connection, settings) => {
    if (settings.isolationLevel || settings.accessMode) return begin(connection, settings);
    const begun = connection.executeQuery(BEGIN);
    // Observed by the first query below; until then, a rejection must not count as unhandled.
    begun.catch(() => {});
    const execute = connection.executeQuery;
    // Each transaction has a connection object of its own (kysely-postgres-js makes one per
    // reservation), so this own property lives for this transaction's first query only.
    connection.executeQuery = <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      connection.executeQuery = execute;
      const first = execute.call(connection, query) as Promise<QueryResult<R>>;
      return Promise.all([begun, first]).then(([, result]) => result);
    };
  };
  return driver;
}
