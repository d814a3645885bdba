import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { createDeps } from "./deps.ts";
import { startBackgroundJobs } from "./jobs.ts";
import { createLogger } from "./lib/logger.ts";
import { isSetupNeeded } from "./modules/setup/setup.service.ts";

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
  const logger = createLogger(config.logLevel);
  const deps = createDeps(config, logger);
  const applied = await migrateToLatest(deps.db);
  logger.info({ applied, engine: deps.handle.engine }, "database ready");

  const app = createApp(deps);
  const stopJobs = config.workers ? startBackgroundJobs(deps) : async () => {};
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    const url = config.publicUrl;
    logger.info({ url, engine: deps.handle.engine }, "listening");
    void isSetupNeeded(deps.db).then((needed) => {
      process.stdout.write(
        `\n  Samakki is running at ${url}${needed ? `\n  First run: open ${url}/setup to create your coalition.` : ""}\n\n`,
      );
    });
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.error("in-flight requests did not finish in 10 s; exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    // Stop accepting, let in-flight requests finish, then stop workers and close the database.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stopJobs();
    await deps.handle.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
