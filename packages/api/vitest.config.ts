import { defineConfig } from "vitest/config";

export default defineConfig({
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
