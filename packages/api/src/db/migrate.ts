import { sql, type Transaction } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";
import type { Database } from "./client.ts";
import { migrationProvider } from "./migrations/index.ts";
import type { DB } from "./schema.ts";

/**
 * Key of the transaction-level advisory lock every migration run takes first: any fixed bigint
 * that nothing else in the database uses (Kysely's own lock key differs).
 */
export const MIGRATION_LOCK_KEY = 7_242_018_563_101;

/**
 * The table that records applied migrations: the one Kysely's Migrator created (same name and
 * columns), so databases migrated before this runner keep their history.
 */
const MIGRATION_TABLE = "kysely_migration";

/**
 * Apply every pending migration, all in ONE transaction whose first statement is
 * `pg_advisory_xact_lock(MIGRATION_LOCK_KEY)`; throws on the first failure (and nothing is applied).
 *
 * Several instances starting at once (two Kubernetes replicas, a rolling update) serialise on the
 * lock: the first applies the migrations and commits, which releases the lock; the others then read
 * the history and find nothing to do. A transaction-level lock (not Kysely's session-level
 * `pg_advisory_lock` on a reserved connection) is what stays correct through PgBouncer in
 * transaction mode, where a session lock could be taken on one server connection and left held on
 * it after a failed run. The lock wait counts against `statement_timeout`
 * (DATABASE_STATEMENT_TIMEOUT_MS): an instance that waits longer exits 1 and is restarted.
 * On PGlite (one process, one connection) the lock is uncontended and harmless.
 */
export async function migrateToLatest(db: Database, provider: MigrationProvider = migrationProvider): Promise<string[]> {
  const migrations = Object.entries(await provider.getMigrations()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return db.transaction().execute(async (trx) => {
    // Another instance may be migrating for longer than the lock timeout: wait for it (up to the statement timeout).
    await sql`set local lock_timeout = 0`.execute(trx);
    await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(trx);
    await sql`create table if not exists ${sql.id(MIGRATION_TABLE)} (
      name varchar(255) not null constraint kysely_migration_pkey primary key,
      timestamp varchar(255) not null
    )`.execute(trx);
    const done = await sql<{ name: string }>`select name from ${sql.id(MIGRATION_TABLE)}`.execute(trx);
    // Sorted here, not by the database's collation: the same code-unit order as the migrations'.
    const doneNames = done.rows.map((row) => row.name).sort();
    const applied = new Set(doneNames);
    const known = new Set(migrations.map(([name]) => name));
    const unknown = [...applied].filter((name) => !known.has(name));
    if (unknown.length) {
      throw new Error(`The database has migrations this version does not know (${unknown.join(", ")}): it is newer than this code.`);
    }
    const last = doneNames.at(-1);
    const pending = migrations.filter(([name]) => !applied.has(name));
    const early = pending.find(([name]) => last !== undefined && name < last);
    if (early) throw new Error(`Migration ${early[0]} sorts before ${last}, which is already applied: give it a later timestamp.`);
    const ran: string[] = [];
    for (const [name, migration] of pending) {
      await runOne(trx, name, migration);
      ran.push(name);
    }
    return ran;
  });
}

async function runOne(trx: Transaction<DB>, name: string, migration: Migration): Promise<void> {
  try {
    await migration.up(trx);
  } catch (error) {
    throw new Error(`Migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  await sql`insert into ${sql.id(MIGRATION_TABLE)} (name, timestamp) values (${name}, ${new Date().toISOString()})`.execute(trx);
}
