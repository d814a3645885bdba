import { Server } from "node:http";
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { timeoutsLeftUnset } from "./db/client.ts";
import { lockEmbeddedDatabaseOrExit } from "./db/data-dir-lock.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { createDeps } from "./deps.ts";
import { startBackgroundJobs } from "./jobs.ts";
import { createServerLogger } from "./lib/logger.ts";
import { startDefaultMetrics } from "./lib/metrics.ts";
import { createDrainer, within } from "./lib/shutdown.ts";
import { startTracing } from "./lib/tracing.ts";
import { startMetricsServer } from "./modules/metrics/metrics.server.ts";
import { metricsEnabled } from "./modules/metrics/metrics.service.ts";
import { isSetupNeeded } from "./modules/setup/setup.service.ts";

/** Bound on stopping the jobs and on closing the database, each, once the connections are gone. */
const STEP_TIMEOUT_MS = 10_000;

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  // Before anything else: the logger's lines carry the trace ids, the database reports its queries.
  const tracing = await startTracing(config);
  // Readable lines for a person at a terminal in development; JSON for supervisors and production.
  const logger = await createServerLogger(config.logLevel, {
    pretty: config.env !== "production" && process.stdout.isTTY === true,
    mixin: tracing?.logFields,
  });
  // One process per embedded database, held until exit: before anything opens DATA_DIR.
  const lock = await lockEmbeddedDatabaseOrExit(config, "server");
  const deps = createDeps(config, logger, undefined, tracing);
  const applied = await migrateToLatest(deps.db);
  logger.info({ applied, engine: deps.handle.engine }, "database ready");
  if (config.env === "production" && !config.counterKey.shared)
    logger.warn("COUNTER_KEY is not set: the rate limits by address count per process and start again at each restart (README)");
  if (config.database.pooler === "transaction") {
    const unset = await timeoutsLeftUnset(deps.db);
    if (unset.length)
      logger.warn(
        { unset },
        "behind a transaction pooler the timeouts come from the role or database settings, and these are off: set them (README, Behind PgBouncer)",
      );
  }

  let drainer: ReturnType<typeof createDrainer> | undefined;
  const app = createApp({ ...deps, isDraining: () => drainer?.draining ?? false });
  const stopJobs = config.workers ? startBackgroundJobs(deps) : async () => {};
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    const url = config.publicUrl;
    // PUBLIC_URL, and the address really bound (they differ behind a proxy, or by mistake).
    logger.info({ url, listen: `${config.host}:${config.port}`, engine: deps.handle.engine }, "listening");
    // The start-up lines go out now, not with the first batch of request lines (logger.ts).
    logger.flush();
    // The banner only: a database that is not answering yet must not stop the server (readyz says so).
    isSetupNeeded(deps.db).then(
      (needed) => {
        process.stdout.write(
          `\n  Samakki is running at ${url} (listening on ${config.host}:${config.port})${needed ? `\n  First run: open ${url}/setup to create your coalition.` : ""}\n\n`,
        );
      },
      (error: unknown) => logger.warn({ err: error }, "could not check whether setup is needed"),
    );
  });
  if (metricsEnabled(config)) startDefaultMetrics();
  const metricsServer = config.metrics.port ? await startMetricsServer(deps, config.metrics.port, config.host) : undefined;
  if (metricsServer) logger.info({ url: `http://${config.host}:${config.metrics.port}/metrics` }, "metrics listening");
  // serve() starts a plain node:http server here (no TLS or HTTP/2 options).
  if (!(server instanceof Server)) throw new Error("expected a node:http server");
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // The headers of a request on a kept connection may arrive just before it times out: allow for them.
  server.headersTimeout = config.keepAliveTimeoutMs + 1000;
  drainer = createDrainer(server, config.shutdownAcceptMs);
  const draining = drainer;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      if (signal === "SIGINT") {
        logger.warn("second interrupt: exiting without draining");
        process.exit(130);
      }
      return;
    }
    stopping = true;
    logger.info({ signal, inFlight: draining.inFlight, timeoutMs: config.shutdownTimeoutMs }, "draining");
    // Readiness now answers 503 and every response says Connection: close; in-flight requests finish.
    const drained = await draining.drain(config.shutdownTimeoutMs);
    if (drained.timedOut) logger.warn({ destroyed: drained.destroyed }, "connections still open at the shutdown deadline were closed");
    // No connection is left and the listener is closed by now; this stops the server's timers.
    server.close();
    metricsServer?.close();
    let code = 0;
    try {
      await within(stopJobs(), STEP_TIMEOUT_MS, "stopping the background jobs");
      await within(deps.handle.close(), STEP_TIMEOUT_MS, "closing the database");
      if (tracing) await within(tracing.shutdown(), STEP_TIMEOUT_MS, "exporting the last traces");
      await lock?.release();
      logger.info("stopped");
    } catch (error) {
      logger.error({ err: error }, "shutdown did not complete");
      code = 1;
    }
    process.exit(code);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
