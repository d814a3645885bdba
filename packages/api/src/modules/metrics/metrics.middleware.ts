import type { Context, MiddlewareHandler } from "hono";
import type { AppDeps, AppEnv } from "../../lib/context.ts";
import { httpRequestDuration } from "../../lib/metrics.ts";
import { routePattern } from "../../lib/request-meta.ts";

/**
 * The request's duration by method, route PATTERN (Hono's matched route, never the raw path: no
 * ids or tokens in labels, and a bounded number of series) and status. Called by the request
 * pipeline (lib/request-pipeline.ts) once the answer is final, when metrics are on; `started` is
 * performance.now() when the request came in, before any other step. Per request: one clock read
 * and one histogram observe.
 */
export function observeRequest(c: Context<AppEnv>, started: number): void {
  httpRequestDuration.observe({ method: c.req.method, route: routePattern(c), status: c.res.status }, (performance.now() - started) / 1000);
}

/**
 * The request's trace span, around everything else, when tracing is on; undefined otherwise, and
 * then the app mounts nothing for it, not even a middleware that only passes the request on.
 */
export function traceRequests(deps: AppDeps): MiddlewareHandler<AppEnv> | undefined {
  const tracing = deps.tracing;
  return tracing ? (c, next) => tracing.traceRequest(c, next) : undefined;
}
