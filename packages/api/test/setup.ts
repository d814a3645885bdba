import postgres from "postgres";
import { afterAll, inject, vi } from "vitest";
import { loadConfig } from "../src/config.ts";
import { closeOpenDatabases } from "./db.ts";

/**
 * Runs before every test file (vitest.config.ts `setupFiles`), also when a worker keeps its module
 * graph from one file to the next (--no-isolate): whatever database a file left open is closed after
 * it, and on PostgreSQL a file that still holds connections then fails.
 */

const databaseUrl = loadConfig().databaseUrl;
// This file's connections carry its own application_name (postgres.js reads PGAPPNAME when a pool is
// made), so the check below sees them and no other file's. Child processes (servers) inherit it.
const tag = `samakki-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
// biome-ignore lint/style/noProcessEnv: tags the connections of the pools this test file makes
process.env.PGAPPNAME = tag;

afterAll(async () => {
  await closeOpenDatabases();
  // Through a transaction pooler the server sees the pooler's connections, not ours.
  if (!databaseUrl || inject("pgPooler")) return;
  const observer = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: "samakki-test-guard" } });
  const left = async () => {
    const rows = await observer<{ datname: string | null; state: string | null; query: string }[]>`
      select datname, state, query from pg_stat_activity where application_name = ${tag} and pid <> pg_backend_pid()`;
    return rows.map((row) => `${row.datname} (${row.state}): ${row.query.slice(0, 100)}`);
  };
  try {
    // A pool that was ended a moment ago may still show its backends while they exit. (vi.waitFor
    // rather than expect.poll, which only runs inside a test.)
    await vi.waitFor(
      async () => {
        const open = await left();
        if (open.length)
          throw new Error(`this test file left ${open.length} connection(s) open (close every pool it makes):\n${open.join("\n")}`);
      },
      { timeout: 5_000, interval: 50 },
    );
  } finally {
    // Do not let one file's leak exhaust max_connections for the files after it in this worker.
    await observer`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${tag}`;
    await observer.end();
  }
});
