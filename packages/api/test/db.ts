import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { inject } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createDatabase, type DatabaseHandle, PGLITE_OPTIONS } from "../src/db/client.ts";

/**
 * A migrated database of this test file's own: a copy of the run's PGlite template, or a new
 * PostgreSQL database cloned from the run's template when DATABASE_URL is set. Tests inside a
 * file isolate themselves further by creating their own coalition through the factories.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const config = loadConfig();
  const template = inject("pgTemplate");
  if (config.databaseUrl && template) {
    // Named after the run's template, so the run's teardown finds any a test file left behind.
    const name = `${template.replace(/^samakki_tpl_/, "samakki_t_")}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = postgres(config.databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const pooler = inject("pgPooler");
    const url = new URL(pooler || config.databaseUrl);
    url.pathname = `/${name}`;
    if (pooler) {
      // Behind a transaction pooler the client sends no timeouts: the database carries them.
      const ms = config.database.statementTimeoutMs;
      await admin.unsafe(`ALTER DATABASE ${name} SET statement_timeout = ${ms}`);
      await admin.unsafe(`ALTER DATABASE ${name} SET idle_in_transaction_session_timeout = ${ms}`);
    }
    const handle = createDatabase({ url: url.toString(), maxConnections: 10, transactionPooler: Boolean(pooler) });
    return {
      ...handle,
      close: async () => {
        await handle.close();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dump = readFileSync(inject("pgliteDump"));
  const pglite = new PGlite({ loadDataDir: new Blob([dump]), ...PGLITE_OPTIONS });
  return createDatabase({ pglite });
}
