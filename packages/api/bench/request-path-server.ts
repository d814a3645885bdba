/**
 * The servers of `pnpm bench:request-path`, in one child process (see request-path.ts):
 *   - the real app: createApp + @hono/node-server, LOG_LEVEL info to stdout (a pipe), as in production;
 *   - a bare node:http server answering /healthz with the app's body and the same headers;
 *   - the framework's floor: a minimal Hono app on @hono/node-server answering /healthz with the same
 *     body and headers, given as a plain record (no middleware, no log line);
 *   - a bare node:http handler for each authenticated read (a campaign list and a statement),
 *     replaying through the same database client exactly the SQL the app runs for it and answering
 *     every query's rows as one JSON array with the app's headers (read-world.ts: the world, the
 *     capture, and why every query's rows).
 * The parent asks for process.cpuUsage() over IPC before and after each run; the runs alternate,
 * so the CPU between two readings is the server that was driven.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createApp } from "../src/app.ts";
import { createDeps } from "../src/deps.ts";
import { bareBody, benchConfig, openScratchDatabase, prepareReads, sameHeaders } from "./read-world.ts";
import { createServerLogger } from "./request-path-logger.ts";

function listen(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

async function main() {
  const { handle, engine, cleanup } = await openScratchDatabase(10);
  const config = benchConfig();
  const logger = await createServerLogger(config);
  const deps = createDeps(config, logger, handle);
  const app = createApp(deps);
  const { cookie, reads } = await prepareReads(handle, config, app);

  const health = await app.request("/healthz");
  const healthBody = await health.text();
  const healthHeaders = sameHeaders(health);

  const serveApp = async (fetch: (request: Request) => Response | Promise<Response>) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    return (server.address() as AddressInfo).port;
  };
  const appPort = await serveApp(app.fetch);
  const minimal = new Hono().get("/healthz", () => new Response(healthBody, { headers: healthHeaders }));
  const minimalPort = await serveApp(minimal.fetch);

  const bareHealth = createServer((_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, healthHeaders);
    res.end(healthBody);
  });
  const bareReads: Record<string, number> = {};
  for (const [name, { queries, headers: h }] of Object.entries(reads)) {
    const server = createServer((_req, res) => {
      bareBody(handle, queries)
        .then((body) => {
          res.writeHead(200, h);
          res.end(body);
        })
        .catch((error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        });
    });
    bareReads[name] = await listen(server);
  }
  const healthPort = await listen(bareHealth);

  process.on("message", (message: { type: string }) => {
    if (message.type === "cpu") process.send?.({ type: "cpu", usage: process.cpuUsage() });
    if (message.type === "stop") void cleanup().finally(() => process.exit(0));
  });
  process.send?.({
    type: "ready",
    engine,
    cookie,
    targets: {
      healthz: { app: `http://127.0.0.1:${appPort}/healthz`, bare: `http://127.0.0.1:${healthPort}/healthz`, authenticated: false },
      "minimal Hono": {
        app: `http://127.0.0.1:${minimalPort}/healthz`,
        bare: `http://127.0.0.1:${healthPort}/healthz`,
        authenticated: false,
      },
      ...Object.fromEntries(
        Object.entries(reads).map(([name, read]) => [
          name,
          {
            app: `http://127.0.0.1:${appPort}${read.path}`,
            bare: `http://127.0.0.1:${bareReads[name]}${read.path}`,
            authenticated: true,
            queries: read.queries.length,
            bytes: read.bytes,
          },
        ]),
      ),
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
