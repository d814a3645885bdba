import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { buildApi } from "../build.mjs";
import { loadConfig } from "../src/config.ts";
import { createDatabase } from "../src/db/client.ts";
import { migrateToLatest } from "../src/db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteDump: string;
    /** The same migrated database as `pgliteDump`, as a data directory a child process's DATA_DIR starts from a copy of. */
    pgliteDataDir: string;
    pgTemplate: string;
    /** This run's bundles of the server and the CLIs (build.mjs), which test/server-process.ts runs as child processes. */
    childBuild: string;
    /**
     * A transaction-mode PgBouncer in front of the server (TEST_POOLER_URL, read by
     * vitest.config.ts), or "". Databases are made and migrated on the server directly (a template
     * with pooled connections open cannot be cloned); each test file's app connects through it.
     */
    pgPooler: string;
  }
}

/**
 * Once per test run:
 * - bundle the server and the CLIs as production runs them (build.mjs, a fraction of a second), for
 *   the tests that need a real process: starting each from its bundle costs about 1.3 s less CPU
 *   than loading the TypeScript sources through tsx's loader;
 * - migrate: into a PGlite data directory, which each test file loads as its own copy (and a child
 *   process's DATA_DIR starts from, instead of running initdb and every migration, about 3.5 s of
 *   CPU each), or, with DATABASE_URL, into a template database each test file clones.
 */
export default async function setup(project: TestProject) {
  const built = await bundle();
  project.provide("childBuild", built.dir);
  let database: () => Promise<void>;
  try {
    database = await migrated(project);
  } catch (error) {
    built.remove();
    throw error;
  }
  return async () => {
    await database();
    built.remove();
  };
}

async function bundle(): Promise<{ dir: string; remove: () => void }> {
  // Inside packages/api, where Node finds the packages the bundles leave external.
  const parent = fileURLToPath(new URL("../node_modules/.cache/", import.meta.url));
  const dir = join(parent, `samakki-test-build-${process.pid}-${Date.now()}`);
  await buildApi(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
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
  if (!handle.pglite) throw new Error("an embedded database has no PGlite instance");
  const dump = await handle.pglite.dumpDataDir("none");
  const file = join(dir, "template.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide("pgliteDump", file);
  project.provide("pgliteDataDir", dataDir);
  project.provide("pgTemplate", "");
  return async () => rmSync(dir, { recursive: true, force: true });
}
