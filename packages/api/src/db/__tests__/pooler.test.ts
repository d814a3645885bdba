import { sql } from "kysely";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { createTestDatabase } from "../../../test/db.ts";
import { loadConfig } from "../../config.ts";
import { createDatabase } from "../client.ts";
import { migrateToLatest } from "../migrate.ts";
import { migrationProvider } from "../migrations/index.ts";

/*
 * Issue 12, item 6: Samakki behind PgBouncer in transaction mode. Runs in the pooler smoke run
 * (scripts/pgbouncer-smoke.sh, from .ci/run), where each test file's app connects through a
 * PgBouncer (TEST_POOLER_URL). The rest of that run is ordinary integration tests going through
 * it: with named prepared statements (postgres.js's default) the vote races and task tests fail
 * there with "prepared statement … does not exist", which is what proves `prepare: false`.
 */
const pooler = inject("pgPooler");
const serverUrl = loadConfig().databaseUrl;

describe.runIf(Boolean(pooler && serverUrl))("behind PgBouncer in transaction mode", () => {
  it("reaches the server through the pooler, which is not where the client connected", async () => {
    const handle = await createTestDatabase();
    try {
      const { rows } = await sql<{ port: number }>`select inet_server_port() as port`.execute(handle.db);
      expect(rows[0]?.port).toBe(Number(new URL(serverUrl ?? "").port || 5432));
      expect(Number(new URL(pooler).port)).not.toBe(rows[0]?.port);
    } finally {
      await handle.close();
    }
  });

  it("migrates an empty database once when two replicas start together through the pooler", async () => {
    const name = `samakki_pool_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = postgres(serverUrl ?? "", { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`).catch(async (error: unknown) => {
      await admin.end();
      throw error;
    });
    const url = new URL(pooler);
    url.pathname = `/${name}`;
    const replicas = [0, 1].map(() => createDatabase({ url: url.toString(), maxConnections: 2, transactionPooler: true }));
    try {
      const runs = await Promise.all(replicas.map((replica) => migrateToLatest(replica.db)));
      const all = Object.keys(await migrationProvider.getMigrations()).sort();
      expect(runs.map((applied) => applied.length).sort((a, b) => a - b)).toEqual([0, all.length]);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 150_000);

  it("applies the database's timeouts, which the client cannot send through the pooler", async () => {
    const handle = await createTestDatabase();
    try {
      const { rows } = await sql<{ setting: string }>`select setting from pg_settings where name = 'statement_timeout'`.execute(handle.db);
      expect(Number(rows[0]?.setting)).toBe(loadConfig().database.statementTimeoutMs);
    } finally {
      await handle.close();
    }
  });
});
