# syntax=docker/dockerfile:1
# Samakki: one Node process that serves the API and the built web app on one port.
#   docker build -t samakki .        (from the repository root; see infra/README.md)
# Checked without Docker by infra/checks/dockerfile.test.ts (part of `pnpm test`).

# The same Debian 12 (glibc) Node image for building and running: the native modules installed
# in the build stage (@node-rs/argon2's linux-x64-gnu / linux-arm64-gnu binary, PGlite's wasm)
# are the ones the runtime loads. Pin it by digest in your registry mirror if you can.
# Node 24, the maintained LTS line (Node 20's support ended in April 2026): its V8 answers a
# statement read with about a quarter less CPU. CI runs the PostgreSQL suite on this same version
# (.ci/run reads it from this line); development needs only Node 20.19 or later (package.json engines).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# ---- build: install everything, build web + api, then cut a production-only copy ----------------
FROM ${NODE_IMAGE} AS build
ENV CI=true TURBO_TELEMETRY_DISABLED=1
WORKDIR /src
RUN npm install -g --no-fund --no-audit pnpm@12.4.2
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches ./patches
COPY packages/api/package.json ./packages/api/
COPY packages/shared/package.json ./packages/shared/
COPY packages/web/package.json ./packages/web/
COPY infra/package.json ./infra/
RUN pnpm install --frozen-lockfile
COPY tsconfig.base.json turbo.json ./
COPY packages ./packages
RUN pnpm --filter @samakki/web build && pnpm --filter @samakki/api build
# Production dependencies of the API only (no dev tools, no web toolchain), its bundle and the web app.
RUN pnpm --filter @samakki/api deploy --prod /out \
  && rm -rf /out/src /out/test /out/bench /out/*.config.* /out/*.mjs /out/tsconfig.json \
  && cp -r packages/api/dist /out/dist \
  && mkdir -p /out/web \
  && cp -r packages/web/dist /out/web/dist

# ---- runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WEB_DIST=/app/web/dist \
    DATA_DIR=/data
WORKDIR /app
# Owned by root and read-only for the app user: the process can change none of its own code.
COPY --from=build /out /app
# Only for the embedded PGlite (no DATABASE_URL): a volume mounted here, writable by the app user.
RUN mkdir -p /data && chown 1000:1000 /data
# The image's unprivileged "node" user, by number so Kubernetes can check runAsNonRoot.
USER 1000:1000
EXPOSE 3000
# /healthz: the process is alive (readiness, /readyz, is for load balancers and Kubernetes).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# Migrations run at start (under an advisory lock); other commands: node dist/setup.js, dist/migrate.js, dist/audit-verify.js, dist/operator.js
CMD ["node", "--enable-source-maps", "dist/server.js"]
