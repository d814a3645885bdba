/**
 * `pnpm --filter @samakki/api bench:db-latency`: how many times a request waits for the database, one
 * wait after another, and what that costs when the database is a network hop away (another zone, a
 * pooler, a managed service), which loopback on one machine never shows.
 *
 * PostgreSQL (DATABASE_URL; a scratch database is created and dropped) is reached through a TCP
 * proxy in this process that holds every chunk, each way, for half of the round trip time being
 * measured. (`tc qdisc … netem` would do it in the kernel; this machine's kernel has no netem, and
 * the proxy needs nothing but Node.) For each round trip time, each read of bench:request-path (a
 * coordinator's campaign list, a statement with its vote) is made through the app in memory
 * (`app.request`, no HTTP), one request at a time, and its bare baseline replays the same SQL
 * through the same client over the same proxy. The table gives the median latency, and the number of
 * sequential waits: the latency's growth over the 0 ms run divided by the round trip time. The
 * bare handler waits once per query, so the app's figure says whether it waits more than its SQL
 * needs (or less, where it sends queries together). Then the writes of pnpm loadtest, through the
 * app alone: a task's status change and a ballot cast (on a vote opened for it), each with its
 * queries (BEGIN and COMMIT included) and its waits. A benchmark, not a test: it never fails.
 *
 *   BENCH_RTT_MS    comma-separated round trip times in ms (default 0,5,20; below a few ms, the
 *                   timers' granularity adds to each wait)
 *   BENCH_REQUESTS  requests per read, side and round trip time (default 40)
 *   DATABASE_URL    required: a PostgreSQL server
 */

import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { Writable } from "node:stream";
import { createApp } from "../src/app.ts";
import { createDatabase } from "../src/db/client.ts";
import { createDeps } from "../src/deps.ts";
import { createLogger } from "../src/lib/logger.ts";
import { formatTable, median } from "./format.ts";
import { bareBody, benchConfig, ORIGIN, openScratchDatabase, prepareReads } from "./read-world.ts";

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

  // The same scratch database, through the proxy, counting the queries.
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
  let queries = 0;
  const handle = createDatabase({ url: proxiedUrl.toString(), maxConnections: 10, onQuery: () => queries++ });
  const app = createApp(createDeps(config, silent, handle));

  /** A request through the app over the proxy; `body` makes it a JSON POST from the web app's origin. */
  const call = (path: string, body?: () => unknown) => async () => {
    const res = await app.request(path, {
      method: body ? "POST" : "GET",
      headers: { cookie, "user-agent": "bench", ...(body ? { origin: ORIGIN, "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body()) } : {}),
    });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  /** The median latency at each round trip time, and the queries of one request. */
  async function measure(run: () => Promise<unknown>) {
    const at: Record<number, number> = {};
    for (const rtt of RTTS) {
      delay.oneWayMs = rtt / 2;
      // Warm-up: every pooled connection opened, every statement prepared, at this delay.
      for (let i = 0; i < 5; i++) await run();
      at[rtt] = await timed(run);
    }
    const before = queries;
    await run();
    return { at, queries: queries - before };
  }
  const base = RTTS[0] ?? 0;
  const later = RTTS.filter((rtt) => rtt > base);
  const waits = (at: Record<number, number>, rtt: number) => ((at[rtt] ?? Number.NaN) - (at[base] ?? Number.NaN)) / (rtt - base);

  console.log(`database latency benchmark: ${scratch.engine} through a delaying proxy, ${REQUESTS} requests per cell, one at a time\n`);
  const readRows: string[][] = [];
  for (const [name, read] of Object.entries(reads)) {
    const app = await measure(call(read.path));
    const bare = await measure(() => bareBody(handle, read.queries));
    readRows.push([
      `${name} (${app.queries} queries)`,
      ...RTTS.map((rtt) => `${app.at[rtt]?.toFixed(1)} / ${bare.at[rtt]?.toFixed(1)}`),
      ...later.map((rtt) => `${waits(app.at, rtt).toFixed(1)} / ${waits(bare.at, rtt).toFixed(1)}`),
    ]);
  }
  console.log(
    formatTable(
      ["read", ...RTTS.map((rtt) => `${rtt} ms RTT app/bare (ms)`), ...later.map((rtt) => `waits at ${rtt} ms app/bare`)],
      readRows,
    ),
  );

  // The writes of pnpm loadtest: a task's status, then a ballot on an open vote of the statement.
  const db = scratch.handle.db;
  const { coalition_id: coalitionId } = await db.selectFrom("coordinator").select("coalition_id").executeTakeFirstOrThrow();
  const { organisation_id: organisationId } = await db
    .selectFrom("membership")
    .select("organisation_id")
    .where("representative", "=", true)
    .executeTakeFirstOrThrow();
  const statement = await db.selectFrom("statement").select("id").executeTakeFirstOrThrow();
  const version = await db
    .selectFrom("statement_version")
    .select("id")
    .where("statement_id", "=", statement.id)
    .orderBy("number", "desc")
    .executeTakeFirstOrThrow();
  const post = async (path: string, body: unknown) => {
    const res = await direct.request(path, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const coalition = `/api/coalitions/${coalitionId}`;
  const task = await post(`${coalition}/tasks`, { title: "Bench task", assigneeOrganisationId: organisationId });
  const closesAt = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString().slice(0, 16);
  await post(`${coalition}/statements/${statement.id}/vote`, { versionId: version.id, closesAt });
  let n = 0;
  const writes = {
    "task status change": call(`${coalition}/tasks/${task.id}/status`, () => ({ status: n++ % 2 ? "todo" : "in_progress" })),
    "ballot cast": call(`${coalition}/statements/${statement.id}/vote/ballots`, () => ({
      organisationId,
      choice: n++ % 2 ? "endorse" : "object",
      named: true,
      comment: "",
    })),
  };
  const writeRows: string[][] = [];
  for (const [name, run] of Object.entries(writes)) {
    const { at, queries: count } = await measure(run);
    writeRows.push([
      `${name} (${count} queries)`,
      ...RTTS.map((rtt) => at[rtt]?.toFixed(1) ?? ""),
      ...later.map((rtt) => waits(at, rtt).toFixed(1)),
    ]);
  }
  console.log();
  console.log(
    formatTable(["write (app)", ...RTTS.map((rtt) => `${rtt} ms RTT (ms)`), ...later.map((rtt) => `waits at ${rtt} ms`)], writeRows),
  );

  await handle.close();
  proxy.close();
  await scratch.cleanup();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
