import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = "http://localhost:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    // Everything the API serves itself: the API, the dev mailbox, health, and the public statement pages and feeds.
    proxy: { "/api": api, "/dev": api, "/healthz": api, "/readyz": api, "/statements": api, "/coalitions": api, "/public": api },
  },
  build: {
    target: "es2022",
    // Small pages on slow networks: keep assets as files the API serves with long caching.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
