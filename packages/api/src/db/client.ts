import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import {
  CompiledQuery,
  type Dialect,
  type Driver,
  Kysely,
  type KyselyPlugin,
  type LogEvent,
  PGliteDialect,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  sql,
  type UnknownRow,
} from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import type { Logger } from "../lib/logger.ts";
import { dbQueryDuration } from "../lib/metrics.ts";
import { patchDriver } from "./dialect.ts";
import { pipelinedBegin } from "./pipelined-begin.ts";
import { countingDialect } from "./pool-metrics.ts";
import type { DB } from "./schema.ts";

export type Database = Kysely<DB>;

const DATE_OID = 1082;
/** Calendar dates stay "YYYY-MM-DD" strings on both engines (never shifted through a JS Date). */
export const PGLITE_OPTIONS = { parsers: { [DATE_OID]: (value: string) => value } };
const POSTGRES_TYPES = { date: { to: DATE_OID, from: [DATE_OID], serialize: (value: string) => value, parse: (value: string) => value } };

export interface DatabaseHandle {
  db: Database;
  engine: "postgres" | "pglite";
  /** The embedded instance, for a backup of its data directory (PGlite only). */
  pglite?: PGlite;
  /** The server URL (PostgreSQL only), for pg_dump. */
  url?: string;
  /**
   * Whether the database answers, for /readyz and /healthz. On PostgreSQL over a connection of its
   * own, outside the request pool: a pool busy with slow requests is load, not an unreachable
   * database, and a probe that queued behind them would take every instance out of service (and
   * have it restarted) exactly when they all are busy.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL server; without it an embedded PGlite database is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files; in memory when omitted. */
  dataDir?: string | undefined;
  /** An existing PGlite instance (tests hand each file a clone). */
  pglite?: PGlite | undefined;
  logger?: Logger;
  /** Connections in the PostgreSQL pool (DATABASE_POOL_SIZE). */
  maxConnections?: number;
  /**
   * PostgreSQL only: `statement_timeout` and `idle_in_transaction_session_timeout` of every
   * connection (DATABASE_STATEMENT_TIMEOUT_MS). The client also gives up on a query that has
   * no answer QUERY_TIMEOUT_MARGIN_MS later (a dead socket the server cannot cancel) and
   * discards that connection, so no query waits forever.
   */
  statementTimeoutMs?: number;
  /**
   * PostgreSQL: how long a statement waits for a row or table lock (`lock_timeout`). Shorter than
   * the statement timeout: a request waiting on a row another transaction holds gives its pool
   * connection back within this time (503 `database_busy`), instead of holding it for the statement
   * timeout while every other request queues for a connection (one locked row once stalled every
   * read, and readiness, for a minute).
   */
  lockTimeoutMs?: number;
  /**
   * PostgreSQL only: `url` is a transaction-mode pooler (PgBouncer). Consecutive statements may
   * reach different server connections, so nothing may live in a session: no named prepared
   * statements (postgres.js prepares by default) and no startup parameters (PgBouncer refuses
   * unknown ones), so the timeouts above must be the role's or the database's settings
   * (`ALTER ROLE … SET statement_timeout`), which `checkPoolerSettings` verifies at start.
   * Advisory locks are taken inside transactions only (`pg_advisory_xact_lock`).
   */
  transactionPooler?: boolean;
  /** Called after every query with Kysely's log event (its SQL and duration): tracing's SQL spans. */
  onQuery?: ((event: LogEvent) => void) | undefined;
  /** Wraps the dialect, to watch where connections are taken and given back (test/round-trips.ts). */
  wrapDialect?: ((dialect: Dialect) => Dialect) | undefined;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
/** How long after the statement timeout the client stops waiting for the server. */
export const QUERY_TIMEOUT_MARGIN_MS = 2_000;

const queryOk = dbQueryDuration.labels("ok");
const queryError = dbQueryDuration.labels("error");

/** Kysely measures every query for its log hook: the duration goes to the metrics (and to a trace span when tracing is on). */
function logQuery(logger: Logger | undefined, onQuery: DatabaseOptions["onQuery"]) {
  return (event: LogEvent) => {
    (event.level === "error" ? queryError : queryOk).observe(event.queryDurationMillis / 1000);
    onQuery?.(event);
    if (event.level === "error") {
      logger?.error({ sql: event.query.sql, durationMs: Math.round(event.queryDurationMillis), err: event.error }, "query failed");
    }
  };
}

/**
 * PGlite runs each query synchronously on the main thread, and a request's queries follow one
 * another through promise callbacks only: under load, back-to-back queries of many requests
 * kept the event loop from accepting connections or firing timers for seconds (issue 8).
 * Yielding to the event loop after every query bounds the freeze to the longest single query.
 */
class YieldAfterQueryPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await new Promise((resolve) => setImmediate(resolve));
    return args.result;
  }
}

