// @ts-check
/**
 * Mutation testing of the access-control core: who may see what (access, policy), the queries
 * that scope every read and write to a coalition (repositories) and the vote rules. Run from the
 * repository root with `pnpm mutation` (slow: it re-runs the tests that cover each mutant; not in CI).
 * Scope one run with `pnpm mutation --mutate src/lib/policy.ts`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  // Named explicitly: Stryker looks for plugins next to its own package, and pnpm keeps them apart.
  plugins: [import.meta.resolve("@stryker-mutator/vitest-runner")],
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  // Each mutant runs only the tests that executed its code during the first run.
  coverageAnalysis: "perTest",
  mutate: [
    "src/modules/access/**/*.ts",
    "src/lib/policy.ts",
    "src/modules/*/*.repository.ts",
    "src/modules/votes/**/*.ts",
    "!src/**/__tests__/**",
  ],
  // A 2-core machine: two sandboxes at most, each running its tests one file at a time.
  concurrency: 2,
  timeoutMS: 60_000,
  dryRunTimeoutMinutes: 30,
  // Sandboxes in .stryker-tmp/sandbox-*/ at the root, two levels below it like packages/api,
  // so tsconfig.json's `extends: "../../tsconfig.base.json"` still resolves there.
  tempDirName: "../../.stryker-tmp",
  // Stryker rewrites tsconfig.json with the TypeScript JS API, which TypeScript 7 (the native
  // port) no longer has; pointing it at no file skips that step (vitest does not type-check).
  tsconfigFile: "no-tsconfig-for-stryker.json",
  cleanTempDir: "always",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 80, break: null },
};
