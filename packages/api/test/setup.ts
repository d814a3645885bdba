import { afterAll } from "vitest";
import { closeOpenDatabases } from "./db.ts";

/**
 * Runs before every test file (vitest.config.ts `setupFiles`), also when a worker keeps its module
 * graph from one file to the next (--no-isolate): whatever database a file left open is closed after it.
 */
afterAll(async () => {
  await closeOpenDatabases();
});
