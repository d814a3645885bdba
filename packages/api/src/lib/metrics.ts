import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import packageJson from "../../package.json" with { type: "json" };

/**
 * The process's Prometheus metrics (issue 12, item 7). One registry per process: the HTTP
 * middleware, the database client and the job scheduler record into it directly, and
 * `/metrics` renders it (modules/metrics). Every name it exports is listed in metric-names.ts
 * (a test keeps the two equal), which the Grafana dashboard's check (infra/checks) reads.
 */
export const registry = new Registry();

/** Seconds; from 1 ms (a /healthz answer) to 10 s (beyond LOG_SLOW_MS). */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new Histogram({
  name: "samakki_http_request_duration_seconds",
  help: "HTTP requests by method, route pattern (never the raw path) and status.",
  labelNames: ["method", "route", "status"] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const dbQueryDuration = new Histogram({
  name: "samakki_db_query_duration_seconds",
  help: "SQL queries run through Kysely, by outcome (ok or error).",
  labelNames: ["outcome"] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  registers: [registry],
});

/**
 * Connections the app holds (a query or a transaction running on them) and callers waiting for
 * one, counted where Kysely acquires and releases them (db/pool-metrics.ts): the same on
 * postgres.js (a reserved connection each) and PGlite (one connection behind a mutex).
 */
export const dbPool = { inUse: 0, waiting: 0, max: 0 };

new Gauge({
  name: "samakki_db_pool_connections_in_use",
  help: "Database connections running a query or a transaction for the app.",
  registers: [registry],
  collect() {
    this.set(dbPool.inUse);
  },
});
new Gauge({
  name: "samakki_db_pool_waiting",
  help: "Queries and transactions waiting for a free database connection.",
  registers: [registry],
  collect() {
    this.set(dbPool.waiting);
  },
});
new Gauge({
  name: "samakki_db_pool_max_connections",
  help: "Size of the database pool (DATABASE_POOL_SIZE on PostgreSQL; 1 on PGlite).",
  registers: [registry],
  collect() {
    this.set(dbPool.max);
  },
});

/** Set at scrape time from one query (modules/metrics/metrics.service.ts). */
export const outboxPending = new Gauge({
  name: "samakki_outbox_pending_emails",
  help: "Emails in the outbox not yet sent (status pending).",
  registers: [registry],
});
export const outboxOldestAge = new Gauge({
  name: "samakki_outbox_oldest_pending_age_seconds",
  help: "Age of the oldest email not yet sent; 0 when none waits.",
  registers: [registry],
});

export const jobRuns = new Counter({
  name: "samakki_job_runs_total",
  help: "Runs of the background jobs (lib/periodic.ts, the outbox worker), by the job's name.",
  // Not "job": Prometheus sets that label to the scrape job and renames an app's own to exported_job.
  labelNames: ["name"] as const,
  registers: [registry],
});
export const jobFailures = new Counter({
  name: "samakki_job_failures_total",
  help: "Runs of the background jobs that threw, by the job's name.",
  labelNames: ["name"] as const,
  registers: [registry],
});

const buildInfo = new Gauge({
  name: "samakki_build_info",
  help: "Always 1; the labels say which build runs.",
  labelNames: ["version", "node_version"] as const,
  registers: [registry],
});
buildInfo.set({ version: packageJson.version, node_version: process.version }, 1);

let defaultsStarted = false;
/** Start Node's default collectors (event-loop delay histogram, GC, memory, CPU); once per process. */
export function startDefaultMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({ register: registry });
}
