import { loadConfig } from "../config.ts";
import { lockEmbeddedDatabaseOrExit } from "../db/data-dir-lock.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { createDeps } from "../deps.ts";
import { createLogger } from "../lib/logger.ts";
import { type ChainIdentity, LEGACY_CHAIN, verifyAuditChain } from "../modules/audit/audit.service.ts";

function describeChain(chain: ChainIdentity): string {
  if (chain.coalitionId !== null) return `Audit chain of coalition ${chain.coalitionId}`;
  return chain.chain === LEGACY_CHAIN
    ? "Legacy global audit chain (before per-coalition chains)"
    : "Instance audit chain (events of no coalition)";
}

const config = loadConfig();
// One process per embedded database: refuse at once while a server (or another CLI) holds it.
const lock = await lockEmbeddedDatabaseOrExit(config, "audit-verify");
const deps = createDeps(config, createLogger("warn"));
try {
  await migrateToLatest(deps.db);
  const result = await verifyAuditChain(deps.db);
  if (result.ok) {
    console.log(`Audit chains intact: ${result.checked} events verified in ${result.chains.length} chains.`);
  } else {
    for (const chain of result.chains) {
      if (chain.ok) console.log(`${describeChain(chain)}: intact, ${chain.checked} events verified.`);
      else
        console.error(
          `${describeChain(chain)}: BROKEN at event ${chain.brokenEventId}: ${chain.reason} (${chain.checked} events before it verified).`,
        );
    }
    process.exitCode = 1;
  }
} finally {
  await deps.handle.close();
  await lock?.release();
}
