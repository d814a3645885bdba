import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { loadConfig } from "../src/config.ts";
import { createDatabase } from "../src/db/client.ts";
import { migrateToLatest } from "../src/db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteDump: string;
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
 * Migrate once per test run: into a PGlite whose data directory each test file loads as its
 * own copy, or, with DATABASE_URL, into a template database each test file clones.
 */
export default async function setup(project: TestProject) {
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
  const pglite = new PGlite();
  const handle = createDatabase({ pglite });
  await migrateToLatest(handle.db);
  const dump = await pglite.dumpDataDir("none");
  const file = join(dir, "template.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide("pgliteDump", file);
  project.provide("pgTemplate", "");
  return () => rmSync(dir, { recursive: true, force: true });
}
