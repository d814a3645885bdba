import { defineConfig } from "vitest/config";
import { catalogSplit } from "./catalog-split.ts";

export default defineConfig({
  plugins: [catalogSplit()],
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "node",
    // A component test renders the app and loads its catalogs, lazy areas included: on a busy machine
    // (two cores under load) that takes longer than vitest's default 5 s, as for the API's tests.
    testTimeout: 30_000,
  },
});
