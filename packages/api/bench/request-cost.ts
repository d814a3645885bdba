/**
 * `pnpm --filter @samakki/api bench:request-cost`: the CPU the request path costs, with the HTTP
 * network taken out. Requests go through @hono/node-server's request listener, as the server runs
 * them, on sockets that exist only in memory: no HTTP kernel work, no load generator. Five pairs,
 * each measured in alternating rounds, one request at a time:
 *   - healthz: `GET /healthz` of the app (createApp in the production configuration, its log lines
 *     going to a sink) against the framework's floor, a Hono app of one route on the same adapter
 *     that sends the same body with the same headers, given as a plain record. The difference is
 *     only what Samakki's middleware, routing and log line add.
 *   - list, statement: a coordinator's authenticated read of the campaign list and of a statement
 *     with its vote, against a bare node:http handler replaying the same SQL through the same
 *     database client and sending every query's rows as JSON (read-world.ts). Both sides make the
 *     same round trips to the database, so the difference is what the app does on top of the SQL:
 *     session, access checks, routing, mapping, validation, serialisation and its log line. The
 *     database's own CPU is another process's and not counted.
 *   - list no I/O, statement no I/O: the same two pairs on a database that answers from a
 *     recording of those reads' rows (canned-db.ts), so neither side waits or makes a system call
 *     for the SQL. The difference is then the app's JavaScript alone, run hot, to a microsecond.
 *     It is much smaller than the difference with the database (about +21 and +30 µs against
 *     +150 to +300 µs, with the same system calls on both sides; docs/architecture.md §5): the
 *     app's code costs more when it resumes after each round trip than when it runs back to back.
 *
 * Why next to bench:request-path: over loopback on two shared cores, the socket writes and the
 * load generator make up a large share of a request's CPU, and their cost changes from run to run
 * (the same build has measured 56 and 79 µs a /healthz request there). An A/B of a change to the
 * request path reads here in seconds, and a V8 profile of this process has no HTTP kernel work or
 * load generator in it. A benchmark, not a test: it never fails on a number.
 *
 *   BENCH_ROUNDS    rounds (default 7); each runs both sides of a pair, alternately
 *   BENCH_REQUESTS  /healthz requests per side per round (default 20000; the reads with the database
 *                   run a tenth of it, those without half)
 *   BENCH_TARGETS   comma-separated subset of healthz,list,statement,list no I/O,statement no I/O
 *                   (default all)
 *   BENCH_SIDE      app or floor: run that side of each pair alone (for a profile of one side)
 *   BENCH_ALLOC     1: also the memory each side allocates per request, with V8's sampling heap
 *                   profiler counting what the collector has freed as well. Unlike CPU time it does
 *                   not change from run to run, so a change that allocates less shows at once; the
 *                   profiler slows the requests down, so it runs after the CPU rounds, on its own
 *   BENCH_ALLOC_PROFILE  a directory: with BENCH_ALLOC, each side's sampled heap profile is written
 *                   there (TARGET-SIDE.heapprofile; open it in Chrome DevTools' Memory tab)
 *   LOG_LEVEL       the app's log level (default info: one line a request, as in production)
 *   DATABASE_URL    a PostgreSQL server (a scratch database is created and dropped). Set it: PGlite
 *                   (the default) runs its WebAssembly, and so the SQL, on this thread
 *
 * Profile it: node --import tsx --cpu-prof --cpu-prof-dir=DIR bench/request-cost.ts
 */
import { writeFileSync } from "node:fs";
import { IncomingMessage, ServerResponse } from "node:http";
import { Session } from "node:inspector/promises";
import type { Socket } from "node:net";
import { join } from "node:path";
import { Duplex, Writable } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { createApp } from "../src/app.ts";
import { createDeps } from "../src/deps.ts";
import { createLogger } from "../src/lib/logger.ts";
import { cannedDatabase } from "./canned-db.ts";
import { median } from "./format.ts";
import { bareBody, benchConfig, openScratchDatabase, prepareReads, sameHeaders } from "./read-world.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 20_000);
const WANTED = (process.env.BENCH_TARGETS || "healthz,list,statement,list no I/O,statement no I/O").split(",");
const SIDE = process.env.BENCH_SIDE;
const ALLOC = process.env.BENCH_ALLOC === "1";

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

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;
const BASE_HEADERS: Record<string, string> = { host: "localhost:3000", "user-agent": "bench", accept: "*/*" };

/** One GET, parsed as node:http would have parsed it; resolves when the answer is written. */
function get(listener: Listener, path: string, headers: Record<string, string>): Promise<void> {
  const socket = new MemorySocket() as unknown as Socket;
  const req = new IncomingMessage(socket);
  req.method = "GET";
  req.url = path;
  req.httpVersion = "1.1";
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  for (const [name, value] of Object.entries(headers)) {
    req.headers[name] = value;
    req.rawHeaders.push(name, value);
  }
  req.complete = true;
  req.push(null);
  const res = new ServerResponse(req);
  res.assignSocket(socket);
  return new Promise((resolve, reject) => {
    res.once("finish", () => {
      res.detachSocket(socket);
      if (res.statusCode === 200) resolve();
      else reject(new Error(`${path}: ${res.statusCode}`));
    });
    void listener(req, res);
  });
}

type Side = { name: string; listener: Listener };
type Pair = { target: string; path: string; headers: Record<string, string>; requests: number; sides: [Side, Side] };

