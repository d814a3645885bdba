import { createHash, timingSafeEqual } from "node:crypto";
import type { Database } from "../../db/client.ts";
import { type AppDeps, now } from "../../lib/context.ts";
import { outboxOldestAge, outboxPending, registry } from "../../lib/metrics.ts";
import { type OutboxBacklog, outboxBacklog } from "../email/outbox.repository.ts";

/** Prometheus's text format. */
export const METRICS_CONTENT_TYPE = registry.contentType;

/** The outbox backlog is read at most this often, however often (and from however many scrapers) /metrics is read. */
export const OUTBOX_CACHE_MS = 5_000;

/** Whether metrics are served at all: on their own port, or on the main one behind a token. */
export function metricsEnabled(config: AppDeps["config"]): boolean {
  return config.metrics.port !== undefined || config.metrics.token !== undefined;
}

const backlogs = new WeakMap<Database, { at: number; value: Promise<OutboxBacklog> }>();

/** The backlog, from one query at most every OUTBOX_CACHE_MS (concurrent scrapes share it). */
function cachedBacklog(deps: AppDeps): Promise<OutboxBacklog> {
  const at = now(deps).getTime();
  const cached = backlogs.get(deps.db);
  if (cached && at - cached.at < OUTBOX_CACHE_MS) return cached.value;
  const value = outboxBacklog(deps.db);
  backlogs.set(deps.db, { at, value });
  // A failed read is not kept: the next scrape tries again.
  value.catch(() => backlogs.delete(deps.db));
  return value;
}

/** The metrics in Prometheus's text format; the outbox gauges are brought up to date first. */
export async function renderMetrics(deps: AppDeps): Promise<string> {
  try {
    const backlog = await cachedBacklog(deps);
    outboxPending.set(backlog.pending);
    outboxOldestAge.set(backlog.oldestAgeSeconds);
  } catch (error) {
    // The database is down: the other metrics (the pool, the errors) matter most now; keep serving them.
    deps.logger.warn({ err: error }, "metrics: the outbox backlog could not be read");
  }
  return registry.metrics();
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Whether an Authorization header carries the metrics bearer token. Compared in constant time
 * (over SHA-256 digests, so the lengths leak nothing either); false when no token is configured.
 */
export function bearerMatches(expected: string | undefined, authorization: string | undefined): boolean {
  if (!expected || !authorization) return false;
  const match = /^Bearer (\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) return false;
  return timingSafeEqual(digest(match[1]), digest(expected));
}
