import type { Config } from "../src/config.ts";
import { createLogger } from "../src/lib/logger.ts";

/** The logger server.ts builds. */
export const createServerLogger = (config: Config) => createLogger(config.logLevel);