async function cpuPerRequest(pair: Pair, side: Side, count: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await get(side.listener, pair.path, pair.headers);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

type SampledNode = { selfSize: number; children: SampledNode[] };
const sampledBytes = (node: SampledNode): number => node.children.reduce((sum, child) => sum + sampledBytes(child), node.selfSize);

/**
 * Bytes allocated per request, freed or not: the sampling heap profiler scales each sample to the
 * bytes it stands for, so the total estimates all that was allocated while `count` requests ran.
 */
async function bytesPerRequest(session: Session, pair: Pair, side: Side, count: number): Promise<number> {
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < count; i++) await get(side.listener, pair.path, pair.headers);
  const { profile } = await session.post("HeapProfiler.stopSampling");
  if (process.env.BENCH_ALLOC_PROFILE)
    writeFileSync(
      join(process.env.BENCH_ALLOC_PROFILE, `${pair.target}-${side.name}.heapprofile`.replaceAll(" ", "-")),
      JSON.stringify(profile),
    );
  return sampledBytes(profile.head as SampledNode) / count;
}

async function main() {
  const { handle, engine, cleanup } = await openScratchDatabase(2);
  const config = benchConfig();
  // The lines are serialised as in production; only the write to stdout is left out.
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = createApp(createDeps(config, createLogger(config.logLevel, sink), handle));
  const { cookie, reads } = await prepareReads(handle, config, app);
  const appSide = { name: "app", listener: getRequestListener(app.fetch) };

  const sample = await app.request("/healthz");
  const body = await sample.text();
  const headers = sameHeaders(sample);
  const minimal = new Hono().get("/healthz", () => new Response(body, { headers }));
  const pairs: Pair[] = [
    {
      target: "healthz",
      path: "/healthz",
      headers: BASE_HEADERS,
      requests: REQUESTS,
      sides: [appSide, { name: "minimal Hono", listener: getRequestListener(minimal.fetch) }],
    },
  ];
  // The same reads answered from a recording of their rows: the app and the bare handler then
  // differ only by the app's JavaScript, without the database's I/O and its noise in either.
  const canned = cannedDatabase(
    Object.values(reads).flatMap((read) => read.queries.map((q, i) => ({ sql: q.sql, rows: read.results[i] ?? [] }))),
  );
  const cannedApp = createApp(createDeps(config, createLogger(config.logLevel, sink), canned));
  for (const [db, suffix, listener, requests] of [
    [handle, "", appSide.listener, Math.ceil(REQUESTS / 10)],
    [canned, " no I/O", getRequestListener(cannedApp.fetch), Math.ceil(REQUESTS / 2)],
  ] as const) {
    for (const [target, read] of Object.entries(reads)) {
      const bare: Listener = (_req, res) =>
        bareBody(db, read.queries).then((json) => {
          res.writeHead(200, read.headers);
          res.end(json);
        });
      pairs.push({
        target: target + suffix,
        path: read.path,
        headers: { ...BASE_HEADERS, cookie },
        requests,
        sides: [
          { name: "app", listener },
          { name: "bare", listener: bare },
        ],
      });
    }
  }

  console.log(`in memory, ${engine}, ${ROUNDS} rounds, LOG_LEVEL ${config.logLevel}`);
  console.log("target             side          CPU µs/request (median)     min   difference");
  for (const pair of pairs.filter((p) => WANTED.includes(p.target))) {
    for (const side of pair.sides) await cpuPerRequest(pair, side, Math.ceil(pair.requests / 10)); // warm up
    const results = pair.sides.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so a neighbour's burst does not always land on the same one.
      const order = round % 2 ? [1, 0] : [0, 1];
      for (const i of order) {
        if (SIDE && SIDE !== (i === 0 ? "app" : "floor")) continue;
        results[i]?.push(await cpuPerRequest(pair, pair.sides[i] as Side, pair.requests));
      }
    }
    const [app, floor] = results.map((xs) => median(xs)) as [number, number];
    pair.sides.forEach((side, i) => {
      const xs = results[i] ?? [];
      // With BENCH_SIDE, the side left out has no row of numbers and there is no difference.
      const cells = xs.length
        ? `${median(xs).toFixed(2).padStart(24)}${Math.min(...xs)
            .toFixed(2)
            .padStart(8)}`
        : "-".padStart(24);
      const difference = i === 0 && !SIDE ? `   +${(app - floor).toFixed(2)} µs, ${(app / floor).toFixed(2)}x` : "";
      console.log(`${(i === 0 ? pair.target : "").padEnd(19)}${side.name.padEnd(14)}${cells}${difference}`);
    });
  }
  if (ALLOC) {
    const session = new Session();
    session.connect();
    await session.post("HeapProfiler.enable");
    console.log("\nallocated per request (sampling heap profiler, freed objects included)");
    console.log("target             side                 KB/request   difference");
    for (const pair of pairs.filter((p) => WANTED.includes(p.target))) {
      const bytes: number[] = [];
      for (const side of pair.sides) bytes.push(await bytesPerRequest(session, pair, side, pair.requests));
      pair.sides.forEach((side, i) => {
        const difference = i === 0 ? `   +${(((bytes[0] ?? 0) - (bytes[1] ?? 0)) / 1024).toFixed(1)} KB` : "";
        console.log(
          `${(i === 0 ? pair.target : "").padEnd(19)}${side.name.padEnd(14)}${((bytes[i] ?? 0) / 1024).toFixed(1).padStart(17)}${difference}`,
        );
      });
    }
    session.disconnect();
  }
  await cleanup();
}

// Exits when done rather than wait for the PostgreSQL client's socket and timers to wind down.
await main();
process.exit(0);
