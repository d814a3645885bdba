import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppDeps, AppEnv } from "../../lib/context.ts";
import { httpRequestDuration } from "../../lib/metrics.ts";
import { metricsEnabled } from "./metrics.service.ts";

const passThrough: MiddlewareHandler<AppEnv> = (_c, next) => next();

/**
 * The request's duration by method, route PATTERN (Hono's matched route, never the raw path: no
 * ids or tokens in labels, and a bounded number of series) and status; and its trace span when
 * tracing is on. First in the chain, so it covers every other middleware. Per request: two clock
 * reads and one histogram observe; nothing at all when metrics and tracing are both off.
 */
export function observeRequests(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const tracing = deps.tracing;
  const measure: MiddlewareHandler<AppEnv> = async (c, next) => {
    const started = performance.now();
    await next();
    // routePath after next(): the handler that answered (for an unmatched path, the last pattern it went through, e.g. "/*").
    httpRequestDuration.observe({ method: c.req.method, route: routePath(c), status: c.res.status }, (performance.now() - started) / 1000);
  };
  const metrics = metricsEnabled(deps.config);
  if (!tracing) return metrics ? measure : passThrough;
  if (!metrics) return (c, next) => tracing.traceRequest(c, next);
  return (c, next) =>
    tracing.traceRequest(c, async () => {
      await measure(c, next);
    });
}
