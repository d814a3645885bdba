import { defineConfig } from "vitest/config";
import { catalogSplit } from "./catalog-split.ts";
import { PREACT_ALIASES } from "./react-runtime.ts";

export default defineConfig({
  plugins: [catalogSplit()],
  // The component tests run the React code on preact/compat, as the build does (react-runtime.ts);
  // src/test/runtime.test.tsx fails if they stop doing so.
  resolve: {
    alias: [
      ...PREACT_ALIASES,
      // Only tests render to a string (src/lib/i18n.test.tsx): preact/compat's, with preact-render-to-string.
      { find: /^react-dom\/server$/, replacement: "preact/compat/server" },
      // Testing Library's ES module build, which Vite processes (its `main` is CommonJS, whose
      // `require("react")` the aliases do not reach). It renders with `react-dom/client`, that is
      // preact-client.ts, and acts with `react-dom/test-utils`, that is preact/test-utils.
      { find: /^@testing-library\/react$/, replacement: "@testing-library/react/dist/@testing-library/react.esm.js" },
      // wouter's `useSyncExternalStore` comes from this CommonJS shim, which returns React's own hook
      // when there is one: in the build it returns preact/compat's.
      { find: /^use-sync-external-store\/shim(\/index\.js)?$/, replacement: "preact/compat" },
    ],
  },
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "node",
    // The libraries that import `react`, processed by Vite so that the aliases reach them (left to
    // Node, they would load React itself and fail on Preact's components).
    server: { deps: { inline: [/@testing-library\/react/, /@tanstack\/react-query/, /downshift/, /wouter/] } },
    // A component test renders the app and loads its catalogs, lazy areas included: on a busy machine
    // (two cores under load) that takes longer than vitest's default 5 s, as for the API's tests.
    testTimeout: 30_000,
  },
});
