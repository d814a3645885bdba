import { loadConfig } from "../config.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { createDeps } from "../deps.ts";
import { createLogger } from "../lib/logger.ts";

const config = loadConfig();
const deps = createDeps(config, createLogger("warn"));
try {
  const applied = await migrateToLatest(deps.db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
} finally {
  await deps.handle.close();
}
