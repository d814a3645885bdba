import { defineConfig } from "vitest/config";

export default defineConfig({
  // Vitest keeps each file's last duration here and runs the slowest first. On PostgreSQL the
  // durations differ, and CI runs both engines at once: each engine keeps its own (results.json is
  // rewritten at the end of a run, and a run reading it half-written would fail to start).
  ...(process.env.DATABASE_URL ? { cacheDir: "node_modules/.vite-postgres" } : {}),
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup.ts"],
    // The PgBouncer smoke run (scripts/pgbouncer-smoke.sh): apps connect through the pooler.
    provide: { pgPooler: (process.env.DATABASE_URL && process.env.TEST_POOLER_URL) || "" },
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
