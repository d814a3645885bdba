import type { Config } from "./config.ts";
import { createDatabase, type DatabaseHandle } from "./db/client.ts";
import type { AppDeps } from "./lib/context.ts";
import type { Logger } from "./lib/logger.ts";
import type { Tracing } from "./lib/tracing.ts";
import { argon2Hasher } from "./modules/auth/passwords.ts";
import { errorPage } from "./modules/public-site/error-page.tsx";

/** Wire the real dependencies from the configuration (with tracing's SQL spans when it is on). */
export function createDeps(
  config: Config,
  logger: Logger,
  given?: DatabaseHandle,
  tracing?: Tracing,
): AppDeps & { handle: DatabaseHandle } {
  const handle =
    given ??
    createDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      logger,
      maxConnections: config.database.poolSize,
      statementTimeoutMs: config.database.statementTimeoutMs,
      lockTimeoutMs: config.database.lockTimeoutMs,
      transactionPooler: config.database.pooler === "transaction",
      onQuery: tracing?.traceQuery,
    });
  return {
    config,
    db: handle.db,
    logger,
    passwords: argon2Hasher,
    devMailbox: !config.email.resendApiKey,
    ping: () => handle.ping(),
    handle,
    tracing,
    errorPage,
  };
}
