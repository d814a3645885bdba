import { defineConfig } from "vitest/config";

/** The size budget over the built app (dist/): run after `vite build` (scripts/test.mjs does). */
export default defineConfig({
  test: { include: ["budget/**/*.budget.test.ts"], environment: "node" },
});
