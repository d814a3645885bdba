import { randomBytes } from "node:crypto";
import { z } from "zod";
import { ACCEPT_GRACE_MS } from "./lib/shutdown.ts";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  DATABASE_POOLER: z.enum(["none", "transaction"]).default("none"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
  LOG_SLOW_MS: z.coerce.number().int().min(0).default(1000),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.url().optional(),
  EMAIL_FROM: z.string().min(3).default("Samakki <no-reply@samakki.local>"),
  SESSION_IDLE_DAYS: z.coerce.number().positive().default(7),
  SESSION_ABSOLUTE_DAYS: z.coerce.number().positive().default(30),
  TRUST_PROXY: bool.default(false),
  WORKERS: bool.default(true),
  WEB_DIST: z.string().optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  SHUTDOWN_ACCEPT_MS: z.coerce.number().int().min(0).max(600_000).default(ACCEPT_GRACE_MS),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(65_000),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_TOKEN: z.string().min(32, "at least 32 characters").optional(),
  // An http(s) URL: "collector:4318" is a valid URL (of the scheme "collector") that no exporter can send to.
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: "an http:// or https:// URL, such as http://collector:4318" })
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default("samakki"),
  COUNTER_KEY: z.string().min(32, "at least 32 characters").optional(),
});

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** PostgreSQL: connections in the pool, and the per-statement limit (also for idle transactions). */
  /**
   * `pooler: "transaction"`: DATABASE_URL is a transaction-mode pooler (PgBouncer), so the client
   * prepares no named statements and sends no startup parameters; the timeouts then come from
   * the role or database settings (README, "Behind PgBouncer").
   */
  database: { poolSize: number; statementTimeoutMs: number; lockTimeoutMs: number; pooler: "none" | "transaction" };
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  /**
   * The per-request log line: the share of fast successful requests logged at info (0 to 1);
   * every error (status 400 and above) and every request slower than `slowMs` is always logged.
   */
  requestLog: { sampleRate: number; slowMs: number };
  email: { resendApiKey: string | undefined; resendBaseUrl: string | undefined; from: string };
  session: { idleMs: number; absoluteMs: number };
  trustProxy: boolean;
  workers: boolean;
  webDist: string | undefined;
  /** On SIGTERM: how long in-flight requests may take before their connections are closed. */
  shutdownTimeoutMs: number;
  /** On SIGTERM: how long the server keeps accepting new connections (answered with `Connection: close`) while readiness says 503. */
  shutdownAcceptMs: number;
  /**
   * How long an idle keep-alive connection stays open. Longer than the clients' and proxies' own
   * idle limits (60 s is common: nginx, cloud load balancers), so that it is always they who close
   * one: when the server closes first, a request the other side sends at that moment is lost
   * (ECONNRESET, a 502 at the proxy). Node's 5 s default did that to a browser test's sign-in.
   */
  keepAliveTimeoutMs: number;
  /**
   * Prometheus metrics: `/metrics` on a port of its own (METRICS_PORT, not published by the
   * Ingress), and/or on the main port for a bearer token (METRICS_TOKEN). Neither: no metrics.
   */
  metrics: { port: number | undefined; token: string | undefined };
  /** OpenTelemetry traces over OTLP/HTTP when an endpoint is set; off (nothing loaded) otherwise. */
  tracing: { endpoint: string | undefined; serviceName: string };
  /**
   * The key of the rate-limit counters that count by client address, phone or public-form email
   * (modules/auth/rate-limit.ts, `keyedCounter`): COUNTER_KEY, shared by every instance; without it,
   * random for this process, so each instance counts on its own and a restart starts the counts again.
   */
  counterKey: { secret: Buffer; shared: boolean };
};

export class ConfigError extends Error {}

function isHttpsOrLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(hostname) || hostname.endsWith(".localhost");
}

const DAY = 24 * 60 * 60 * 1000;

/** Parse the environment once. The only place in the code base that reads `process.env`. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as they do in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.METRICS_PORT === e.PORT) throw new ConfigError("Invalid environment configuration:\n  METRICS_PORT: must differ from PORT");
  // In production people sign in over it: without https their session cookie is not Secure and
  // passkeys refuse it. Only this machine's own names may be http (a trial, a container's check).
  if (e.NODE_ENV === "production" && e.PUBLIC_URL && !isHttpsOrLoopback(e.PUBLIC_URL)) {
    throw new ConfigError("Invalid environment configuration:\n  PUBLIC_URL: must be an https:// address in production");
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    database: {
      poolSize: e.DATABASE_POOL_SIZE,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: e.DATABASE_LOCK_TIMEOUT_MS,
      pooler: e.DATABASE_POOLER,
    },
    logLevel: e.LOG_LEVEL,
    requestLog: { sampleRate: e.LOG_SAMPLE_RATE, slowMs: e.LOG_SLOW_MS },
    email: { resendApiKey: e.RESEND_API_KEY, resendBaseUrl: e.RESEND_BASE_URL, from: e.EMAIL_FROM },
    session: { idleMs: e.SESSION_IDLE_DAYS * DAY, absoluteMs: e.SESSION_ABSOLUTE_DAYS * DAY },
    trustProxy: e.TRUST_PROXY,
    workers: e.WORKERS,
    webDist: e.WEB_DIST,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownAcceptMs: e.SHUTDOWN_ACCEPT_MS,
    keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
    metrics: { port: e.METRICS_PORT, token: e.METRICS_TOKEN },
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, ""), serviceName: e.OTEL_SERVICE_NAME },
    counterKey: e.COUNTER_KEY ? { secret: Buffer.from(e.COUNTER_KEY, "utf8"), shared: true } : { secret: randomBytes(32), shared: false },
  };
}

/** The parts of PUBLIC_URL the request path reads: its scheme, host name and origin. */
export type PublicUrlParts = Readonly<{ protocol: string; hostname: string; origin: string }>;

const publicUrlParts = new Map<string, PublicUrlParts>();

/**
 * PUBLIC_URL parsed once: the session cookie's name (`__Host-` or not) and the CSRF check read it
 * on every API request, and `new URL` cost 4 µs of a read's CPU each time. Kept per distinct
 * PUBLIC_URL (one in a server; a handful in the tests, which make configurations of their own).
 */
export function publicUrlOf(config: Config): PublicUrlParts {
  let parts = publicUrlParts.get(config.publicUrl);
  if (!parts) {
    const url = new URL(config.publicUrl);
    parts = Object.freeze({ protocol: url.protocol, hostname: url.hostname, origin: url.origin });
    publicUrlParts.set(config.publicUrl, parts);
  }
  return parts;
}
