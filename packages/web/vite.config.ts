import type { ClientRequest, IncomingMessage } from "node:http";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

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
  plugins: [react()],
  server: {
    port: 5173,
    // Everything the API serves itself: the API, the dev mailbox, health, and the public statement pages and feeds.
    proxy: { "/api": toApi, "/dev": api, "/healthz": api, "/readyz": api, "/statements": api, "/coalitions": api, "/public": api },
  },
  build: {
    target: "es2022",
    // Small pages on slow networks: keep assets as files the API serves with long caching.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
