import { loadConfig } from "../config.ts";
import { lockEmbeddedDatabaseOrExit } from "../db/data-dir-lock.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { createDeps } from "../deps.ts";
import { createLogger } from "../lib/logger.ts";
import { verifyAuditChain } from "../modules/audit/audit.service.ts";

const config = loadConfig();
// One process per embedded database: refuse at once while a server (or another CLI) holds it.
const lock = await lockEmbeddedDatabaseOrExit(config, "audit-verify");
const deps = createDeps(config, createLogger("warn"));
try {
  await migrateToLatest(deps.db);
  const result = await verifyAuditChain(deps.db);
  if (result.ok) {
    console.log(`Audit chain intact: ${result.checked} events verified.`);
  } else {
    console.error(`Audit chain BROKEN at event ${result.brokenEventId}: ${result.reason} (${result.checked} events before it verified).`);
    process.exitCode = 1;
  }
} finally {
  await deps.handle.close();
  await lock?.release();
}
