import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { loadConfig } from "../src/config.ts";
import { createDatabase } from "../src/db/client.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { removeChildBundles } from "./child-bundles.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteDump: string;
    /** The same migrated database as `pgliteDump`, as a data directory a child process's DATA_DIR starts from a copy of. */
    pgliteDataDir: string;
    pgTemplate: string;
    /**
     * A transaction-mode PgBouncer in front of the server (TEST_POOLER_URL, read by
     * vitest.config.ts), or "". Databases are made and migrated on the server directly (a template
     * with pooled connections open cannot be cloned); each test file's app connects through it.
     */
    pgPooler: string;
  }
}

/**
 * Migrate once per test run: into a PGlite data directory, which each test file loads as its own
 * copy (and a child process's DATA_DIR starts from, test/server-process.ts: about 3.5 s of CPU
 * less than initdb and every migration), or, with DATABASE_URL, into a template database each
 * test file clones. At the end, remove the run's bundles of the server and CLIs.
 */
export default async function setup(project: TestProject) {
  // Bundles a killed run left behind; this run's own go at its end (test/child-bundles.ts).
  removeChildBundles();
  const database = await migrated(project);
  return async () => {
    await database();
    removeChildBundles(process.pid);
  };
}

async function migrated(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  if (config.databaseUrl) {
    const template = `samakki_tpl_${process.pid}_${Date.now()}`;
    const admin = postgres(config.databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${template}`);
    const url = new URL(config.databaseUrl);
    url.pathname = `/${template}`;
    const handle = createDatabase({ url: url.toString(), maxConnections: 1 });
    await migrateToLatest(handle.db);
    await handle.close();
    project.provide("pgTemplate", template);
    project.provide("pgliteDump", "");
    project.provide("pgliteDataDir", "");
    return async () => {
      // A file whose app was built in a hook may not get to close its database: drop this run's.
      const leftover = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`${template.replace(/^samakki_tpl_/, "samakki_t_")}_%`}`;
      for (const { datname } of leftover) await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await admin.unsafe(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "samakki-test-"));
  const dataDir = join(dir, "data");
  const handle = createDatabase({ dataDir });
  await migrateToLatest(handle.db);
  smallSharedBuffers(dataDir);
  if (!handle.pglite) throw new Error("an embedded database has no PGlite instance");
  const file = join(dir, "template.tar");
  writeFileSync(file, await withoutTemplateDatabases(await handle.pglite.dumpDataDir("none")));
  await handle.close();
  project.provide("pgliteDump", file);
  project.provide("pgliteDataDir", dataDir);
  project.provide("pgTemplate", "");
  return async () => rmSync(dir, { recursive: true, force: true });
}

/**
 * The dump each test file loads, without the databases template0 and template1: a third of its
 * 44 MB, which every load (about 130 a run) would untar and copy. No test creates a database on
 * PGlite; the data directory child processes start from keeps them, as a new install has them.
 */
async function withoutTemplateDatabases(dump: Blob): Promise<Buffer> {
  const pglite = new PGlite({ loadDataDir: dump });
  try {
    // One statement at a time: DROP DATABASE cannot run inside the transaction a multi-statement text is.
    await pglite.exec("UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')");
    await pglite.exec("DROP DATABASE template0");
    await pglite.exec("DROP DATABASE template1");
    await pglite.exec("CHECKPOINT");
    return Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer());
  } finally {
    await pglite.close();
  }
}

/**
 * A test's database holds kilobytes: 16 MB of shared buffers rather than PostgreSQL's 128 MB, which
 * PGlite initialises at every start, a third of the CPU of loading a test file's database and half
 * of a child process's start. Read at the next start of the data directory and of every copy of it.
 */
function smallSharedBuffers(dataDir: string): void {
  appendFileSync(join(dataDir, "postgresql.auto.conf"), "shared_buffers = '16MB'\n");
}
