import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    environment: "node",
    // The built server migrates one embedded database, which every file's server starts from a copy of.
    globalSetup: ["e2e/global-setup.ts"],
    testTimeout: 120_000,
    // A server starts on a fresh embedded database (migrations included): about 5 s idle, over 60 s on
    // a machine under full CPU load (issue 8, item 6), so hooks get 3 minutes.
    hookTimeout: 180_000,
    // Two files at a time (each its own server, database and browser): 5.3 min instead of 8 on
    // 2 cores. Tests that change what is served use a private copy of the build (privateWebDist).
    // The performance report's timings are taken alongside another file: read them as an upper bound.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
