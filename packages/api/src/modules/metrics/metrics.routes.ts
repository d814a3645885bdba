import { z } from "zod";
import { AppError } from "../../lib/errors.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute } from "../../lib/route.ts";
import { bearerMatches, METRICS_CONTENT_TYPE, renderMetrics } from "./metrics.service.ts";

/**
 * `/metrics` on the main port, for a scraper that cannot reach METRICS_PORT: only with
 * METRICS_TOKEN set, and only for `Authorization: Bearer <token>`. Anything else answers 404,
 * as for a route that does not exist (the main port is public: it does not say metrics are there).
 */
export const metricsRoutes = createRouter().openapi(
  defineRoute(policies.public(), {
    method: "get",
    path: "/metrics",
    tags: ["Operations"],
    summary: "Prometheus metrics (METRICS_TOKEN as a bearer token; 404 without it)",
    responses: { 200: { description: "Prometheus text format", content: { "text/plain": { schema: z.string() } } } },
  }),
  async (c) => {
    const deps = c.get("deps");
    if (!bearerMatches(deps.config.metrics.token, c.req.header("authorization"))) throw new AppError("not_found", "route");
    return c.text(await renderMetrics(deps), 200, { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" });
  },
);
