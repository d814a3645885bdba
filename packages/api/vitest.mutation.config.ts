import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

/**
 * The tests Stryker runs (`pnpm mutation`): the ones aimed at access control, coalition scoping
 * and votes. The whole suite would take hours per run of mutants on two cores. Narrow it
 * further with MUTATION_TESTS (comma-separated globs), e.g. for a quick run of the fast tests:
 * MUTATION_TESTS=src/modules/access/__tests__/*.test.ts pnpm mutation --mutate src/lib/policy.ts
 */
const DEFAULT_TESTS = [
  "src/modules/access/__tests__/*.test.ts",
  "src/lib/__tests__/policy-coverage.test.ts",
  "src/modules/votes/__tests__/*.test.ts",
  "test/isolation.test.ts",
  "src/modules/statements/__tests__/statement-permissions.test.ts",
  "src/modules/campaigns/__tests__/campaign-permissions.test.ts",
  "src/modules/tasks/__tests__/task-permissions.test.ts",
  "src/modules/organisations/__tests__/organisations.routes.test.ts",
  "src/modules/coalitions/__tests__/coalitions.routes.test.ts",
];

export default defineConfig({
  ...base,
  test: { ...base.test, include: process.env.MUTATION_TESTS?.split(",") ?? DEFAULT_TESTS },
});
