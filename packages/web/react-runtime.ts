import { fileURLToPath } from "node:url";

/**
 * The web app is written against React's API (components, hooks, `react-dom/client`) and
 * type-checked with React's types, and runs on preact/compat, which implements that API in about a
 * tenth of the bytes: react-dom was 202 of the entry's 364 KB (55 of its 95 KiB as sent), and the
 * sign-in page now sends 47 KiB of script instead of 95. Issue 10 asked whether React must stay:
 * on a phone over a slow network (the performance browser test), half the script means a first
 * paint 0.4 s sooner on the sign-in page and 0.7 to 0.9 s sooner on the dashboard, and less to
 * parse on a cheap CPU. What the app uses of React (hooks, context, lazy and Suspense, portals,
 * `useSyncExternalStore` for TanStack Query, Downshift's hooks) preact/compat provides.
 * The browser tests (e2e/) drive the built app, so they run on preact/compat, and so do the component
 * tests: vitest.config.ts takes these aliases too. docs/architecture.md says what to keep in mind
 * when writing components.
 */
export const PREACT_ALIASES = [
  // preact/compat's createRoot, with React's timing for the effects of a person's action.
  { find: /^react-dom\/client$/, replacement: fileURLToPath(new URL("./preact-client.ts", import.meta.url)) },
  { find: /^react-dom\/test-utils$/, replacement: "preact/test-utils" },
  { find: /^react-dom$/, replacement: "preact/compat" },
  { find: /^react\/jsx-runtime$/, replacement: "preact/jsx-runtime" },
  { find: /^react\/jsx-dev-runtime$/, replacement: "preact/jsx-dev-runtime" },
  { find: /^react$/, replacement: "preact/compat" },
];
