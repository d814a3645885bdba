import { createServer, type Server } from "node:http";
import type { AppDeps } from "../../lib/context.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "./metrics.service.ts";

/**
 * `/metrics` on a port of its own (METRICS_PORT): reachable by the cluster's scraper, not
 * published by the Ingress, no token. Anything but GET /metrics answers 404. Resolves once listening.
 */
export function startMetricsServer(deps: AppDeps, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if ((req.method !== "GET" && req.method !== "HEAD") || path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    renderMetrics(deps).then(
      (body) =>
        res
          .writeHead(200, { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" })
          .end(req.method === "HEAD" ? undefined : body),
      (error: unknown) => {
        deps.logger.error({ err: error }, "metrics: scrape failed");
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("scrape failed\n");
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
