import { connect, type Socket } from "node:net";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  sql,
} from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.ts";
import { pipelinedBegin } from "../pipelined-begin.ts";

const serverUrl = loadConfig().databaseUrl;

/**
 * A postgres.js client on one connection whose socket records what each write carries: the
 * messages postgres.js sends together in one write are sent before either is answered.
 */
function recordingClient(url: string) {
  const writes: string[] = [];
  const { hostname, port } = new URL(url);
  // `socket` is a postgres.js option its type declarations leave out; it takes the socket as connected.
  const options = {
    max: 1,
    onnotice: () => {},
    socket: () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(Number(port || 5432), hostname, () => resolve(socket));
        socket.once("error", reject);
        const write = socket.write.bind(socket) as (chunk: Uint8Array, ...rest: unknown[]) => boolean;
        socket.write = ((chunk: Uint8Array, ...rest: unknown[]) => {
          writes.push(Buffer.from(chunk).toString("latin1"));
          return write(chunk, ...rest);
        }) as Socket["write"];
      }),
  };
  const client = postgres(url, options as postgres.Options<Record<string, never>>);
  return { client, writes };
}

describe.runIf(Boolean(serverUrl))("a transaction's BEGIN, on PostgreSQL", () => {
  it("goes out in one write with the transaction's first statement (and alone without pipelinedBegin)", async () => {
    const url = serverUrl as string;
    const sides = { pipelined: recordingClient(url), kysely: recordingClient(url) };
    const pipelined = new Kysely({ dialect: pipelinedBegin(new PostgresJSDialect({ postgres: sides.pipelined.client })) });
    const plain = new Kysely({ dialect: new PostgresJSDialect({ postgres: sides.kysely.client }) });
    try {
      for (const db of [pipelined, plain]) {
        const { rows } = await db.transaction().execute((trx) => sql<{ marker: number }>`select 4711 as marker`.execute(trx));
        expect(rows).toEqual([{ marker: 4711 }]);
      }
      // A fresh connection sends each statement's text the first time it runs it.
      const carrying = (writes: string[], text: string) => writes.filter((w) => w.includes(text));
      const [together] = carrying(sides.pipelined.writes, "select 4711 as marker");
      expect(together).toContain("begin");
      const [alone] = carrying(sides.kysely.writes, "begin");
      expect(alone).toBeDefined();
      expect(alone).not.toContain("select 4711 as marker");
    } finally {
      await pipelined.destroy();
      await plain.destroy();
    }
  });

  it("still rolls back on an error, and the next transaction on the connection starts clean", async () => {
    const { client } = recordingClient(serverUrl as string);
    const db = new Kysely({ dialect: pipelinedBegin(new PostgresJSDialect({ postgres: client })) });
    try {
      await sql`create temporary table pipelined_begin_probe (n int)`.execute(db);
      await expect(
        db.transaction().execute(async (trx) => {
          await sql`insert into pipelined_begin_probe values (1)`.execute(trx);
          await sql`select 1 / 0`.execute(trx);
        }),
      ).rejects.toThrow(/division by zero/);
      await db.transaction().execute((trx) => sql`insert into pipelined_begin_probe values (2)`.execute(trx));
      const { rows } = await sql<{ n: number }>`select n from pipelined_begin_probe`.execute(db);
      expect(rows).toEqual([{ n: 2 }]);
    } finally {
      await db.destroy();
    }
  });
});

/** A driver that answers from memory, logging each query; BEGIN fails when `failBegin` is set. */
function fakeDialect(log: string[], failBegin: boolean): Dialect {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      log.push(query.sql);
      await nextTurn();
      if (failBegin && query.sql === "begin") throw new Error("BEGIN refused");
      return { rows: [] };
    },
    streamQuery: () => {
      throw new Error("not used");
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => ({ ...connection }),
    beginTransaction: async (c) => {
      await c.executeQuery(CompiledQuery.raw("begin"));
    },
    commitTransaction: async (c) => {
      await c.executeQuery(CompiledQuery.raw("commit"));
    },
    rollbackTransaction: async (c) => {
      await c.executeQuery(CompiledQuery.raw("rollback"));
    },
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

describe("pipelinedBegin", () => {
  it("sends the first statement before BEGIN is answered, and answers it once BEGIN has been", async () => {
    const log: string[] = [];
    const db = new Kysely({ dialect: pipelinedBegin(fakeDialect(log, false)) });
    const seen: string[][] = [];
    await db.transaction().execute(async (trx) => {
      const first = sql`select 1`.execute(trx);
      // Both are in the log before either is answered: BEGIN was not waited for.
      seen.push([...log]);
      await first;
      await sql`select 2`.execute(trx);
    });
    expect(seen).toEqual([["begin", "select 1"]]);
    expect(log).toEqual(["begin", "select 1", "select 2", "commit"]);
  });

  it("fails the transaction with BEGIN's error, which it rolls back, even when BEGIN failed before the first statement was sent", async () => {
    const log: string[] = [];
    const db = new Kysely({ dialect: pipelinedBegin(fakeDialect(log, true)) });
    const answered: unknown[] = [];
    await expect(
      db.transaction().execute(async (trx) => {
        // BEGIN's failure arrives first; it must not be an unhandled rejection (Vitest fails the run on one).
        for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
        answered.push(await sql`select 1`.execute(trx));
      }),
    ).rejects.toThrow("BEGIN refused");
    expect(answered).toEqual([]);
    expect(log).toEqual(["begin", "select 1", "rollback"]);
  });

  it("keeps Kysely's own BEGIN, waited for, for a transaction with an isolation level", async () => {
    const log: string[] = [];
    const db = new Kysely({ dialect: pipelinedBegin(fakeDialect(log, true)) });
    await expect(
      db
        .transaction()
        .setIsolationLevel("serializable")
        .execute((trx) => sql`select 1`.execute(trx)),
    ).rejects.toThrow("BEGIN refused");
    expect(log).toEqual(["begin"]);
  });
});
