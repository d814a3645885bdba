import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import type { Migration } from "kysely/migration";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { killAll, startServer } from "../../../test/server-process.ts";
import { loadConfig } from "../../config.ts";
import { createDatabase, type DatabaseHandle, PGLITE_OPTIONS } from "../client.ts";
import { MIGRATION_LOCK_KEY, migrateToLatest } from "../migrate.ts";
import { migrationProvider } from "../migrations/index.ts";

/*
 * Issue 12, item 5: migrations at start hold a PostgreSQL advisory lock (transaction-level, so it
 * also holds through PgBouncer in transaction mode), so that replicas starting together never
 * migrate twice.
 */

const databaseUrl = loadConfig().databaseUrl;
const migrationNames = Object.keys(await migrationProvider.getMigrations()).sort();

/** A brand-new, empty database on the test server (not the run's migrated template). */
async function emptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!databaseUrl) throw new Error("PostgreSQL only");
  const name = `samakki_mig_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`).catch(async (error: unknown) => {
    await admin.end();
    throw error;
  });
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** An empty database on the engine under test (its PostgreSQL database is dropped on close). */
async function emptyDatabase(): Promise<DatabaseHandle> {
  if (!databaseUrl) return createDatabase({ pglite: new PGlite(PGLITE_OPTIONS) });
  const database = await emptyPostgresDatabase();
  const handle = createDatabase({ url: database.url, maxConnections: 2 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

async function appliedNames(handle: DatabaseHandle): Promise<string[]> {
  const result = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(handle.db);
  return result.rows.map((row) => row.name);
}

/** The `applied` list of the server's "database ready" log line. */
function appliedAtStart(output: string): string[] {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry: unknown = JSON.parse(line);
    if (typeof entry === "object" && entry !== null && "msg" in entry && entry.msg === "database ready" && "applied" in entry) {
      const applied = entry.applied;
      if (Array.isArray(applied)) return applied.map(String);
    }
  }
  throw new Error(`no "database ready" line in:\n${output.slice(-2000)}`);
}

afterAll(async () => {
  await killAll();
});

describe("migrations", () => {
  it("apply every migration once on an empty database, then find nothing to do", async () => {
    const handle = await emptyDatabase();
    try {
      expect(await migrateToLatest(handle.db)).toEqual(migrationNames);
      expect(await migrateToLatest(handle.db)).toEqual([]);
      expect(await appliedNames(handle)).toEqual(migrationNames);
    } finally {
      await handle.close();
    }
  }, 150_000);

  it("roll back the whole run when one fails, naming it, and leave the lock free", async () => {
    const handle = await emptyDatabase();
    const created: Migration = { up: async (db) => void (await sql`create table mig_probe (id int)`.execute(db)) };
    const broken: Migration = { up: async (db) => void (await sql`select no_such_column from mig_probe`.execute(db)) };
    try {
      const failing = { getMigrations: async () => ({ "20990101T000000Z-a": created, "20990101T000001Z-b": broken }) };
      await expect(migrateToLatest(handle.db, failing)).rejects.toThrow("Migration 20990101T000001Z-b failed");
      const probe = await sql<{ t: string | null }>`select to_regclass('mig_probe')::text as t`.execute(handle.db);
      expect(probe.rows[0]?.t).toBeNull();
      const fixed = { getMigrations: async () => ({ "20990101T000000Z-a": created }) };
      expect(await migrateToLatest(handle.db, fixed)).toEqual(["20990101T000000Z-a"]);
    } finally {
      await handle.close();
    }
  }, 150_000);

  it("refuse a database that has a migration this code does not know, and a new one dated before the last applied", async () => {
    const handle = await emptyDatabase();
    const only = { getMigrations: async () => ({ "20990101T000000Z-a": { up: async () => {} } }) };
    try {
      expect(await migrateToLatest(handle.db, only)).toEqual(["20990101T000000Z-a"]);
      await sql`insert into kysely_migration (name, timestamp) values ('29990101T000000Z-future', '2999-01-01T00:00:00.000Z')`.execute(
        handle.db,
      );
      await expect(migrateToLatest(handle.db, only)).rejects.toThrow("29990101T000000Z-future");
      // A new migration dated before one already applied is refused too (it would run out of order).
      await sql`delete from kysely_migration where name = '29990101T000000Z-future'`.execute(handle.db);
      const early = { getMigrations: async () => ({ ...(await only.getMigrations()), "20980101T000000Z-early": { up: async () => {} } }) };
      await expect(migrateToLatest(handle.db, early)).rejects.toThrow("Migration 20980101T000000Z-early sorts before 20990101T000000Z-a");
    } finally {
      await handle.close();
    }
  }, 150_000);
});

// Contention needs two connections or two processes on one database. PGlite is one process's files:
// its data-directory lock already refuses a second process (data-dir-lock.test.ts), so these run on
// the PostgreSQL run only.
describe.runIf(Boolean(databaseUrl))("the migration lock on PostgreSQL", () => {
  it("makes a run wait while another transaction holds the advisory lock, then it migrates", async () => {
    const database = await emptyPostgresDatabase();
    const holder = postgres(database.url, { max: 1, onnotice: () => {} });
    const observer = postgres(database.url, { max: 1, onnotice: () => {} });
    // A lock timeout of 1 ms, far shorter than any wait below: the run's lock wait is exempt from it (migrate.ts).
    const handle = createDatabase({ url: database.url, maxConnections: 2, lockTimeoutMs: 1 });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      const holding = holder.begin(async (tx) => {
        await tx.unsafe(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
        await released;
      });
      const run = migrateToLatest(handle.db);
      // The run is blocked on the lock: a waiting advisory lock request on this database.
      await expect
        .poll(
          async () => {
            const rows = await observer`
              select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
              where l.locktype = 'advisory' and not l.granted and a.datname = current_database()`;
            return rows[0]?.n;
          },
          { timeout: 10_000, interval: 50 },
        )
        .toBe(1);
      const [before] = await observer`select to_regclass('kysely_migration')::text as t`;
      expect(before?.t).toBeNull();
      release();
      await holding;
      expect(await run).toEqual(migrationNames);
      expect(await appliedNames(handle)).toEqual(migrationNames);
    } finally {
      release();
      await holder.end();
      await observer.end();
      await handle.close();
      await database.drop();
    }
  }, 150_000);

  it("two servers starting at once on an empty database: one migrates, the other finds it done, both serve", async () => {
    const database = await emptyPostgresDatabase();
    try {
      const env = { DATABASE_URL: database.url, LOG_LEVEL: "info", WORKERS: "false" };
      const [a, b] = await Promise.all([startServer(env), startServer(env)]);
      const applied = [appliedAtStart(a.output()), appliedAtStart(b.output())].sort((x, y) => x.length - y.length);
      expect(applied).toEqual([[], migrationNames]);
      for (const server of [a, b]) expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const handle = createDatabase({ url: database.url, maxConnections: 1 });
      try {
        expect(await appliedNames(handle)).toEqual(migrationNames);
      } finally {
        await handle.close();
      }
    } finally {
      await killAll();
      await database.drop();
    }
  }, 240_000);
});
