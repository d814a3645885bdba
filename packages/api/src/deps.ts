import { sql } from "kysely";
import type { Config } from "./config.ts";
import { createDatabase, type DatabaseHandle } from "./db/client.ts";
import type { AppDeps } from "./lib/context.ts";
import type { Logger } from "./lib/logger.ts";
import { argon2Hasher } from "./modules/auth/passwords.ts";

/** Wire the real dependencies from the configuration. */
export function createDeps(
  config: Config,
  logger: Logger,
  handle: DatabaseHandle = createDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    logger,
    maxConnections: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    transactionPooler: config.database.pooler === "transaction",
  }),
): AppDeps & { handle: DatabaseHandle } {
  return {
    config,
    db: handle.db,
    logger,
    passwords: argon2Hasher,
    devMailbox: !config.email.resendApiKey,
    ping: async () => {
      await sql`select 1`.execute(handle.db);
    },
    handle,
  };
}