/**
 * kysely-postgres-js 5.0.0's driver inherits Kysely 0.29's PostgresDriver.rollbackTransaction,
 * which, when the ROLLBACK fails, calls a private method that only Kysely's own `pg` connections
 * have. The TypeError it threw ("connection[PRIVATE_MARK_FOR_DISCARD_METHOD] is not a function")
 * replaced the real error: a transaction whose connection the database had closed was logged as a
 * TypeError and answered 500, not as the database being unavailable (503, problem.ts). Here a failed
 * ROLLBACK throws its own error. A ROLLBACK fails only on a connection that is gone, which
 * postgres.js drops itself.
 */
function rollbackWithItsOwnError(driver: Driver): Driver {
  driver.rollbackTransaction = async (connection) => {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  };
  return driver;
}

/** One Kysely instance over postgres.js or PGlite; the rest of the code cannot tell which. */
export function createDatabase(options: DatabaseOptions): DatabaseHandle {
  const wrap = options.wrapDialect ?? ((dialect: Dialect) => dialect);
  if (options.url) {
    const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const settings = {
      onnotice: () => {},
      types: POSTGRES_TYPES,
      // Timestamps are Dates and bigint/numeric strings (postgres.js defaults, as in PGlite).
      // Sent as startup parameters: every connection, including one reopened after an outage.
      ...(options.transactionPooler
        ? { prepare: false }
        : {
            connection: {
              statement_timeout: statementTimeoutMs,
              lock_timeout: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
              idle_in_transaction_session_timeout: statementTimeoutMs,
            },
          }),
      connect_timeout: 10,
      // Reconnect soon after the server is back: postgres.js's default back-off grows to 20 s.
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2),
      // Seconds; added by patches/postgres@3.4.9.patch: destroy a connection whose query has no answer by then.
      query_timeout: (statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS) / 1000,
    };
    const client = postgres(options.url, { ...settings, max: options.maxConnections ?? DEFAULT_POOL_SIZE });
    // The probe's one connection, opened at the first ping and closed when idle for a minute.
    const probe = postgres(options.url, { ...settings, max: 1, idle_timeout: 60 });
    const db = new Kysely<DB>({
      dialect: wrap(
        countingDialect(
          pipelinedBegin(patchDriver(new PostgresJSDialect({ postgres: client }), rollbackWithItsOwnError)),
          options.maxConnections ?? DEFAULT_POOL_SIZE,
        ),
      ),
      log: logQuery(options.logger, options.onQuery),
    });
    return {
      db,
      engine: "postgres",
      url: options.url,
      ping: async () => {
        await probe`select 1`;
      },
      close: async () => {
        // Bounded: after a database outage, waiting for connections to end gracefully could hang shutdown.
        await Promise.all([client.end({ timeout: 5 }), probe.end({ timeout: 5 })]);
        await db.destroy();
      },
    };
  }
  let pglite = options.pglite;
  if (!pglite) {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    pglite = new PGlite(options.dataDir, PGLITE_OPTIONS);
  }
  const instance = pglite;
  const db = new Kysely<DB>({
    dialect: wrap(countingDialect(new PGliteDialect({ pglite: instance }), 1)),
    log: logQuery(options.logger, options.onQuery),
    plugins: [new YieldAfterQueryPlugin()],
  });
  return {
    db,
    engine: "pglite",
    pglite: instance,
    // One connection for everything: the probe waits its turn, as every query does.
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await db.destroy();
      if (!instance.closed) await instance.close();
    },
  };
}

/**
 * Behind a transaction pooler the client cannot set the timeouts itself: what the server applies
 * is the role's or the database's setting. Returns the settings that are off (0 = no limit), for
 * the server to warn about at start.
 */
export async function timeoutsLeftUnset(db: Database): Promise<string[]> {
  const { rows } = await sql<{ name: string; setting: string }>`
    select name, setting from pg_settings
    where name in ('statement_timeout', 'idle_in_transaction_session_timeout', 'lock_timeout')`.execute(db);
  return rows.filter((row) => row.setting === "0").map((row) => row.name);
}
