import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startServer } from "./harness.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A data dir the built server has created and migrated, then left cleanly (empty with PostgreSQL). */
    e2eDataTemplate: string;
  }
}

/**
 * Once per run, the built server starts on an empty embedded database (creating and migrating it,
 * about 10 s of the 15 a first start takes) and stops. Each test file's server starts on a copy of
 * that data dir: still a first run (no coalition, setup open), without migrating again. The
 * foundation test starts one server on an empty data dir, as a new install does.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide("e2eDataTemplate", "");
    return;
  }
  const parent = await mkdtemp(join(tmpdir(), "samakki-e2e-template-"));
  const template = join(parent, "data");
  const server = await startServer({ freshDataDir: true, keepDataDirAt: template });
  await server.stop();
  // A test's server holds a few coalitions: 16 MB of shared buffers rather than 128, which PGlite
  // initialises at every start (half of its database's start-up CPU).
  await appendFile(join(template, "postgresql.auto.conf"), "shared_buffers = '16MB'\n");
  project.provide("e2eDataTemplate", template);
  return () => rm(parent, { recursive: true, force: true });
}
