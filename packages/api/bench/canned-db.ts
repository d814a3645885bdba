/**
 * A database handle that answers from a recording instead of a server: each SQL text gets the rows
 * it was seen to return, in the order it returned them (round robin when a text was seen more than
 * once). bench:request-cost runs the app and the bare handler on it to take the database's I/O,
 * which is the same for both and noisy on a shared machine, out of their difference: what is left
 * is the app's own JavaScript on top of the SQL. Reads only: a transaction is accepted and does
 * nothing, and an unknown query returns no rows.
 */
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from "kysely";
import type { DatabaseHandle } from "../src/db/client.ts";
import type { DB } from "../src/db/schema.ts";

export type Recording = Array<{ sql: string; rows: unknown[] }>;

class CannedConnection implements DatabaseConnection {
  readonly #answers = new Map<string, { rows: unknown[][]; next: number }>();
  constructor(recording: Recording) {
    for (const { sql, rows } of recording) {
      const answer = this.#answers.get(sql);
      if (answer) answer.rows.push(rows);
      else this.#answers.set(sql, { rows: [rows], next: 0 });
    }
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const answer = this.#answers.get(query.sql);
    if (!answer) return { rows: [] };
    const rows = answer.rows[answer.next] as R[];
    answer.next = (answer.next + 1) % answer.rows.length;
    return { rows };
  }
  // biome-ignore lint/correctness/useYield: the request path never streams; a stream here is a mistake
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("canned database: no streaming");
  }
}

class CannedDriver implements Driver {
  constructor(readonly connection: CannedConnection) {}
  async init() {}
  async acquireConnection() {
    return this.connection;
  }
  async beginTransaction() {}
  async commitTransaction() {}
  async rollbackTransaction() {}
  async releaseConnection() {}
  async destroy() {}
}

export function cannedDatabase(recording: Recording): DatabaseHandle {
  const connection = new CannedConnection(recording);
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new CannedDriver(connection),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, engine: "postgres", ping: () => Promise.resolve(), close: () => db.destroy() };
}
