import { defineConfig } from "vitest/config";
import { catalogSplit } from "./catalog-split.ts";

export default defineConfig({
  plugins: [catalogSplit()],
  test: { include: ["src/**/*.test.{ts,tsx}"], environment: "node" },
});
