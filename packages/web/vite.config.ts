import type { ClientRequest, IncomingMessage } from "node:http";
import { constants } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";
import { VitePWA } from "vite-plugin-pwa";
import { catalogSplit } from "./catalog-split.ts";
import { PREACT_ALIASES } from "./react-runtime.ts";
import { SIGNED_IN_CHUNK, signedInChunk } from "./signed-in-chunk.ts";

const signedIn = signedInChunk();

const api = "http://localhost:3000";
const devOrigins = new Set(["http://localhost:5173", "http://127.0.0.1:5173"]);
/**
 * The API accepts mutations only from the origin of its PUBLIC_URL (http://localhost:3000 in
 * development), so pages served by this dev server present themselves as coming from it. Any
 * other Origin passes through unchanged and is refused by the API.
 */
const toApi = {
  target: api,
  configure: (proxy: { on(event: "proxyReq", listener: (req: ClientRequest, incoming: IncomingMessage) => void): unknown }) => {
    proxy.on("proxyReq", (req, incoming) => {
      if (devOrigins.has(incoming.headers.origin ?? "")) req.setHeader("origin", api);
    });
  },
};

export default defineConfig({
  plugins: [
    react(),
    // The catalogs in two parts each, so the first screen carries only its own strings (src/lib/catalogs.ts).
    catalogSplit(),
    // The signed-in frame and the dashboard in one file rather than thirteen (signed-in-chunk.ts).
    signedIn.plugin,
    // The service worker (src/sw/sw.ts, docs/security/offline.md): keeps every built file (code, the
    // catalog parts, fonts, icons) for opening offline, and a few read-only API answers. Registered
    // by src/lib/pwa.ts after the page has loaded, so the first screen's JS does not grow. The web app
    // manifests are static files (public/manifest.<lang>.webmanifest), one per language.
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src/sw",
      filename: "sw.ts",
      registerType: "prompt",
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ["**/*.{js,css,html,svg,png,woff2,webmanifest}"],
        // The build's .br/.gz twins are the same files, and Vite's manifest is not served.
        globIgnores: ["**/*.br", "**/*.gz", ".vite/**", "sw.js"],
      },
    }),
    // A `.br` and a `.gz` twin next to every text file, served by the API in their place when the
    // browser accepts them (packages/api/src/modules/web/static.routes.ts). Brotli at its best
    // quality: done once per build, it saves about 15 % over gzip on every download.
    compression({
      include: /\.(?:js|mjs|css|html|svg|json|webmanifest|txt)$/,
      exclude: /(?:^|\/)\.vite\//,
      threshold: 0,
      // Twins for every file, even a tiny chunk that compression does not shrink (a few bytes more):
      // every script and style is then sent compressed, as the size budget and the browser tests check.
      skipIfLargerOrEqual: false,
      algorithms: [
        defineAlgorithm("brotliCompress", { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }),
        defineAlgorithm("gzip", { level: 9 }),
      ],
      logLevel: "silent",
    }),
  ],
  // React's API, run by preact/compat (react-runtime.ts).
  resolve: { alias: PREACT_ALIASES },
  server: {
    port: 5173,
    // Everything the API serves itself: the API, the dev mailbox, health, and the public statement pages and feeds.
    proxy: {
      "/api": toApi,
      "/dev": api,
      "/healthz": api,
      "/readyz": api,
      "/statements": api,
      "/coalitions": api,
      "/public": api,
      "/calendar": api,
    },
  },
  build: {
    target: "es2022",
    // Every browser the app supports knows <link rel="modulepreload"> (Safari since 17); an older one
    // just loads the chunks when imported. The polyfill would cost every first screen its bytes.
    modulePreload: { polyfill: false },
    // Small pages on slow networks: keep assets as files the API serves with long caching.
    assetsInlineLimit: 0,
    sourcemap: false,
    // Which chunks each page loads, for the size budget (scripts/bundle-size.mjs). Under a dot
    // folder, which the API does not serve.
    manifest: true,
    rolldownOptions: {
      output: {
        // Readable names for the catalog parts (catalog-km-core-…js) in the network panel and reports.
        chunkFileNames: (chunk) => {
          const part = chunk.facadeModuleId?.match(/samakki-catalog\/(en|km)\/(core|rest|whole)$/);
          return part ? `assets/catalog-${part[1]}-${part[2]}-[hash].js` : "assets/[name]-[hash].js";
        },
        codeSplitting: {
          groups: [
            // The entry and everything it imports statically stay one file: the sign-in page loads nothing else.
            { name: "index", tags: ["$initial"], priority: 1 },
            // The signed-in frame and the dashboard, minus what the entry carries: one file (signed-in-chunk.ts).
            // Its modules' other imports are in the entry or in the group itself, so nothing else needs pulling in.
            { name: SIGNED_IN_CHUNK, test: signedIn.group, includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
});
