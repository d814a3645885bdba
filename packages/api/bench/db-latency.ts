/**
 * `pnpm --filter @samakki/api bench:db-latency`: how many times a read waits for the database, one
 * after the other, and what that costs when the database is a network hop away (another zone, a
 * pooler, a managed service), which loopback on one machine never shows.
 *
 * PostgreSQL (DATABASE_URL; a scratch database is created and dropped) is reached through a TCP
 * proxy in this process that holds every chunk, each way, for half of the round trip time being
 * measured. (`tc qdisc … netem` would do it in the kernel; this machine's kernel has no netem, and
 * the proxy needs nothing but Node.) For each round trip time, each read of bench:request-path (a
 * coordinator's campaign list, a statement with its vote) is made through the app's request
 * listener in memory, one request at a time, and its bare baseline replays the same SQL through the
 * same client over the same proxy. The table gives the median latency, and the number of
 * sequential waits: the latency's growth over the 0 ms run divided by the round trip time. The
 * bare handler waits once per query, so the app's figure says whether it waits more than its SQL
 * needs (or less, where it sends queries together). A benchmark, not a test: it never fails.
 *
 *   BENCH_RTT_MS    comma-separated round trip times in ms (default 0,5,20; below a few ms, the
 *                   timers' granularity adds to each wait)
 *   BENCH_REQUESTS  requests per read, side and round trip time (default 40)
 *   DATABASE_URL    required: a PostgreSQL server
 */

import type { AddressInfo } from "node:net";
import { connect, createServer, type Socket } from "node:net";
import { Writable } from "node:stream";
import { createApp } from "../src/app.ts";
import { createDatabase } from "../src/db/client.ts";
import { createDeps } from "../src/deps.ts";
import { createLogger } from "../src/lib/logger.ts";
import { bareBody, benchConfig, openScratchDatabase, prepareReads } from "./read-world.ts";

const RTTS = (process.env.BENCH_RTT_MS || "0,5,20").split(",").map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 40);

/** A TCP proxy to `target` that holds each chunk, each way, for `delay.oneWayMs` before passing it on. */
async function delayingProxy(target: { host: string; port: number }, delay: { oneWayMs: number }) {
  // Same delay for every chunk of a direction: Node's timers of one duration fire in the order they
  // were set, so the bytes keep their order.
  const pass = (from: Socket, to: Socket) =>
    from.on("data", (chunk) => {
      if (delay.oneWayMs === 0) to.write(chunk);
      else setTimeout(() => to.write(chunk), delay.oneWayMs);
    });
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pass(client, upstream);
    pass(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function timed(run: () => Promise<unknown>): Promise<number> {
  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    await run();
    latencies.push(performance.now() - started);
  }
  return median(latencies);
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("bench:db-latency needs DATABASE_URL: a PostgreSQL server to put a network hop in front of");
    process.exit(2);
  }
  const config = benchConfig();
  const silent = createLogger(config.logLevel, new Writable({ write: (_chunk, _encoding, done) => done() }));
  const scratch = await openScratchDatabase(10);
  const direct = createApp(createDeps(config, silent, scratch.handle));
  const { cookie, reads } = await prepareReads(scratch.handle, config, direct);

  // The same scratch database, through the proxy.
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${await scratch.handle.db
    .selectNoFrom((eb) => eb.fn<string>("current_database", []).as("name"))
    .executeTakeFirstOrThrow()
    .then((row) => row.name)}`;
  const delay = { oneWayMs: 0 };
  const proxy = await delayingProxy({ host: scratchUrl.hostname, port: Number(scratchUrl.port || 5432) }, delay);
  const proxiedUrl = new URL(scratchUrl);
  proxiedUrl.hostname = "127.0.0.1";
  proxiedUrl.port = String(proxy.port);
  const handle = createDatabase({ url: proxiedUrl.toString(), maxConnections: 10 });
  const app = createApp(createDeps(config, silent, handle));

  console.log(`database latency benchmark: ${scratch.engine} through a delaying proxy, ${REQUESTS} requests per cell, one at a time`);
  const results: Record<string, Record<number, { app: number; bare: number }>> = {};
  for (const rtt of RTTS) {
    delay.oneWayMs = rtt / 2;
    for (const [name, read] of Object.entries(reads)) {
      const request = async () => {
        const res = await app.request(read.path, { headers: { cookie, "user-agent": "bench" } });
        if (res.status !== 200) throw new Error(`${read.path}: ${res.status}`);
        await res.arrayBuffer();
      };
      // Warm-up: every pooled connection opened, every statement prepared, at this delay.
      for (let i = 0; i < 5; i++) await request();
      for (let i = 0; i < 5; i++) await bareBody(handle, read.queries);
      const cell = { app: await timed(request), bare: await timed(() => bareBody(handle, read.queries)) };
      results[name] = { ...results[name], [rtt]: cell };
      console.log(`  ${name} at ${rtt} ms: app ${cell.app.toFixed(2)} ms, bare ${cell.bare.toFixed(2)} ms`);
    }
  }

  const base = RTTS[0] ?? 0;
  const head = [
    "read",
    ...RTTS.map((rtt) => `${rtt} ms RTT app/bare (ms)`),
    ...RTTS.filter((rtt) => rtt > base).map((rtt) => `waits at ${rtt} ms app/bare`),
  ];
  const rows = Object.entries(results).map(([name, cells]) => {
    const read = reads[name as keyof typeof reads];
    const at = (rtt: number) => cells[rtt] ?? { app: Number.NaN, bare: Number.NaN };
    return [
      `${name} (${read.queries.length} queries)`,
      ...RTTS.map((rtt) => `${at(rtt).app.toFixed(1)} / ${at(rtt).bare.toFixed(1)}`),
      ...RTTS.filter((rtt) => rtt > base).map(
        (rtt) =>
          `${((at(rtt).app - at(base).app) / (rtt - base)).toFixed(1)} / ${((at(rtt).bare - at(base).bare) / (rtt - base)).toFixed(1)}`,
      ),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  console.log(`\nmedians of ${REQUESTS} requests\n${line(head)}`);
  for (const r of rows) console.log(line(r));

  await handle.close();
  proxy.close();
  await scratch.cleanup();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
