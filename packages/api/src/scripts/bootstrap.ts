import { type Config, ConfigError, loadConfig } from "../config.ts";
import { lockEmbeddedDatabaseOrExit } from "../db/data-dir-lock.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { createDeps } from "../deps.ts";
import { createLogger } from "../lib/logger.ts";

export interface CliContext {
  config: Config;
  deps: ReturnType<typeof createDeps>;
  /** The migrations this run applied (none when the database was up to date). */
  applied: string[];
}

/**
 * The one start of every CLI script (migrate, setup, demo, operator, audit-verify):
 * read the configuration (an invalid one: its message and exit 78, EX_CONFIG), take the embedded
 * database's lock (held by a server or another CLI: who holds it, and exit 75 at once), open the
 * database, bring it to the latest migration, run `body`, then close the database and release the
 * lock whatever happened. `body`'s number is the exit code; what it throws propagates (exit 1).
 * Usage: `process.exitCode = await runCli("demo", async ({ deps }) => …)`.
 */
export async function runCli(role: string, body: (cli: CliContext) => Promise<number>): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
  // One process per embedded database: refuse at once while a server (or another CLI) holds it.
  const lock = await lockEmbeddedDatabaseOrExit(config, role);
  const deps = createDeps(config, createLogger("warn"));
  try {
    const applied = await migrateToLatest(deps.db);
    return await body({ config, deps, applied });
  } finally {
    await deps.handle.close();
    await lock?.release();
  }
}
