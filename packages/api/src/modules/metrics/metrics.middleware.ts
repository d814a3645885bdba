import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppDeps, AppEnv } from "../../lib/context.ts";
import { httpRequestDuration } from "../../lib/metrics.ts";
import { metricsEnabled } from "./metrics.service.ts";

/**
 * The request's duration by method, route PATTERN (Hono's matched route, never the raw path: no
 * ids or tokens in labels, and a bounded number of series) and status; and its trace span when
 * tracing is on. First in the chain, so it covers every other middleware. Per request: two clock
 * reads and one histogram observe. Undefined when metrics and tracing are both off: then the app
 * mounts nothing at all, not even a middleware that only passes the request on.
 */
export function observeRequests(deps: AppDeps): MiddlewareHandler<AppEnv> | undefined {
  const tracing = deps.tracing;
  const measure: MiddlewareHandler<AppEnv> = async (c, next) => {
    const started = performance.now();
    await next();
    // routePath after next(): the handler that answered (for an unmatched path, the last pattern it went through, e.g. "/*").
    httpRequestDuration.observe({ method: c.req.method, route: routePath(c), status: c.res.status }, (performance.now() - started) / 1000);
  };
  const metrics = metricsEnabled(deps.config);
  if (!tracing) return metrics ? measure : undefined;
  if (!metrics) return (c, next) => tracing.traceRequest(c, next);
  return (c, next) =>
    tracing.traceRequest(c, async () => {
      await measure(c, next);
    });
}
