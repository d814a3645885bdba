import type { Config } from "../src/config.ts";
import { createServerLogger as productionLogger } from "../src/lib/logger.ts";

/**
 * The logger server.ts builds in production: JSON lines on stdout (a pipe here, as under a
 * supervisor) through pino's asynchronous destination. A logger made with createLogger alone writes
 * each line synchronously, one system call per request, which production never does.
 */
export const createServerLogger = (config: Config) => productionLogger(config.logLevel);
