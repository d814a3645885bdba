import { type ChainIdentity, LEGACY_CHAIN, verifyAuditChain } from "../modules/audit/audit.service.ts";
import { runCli } from "./bootstrap.ts";

function describeChain(chain: ChainIdentity): string {
  if (chain.coalitionId !== null) return `Audit chain of coalition ${chain.coalitionId}`;
  return chain.chain === LEGACY_CHAIN
    ? "Legacy global audit chain (before per-coalition chains)"
    : "Instance audit chain (events of no coalition)";
}

process.exitCode = await runCli("audit-verify", async ({ deps }) => {
  const result = await verifyAuditChain(deps.db);
  if (result.ok) {
    console.log(`Audit chains intact: ${result.checked} events verified in ${result.chains.length} chains.`);
    return 0;
  }
  for (const chain of result.chains) {
    if (chain.ok) console.log(`${describeChain(chain)}: intact, ${chain.checked} events verified.`);
    else
      console.error(
        `${describeChain(chain)}: BROKEN at event ${chain.brokenEventId}: ${chain.reason} (${chain.checked} events before it verified).`,
      );
  }
  return 1;
});
