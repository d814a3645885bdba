/**
 * `pnpm --filter @samakki/api bench:request-cost`: the JavaScript CPU the request path costs, with the
 * network taken out. It measures `GET /healthz` through @hono/node-server's request listener, as the
 * server runs it, on sockets that exist only in memory. So there is no kernel, no load generator
 * and no other process on the CPU. It reports the app (createApp in the production configuration,
 * its log lines going to a sink) against the framework's floor, a Hono app of one route on the same
 * adapter that sends the same body with the same headers, given as a plain record.
 *
 * Why next to bench:request-path: over loopback on two shared cores, the socket writes and the
 * load generator make up a large share of a /healthz request's CPU, and their cost changes from
 * run to run (the same build has measured 56 and 79 µs a request there). Here the difference
 * between the two rows is only what Samakki's middleware, routing and log line add in JavaScript.
 * An A/B of a change to the request path reads it in a few seconds, and a V8 profile of this
 * process has no idle time and no kernel in it. A benchmark, not a test: it never fails on a number.
 *
 *   BENCH_ROUNDS    rounds (default 7); each runs both targets, alternately
 *   BENCH_REQUESTS  requests per target per round (default 20000)
 *   LOG_LEVEL       the app's log level (default info: one line a request, as in production)
 *   DATABASE_URL    the database /healthz's background readiness check pings once a second. Set it:
 *                   PGlite (the default) runs its WebAssembly on this thread and doubles both rows
 *
 * Profile it: node --import tsx --cpu-prof --cpu-prof-dir=DIR bench/request-cost.ts
 */
import { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Duplex, Writable } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createDatabase } from "../src/db/client.ts";
import { createDeps } from "../src/deps.ts";
import { createLogger } from "../src/lib/logger.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 20_000);

/** A connection that accepts whatever the response writes and sends nothing. */
class MemorySocket extends Duplex {
  readonly remoteAddress = "127.0.0.1";
  override _read() {}
  override _write(_chunk: unknown, _encoding: BufferEncoding, done: () => void) {
    done();
  }
  setTimeout() {
    return this;
  }
  setNoDelay() {
    return this;
  }
  setKeepAlive() {
    return this;
  }
}

type Listener = ReturnType<typeof getRequestListener>;
const HEADERS: Record<string, string> = { host: "localhost:3000", "user-agent": "bench", accept: "*/*" };

/** One GET, parsed as node:http would have parsed it; resolves when the answer is written. */
function get(listener: Listener, path: string): Promise<void> {
  const socket = new MemorySocket() as unknown as Socket;
  const req = new IncomingMessage(socket);
  req.method = "GET";
  req.url = path;
  req.httpVersion = "1.1";
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  for (const [name, value] of Object.entries(HEADERS)) {
    req.headers[name] = value;
    req.rawHeaders.push(name, value);
  }
  req.complete = true;
  req.push(null);
  const res = new ServerResponse(req);
  res.assignSocket(socket);
  return new Promise((resolve) => {
    res.once("finish", () => {
      res.detachSocket(socket);
      resolve();
    });
    void listener(req, res);
  });
}

async function cpuPerRequest(listener: Listener, count: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await get(listener, "/healthz");
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function main() {
  const handle = createDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, maxConnections: 2 } : {});
  const config = loadConfig({
    ...process.env,
    NODE_ENV: "production",
    PUBLIC_URL: "http://localhost:3000",
    LOG_LEVEL: process.env.LOG_LEVEL || "info",
    WORKERS: "false",
  });
  // The lines are serialised as in production; only the write to stdout is left out.
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = createApp(createDeps(config, createLogger(config.logLevel, sink), handle));
  const sample = await app.request("/healthz");
  const body = await sample.text();
  // The app's headers but those node:http writes itself and the request id, which changes.
  const headers: Record<string, string> = {};
  sample.headers.forEach((value, name) => {
    if (name !== "content-length" && name !== "date" && name !== "x-request-id") headers[name] = value;
  });
  const minimal = new Hono().get("/healthz", () => new Response(body, { headers }));
  const targets: Array<[string, Listener]> = [
    ["app", getRequestListener(app.fetch)],
    ["minimal Hono", getRequestListener(minimal.fetch)],
  ];

  console.log(`GET /healthz in memory, ${ROUNDS} rounds of ${REQUESTS} requests, LOG_LEVEL ${config.logLevel}`);
  for (const [, listener] of targets) await cpuPerRequest(listener, 2_000); // warm up
  const results = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, listener] of targets) results.get(name)?.push(await cpuPerRequest(listener, REQUESTS));
  }
  const floor = median(results.get("minimal Hono") ?? []);
  console.log("target         CPU µs/request (median)  min     vs minimal Hono");
  for (const [name, xs] of results) {
    const m = median(xs);
    const least = Math.min(...xs);
    console.log(
      `${name.padEnd(15)}${m.toFixed(2).padStart(24)}${least.toFixed(2).padStart(8)}${`+${(m - floor).toFixed(2)} µs`.padStart(18)}`,
    );
  }
  await handle.close();
}

// Exits when done rather than wait for the PostgreSQL client's socket and timers to wind down.
await main();
process.exit(0);
