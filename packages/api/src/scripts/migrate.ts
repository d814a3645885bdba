import { loadConfig } from "../config.ts";
import { lockEmbeddedDatabaseOrExit } from "../db/data-dir-lock.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { createDeps } from "../deps.ts";
import { createLogger } from "../lib/logger.ts";

const config = loadConfig();
// One process per embedded database: refuse at once while a server (or another CLI) holds it.
const lock = await lockEmbeddedDatabaseOrExit(config, "migrate");
const deps = createDeps(config, createLogger("warn"));
try {
  const applied = await migrateToLatest(deps.db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
} finally {
  await deps.handle.close();
  await lock?.release();
}
