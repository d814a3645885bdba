/**
 * `pnpm bench`: latency of the hot endpoints on a realistically large coalition (300
 * organisations, ~1,500 people), through the real app (createApp + app.request, in process).
 * A benchmark, not a test: it prints a table and never fails on numbers. Bounded in time.
 *
 * Uses an in-memory PGlite, or, with DATABASE_URL, a fresh database on that server (dropped after).
 *   BENCH_SECONDS   time budget per endpoint (default 4)
 *   BENCH_TASKS     tasks to seed across 20 campaigns and the 300 organisations (default 200,000)
 *   BENCH_CLIENTS   concurrent clients of the last phase (default 50), which also measures the
 *                   event-loop delay (perf_hooks.monitorEventLoopDelay): how long a timer or an
 *                   incoming connection waits, i.e. how frozen the server is for everyone
 *   BENCH_NO_YIELD  1: PGlite without the yield-after-each-query plugin (the "before" figure)
 *   BENCH_KEEP      1: keep the PostgreSQL database (to run bench/plans.ts on it afterwards)
 *   BENCH_ENFORCE   1: exit 3 when a figure is over its budget (bench/budgets.ts); printed either way
 *
 * `pnpm bench --scale N`: measure at BENCH_TASKS, then grow the data N-fold (more tasks over the
 * same campaigns and organisations, and their notifications; an old campaign stays old), measure
 * again and print each endpoint's ratio (p50 at N× / p50 at 1×; the budget is at most 1.3 at 10×).
 * On PostgreSQL it also prints EXPLAIN (ANALYZE, BUFFERS) of every paged list and job claim at both
 * sizes, custom and generic plans (bench/plans.ts), with the same ratios.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { serve } from "@hono/node-server";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import type { AppDeps } from "../src/lib/context.ts";
import { encodeCursor } from "../src/lib/cursor.ts";
import { createLogger } from "../src/lib/logger.ts";
import { argon2Hasher } from "../src/modules/auth/passwords.ts";
import { BUDGETS, BudgetReport } from "./budgets.ts";
import { formatTable } from "./format.ts";
import { explainAll, printPlans } from "./plans.ts";
import { addTasks, ORGANISATIONS, openDatabase, PASSWORD, seed, seedCampaigns } from "./seed.ts";

const ORIGIN = "http://localhost:3000";
const SECONDS = Number(process.env.BENCH_SECONDS || 4);
const MAX_ITERATIONS = 2_000;
const TASKS = Number(process.env.BENCH_TASKS || 200_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS || 50);
const scaleAt = process.argv.indexOf("--scale");
const SCALE = scaleAt > 0 ? Number(process.argv[scaleAt + 1]) : 1;
if (!Number.isInteger(SCALE) || SCALE < 1) throw new Error("--scale takes a whole number, e.g. --scale 10");
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const t0 = performance.now();

function printTable(rows: Row[]) {
  const header = ["endpoint", "n", "err", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s", "body"];
  const table = rows.map((r) => [
    r.name,
    String(r.n),
    String(r.errors),
    r.p50.toFixed(2),
    r.p95.toFixed(2),
    r.p99.toFixed(2),
    r.max.toFixed(2),
    r.perSecond.toFixed(0),
    r.bytes ? `${(r.bytes / 1024).toFixed(1)} KiB` : "",
  ]);
  console.log(`\n${formatTable(header, table, { rule: true })}`);
}

type App = ReturnType<typeof createApp>;

async function signIn(app: App, email: string): Promise<{ status: number; cookie: string | undefined }> {
  const res = await app.request("/api/auth/sign-in", {
    method: "POST",
    headers: { origin: ORIGIN, "content-type": "application/json", "user-agent": UA },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  await res.arrayBuffer();
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  return { status: res.status, cookie };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

interface Row {
  name: string;
  n: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
  bytes: number;
}

/** Call `once` sequentially until the time budget or the iteration cap; the first 10 calls are warm-up. */
async function measure(name: string, once: (i: number) => Promise<{ ok: boolean; bytes: number }>): Promise<Row> {
  for (let i = 0; i < 10; i++) await once(i);
  const times: number[] = [];
  let errors = 0;
  let bytes = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  for (let i = 10; performance.now() < deadline && times.length < MAX_ITERATIONS; i++) {
    const t = performance.now();
    const result = await once(i);
    times.push(performance.now() - t);
    if (!result.ok) errors++;
    bytes = result.bytes;
  }
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    name,
    n: times.length,
    errors,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? Number.NaN,
    perSecond: times.length / elapsed,
    bytes,
  };
}

/**
 * CLIENTS loops calling the paths round-robin for a bounded time, over HTTP on loopback (the app
 * served by @hono/node-server in this process, as in production), from a worker thread so that
 * the clients do not share the server's event loop. The server's event-loop delay is sampled
 * every 10 ms meanwhile.
 */
async function concurrent(app: App, paths: string[], cookie: string) {
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const client = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { base, paths, cookie, clients, ms, ua } = workerData;
    const times = []; let errors = 0;
    const deadline = performance.now() + ms;
    Promise.all(Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < deadline; i += clients) {
        const t = performance.now();
        try {
          const res = await fetch(base + paths[i % paths.length], { headers: { cookie, "user-agent": ua } });
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
        } catch { errors++; }
        times.push(performance.now() - t);
      }
    })).then(() => parentPort.postMessage({ times, errors }));`;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = performance.now();
  const worker = new Worker(client, {
    eval: true,
    workerData: { base: `http://127.0.0.1:${port}`, paths, cookie, clients: CLIENTS, ms: SECONDS * 2 * 1000, ua: UA },
  });
  const { times, errors } = await new Promise<{ times: number[]; errors: number }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  histogram.disable();
  const elapsed = (performance.now() - started) / 1000;
  await worker.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  times.sort((a, b) => a - b);
  const ms = (ns: number) => ns / 1e6;
  return {
    n: times.length,
    errors,
    perSecond: times.length / elapsed,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? Number.NaN,
    loopP50: ms(histogram.percentile(50)),
    loopP99: ms(histogram.percentile(99)),
    loopMax: ms(histogram.max),
  };
}

async function main() {
  const { handle, engine, url, cleanup } = await openDatabase({
    url: loadConfig().databaseUrl,
    prefix: "samakki_bench",
    ...(process.env.BENCH_KEEP === "1" ? { keep: "BENCH_KEEP=1" } : {}),
  });
  const budgets = new BudgetReport();
  try {
    const config = { ...loadConfig({ NODE_ENV: "production", PUBLIC_URL: ORIGIN, LOG_LEVEL: "silent", WORKERS: "false" }) };
    const deps: AppDeps = {
      config,
      // BENCH_NO_YIELD=1: without the PGlite yield plugin (client.ts), to measure what it changes.
      db: process.env.BENCH_NO_YIELD === "1" ? handle.db.withoutPlugins() : handle.db,
      logger: createLogger("silent"),
      passwords: argon2Hasher,
      devMailbox: true,
      ping: async () => {},
    };
    await migrateToLatest(handle.db);
    const seedStarted = performance.now();
    const world = await seed(deps);
    console.log(
      `Seeded ${ORGANISATIONS} organisations, ${world.people.length} people and ${ORGANISATIONS + world.people.length} audit events on ${engine} in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s.`,
    );
    const tasksStarted = performance.now();
    const { campaignId, oldCampaignId } = await seedCampaigns(deps, world.coalitionId);
    await addTasks(deps, world.coalitionId, 1, TASKS);
    console.log(
      `Seeded 21 campaigns and ${(TASKS + 500).toLocaleString("en")} tasks in ${((performance.now() - tasksStarted) / 1000).toFixed(1)} s.`,
    );
    const app = createApp(deps);
    const session = await signIn(app, world.coordinatorEmail);
    if (session.status !== 200 || !session.cookie) throw new Error(`could not sign in as the coordinator (status ${session.status})`);
    const cookie = session.cookie;
    const get = (path: string) => async () => {
      const res = await app.request(path, { headers: { cookie, "user-agent": UA } });
      const body = await res.arrayBuffer();
      return { ok: res.status === 200, bytes: body.byteLength };
    };
    const tasks = `/api/coalitions/${world.coalitionId}/tasks`;
    const firstOrganisation = (
      await deps.db
        .selectFrom("coalition_member")
        .select("organisation_id")
        .where("coalition_id", "=", world.coalitionId)
        .orderBy("organisation_id")
        .executeTakeFirstOrThrow()
    ).organisation_id;
    /** The cursor of the page that starts after `offset` rows of the coalition's task list. */
    const deepCursor = async (offset: number) => {
      const row = await deps.db
        .selectFrom("task")
        .where("coalition_id", "=", world.coalitionId)
        .orderBy("updated_at", "desc")
        .orderBy("id", "desc")
        .offset(offset)
        .select(["updated_at", "id"])
        .executeTakeFirstOrThrow();
      return encodeURIComponent(encodeCursor(row.updated_at, row.id));
    };

    const DEEP = Math.min(5000, Math.floor(TASKS / 2));
    const measureAll = async () => {
      const rows: Row[] = [];
      console.log(`Measuring, up to ${SECONDS} s per endpoint…`);
      rows.push(await measure("GET /api/me", get("/api/me")));
      rows.push(await measure(`GET /api/coalitions/{id}/members (${ORGANISATIONS})`, get(`/api/coalitions/${world.coalitionId}/members`)));
      rows.push(await measure("GET /api/coalitions/{id}/audit", get(`/api/coalitions/${world.coalitionId}/audit`)));
      rows.push(await measure("GET /api/notifications", get("/api/notifications")));
      rows.push(await measure("GET tasks: all, page of 50", get(`${tasks}?limit=50`)));
      rows.push(await measure(`GET tasks: all, after row ${DEEP} (cursor)`, get(`${tasks}?limit=50&cursor=${await deepCursor(DEEP)}`)));
      rows.push(await measure("GET tasks: campaign board (web: no status)", get(`${tasks}?campaignId=${campaignId}&limit=100`)));
      rows.push(await measure("GET tasks: old campaign's board", get(`${tasks}?campaignId=${oldCampaignId}&limit=100`)));
      rows.push(await measure("GET tasks: campaign board column", get(`${tasks}?campaignId=${campaignId}&status=todo&limit=50`)));
      rows.push(await measure("GET tasks: open (3 statuses)", get(`${tasks}?status=todo,in_progress,blocked&limit=50`)));
      rows.push(await measure("GET tasks: overdue", get(`${tasks}?view=overdue&limit=50`)));
      rows.push(await measure("GET tasks: label + priority", get(`${tasks}?label=ribbons&priority=urgent&limit=50`)));
      rows.push(await measure("GET tasks: organisation filter", get(`${tasks}?organisationId=${firstOrganisation}&limit=50`)));
      rows.push(await measure("GET campaigns: text search", get(`/api/coalitions/${world.coalitionId}/campaigns?q=campaign%201`)));
      return rows;
    };
    const rows = await measureAll();
    rows.push(
      await measure("POST /api/auth/sign-in (argon2id)", async (i) => {
        const person = world.people[(i + 1) % world.people.length];
        if (!person) throw new Error("no person");
        const result = await signIn(app, person.email);
        return { ok: result.status === 200, bytes: 0 };
      }),
    );
    printTable(rows);
    const plans = url ? await explainAll(deps.db, url) : undefined;
    if (plans) {
      console.log(`\nEXPLAIN (ANALYZE, BUFFERS) at ${(TASKS + 500).toLocaleString("en")} tasks (best of 3):`);
      printPlans(plans);
    }

    if (SCALE > 1) {
      const growStarted = performance.now();
      await addTasks(deps, world.coalitionId, TASKS + 1, TASKS * SCALE);
      console.log(
        `\nGrew to ${(TASKS * SCALE + 500).toLocaleString("en")} tasks (${SCALE}×) in ${((performance.now() - growStarted) / 1000).toFixed(1)} s.`,
      );
      const scaled = await measureAll();
      printTable(scaled);
      console.log(`\nRatios at ${SCALE}× the data (p50 after / p50 before; budget at 10×: at most ${BUDGETS.growthAt10x}):`);
      for (const [i, row] of scaled.entries()) {
        const before = rows[i];
        if (!before) continue;
        const ratio = row.p50 / before.p50;
        if (SCALE <= 10) budgets.atMost(`${row.name}: p50 at ${SCALE}×/1×`, ratio, BUDGETS.growthAt10x);
        console.log(
          `  ${row.name.padEnd(48)} ${before.p50.toFixed(2).padStart(8)} ms → ${row.p50.toFixed(2).padStart(8)} ms  ×${ratio.toFixed(2)}${ratio > BUDGETS.growthAt10x ? "  OVER" : ""}`,
        );
      }
      if (plans && url) {
        const after = await explainAll(deps.db, url);
        console.log(`\nEXPLAIN (ANALYZE, BUFFERS) at ${(TASKS * SCALE + 500).toLocaleString("en")} tasks (best of 3):`);
        printPlans(after);
        console.log(`\nPlan ratios at ${SCALE}× (execution time, buffers):`);
        for (const [i, line] of after.entries()) {
          const before = plans[i];
          if (!before) continue;
          const ratio = line.ms / before.ms;
          if (SCALE <= 10) budgets.atMost(`plan ${line.name} (${line.mode}): time at ${SCALE}×/1×`, ratio, BUDGETS.growthAt10x);
          console.log(
            `  ${`${line.name} (${line.mode})`.padEnd(48)} ${before.ms.toFixed(3).padStart(9)} → ${line.ms.toFixed(3).padStart(9)} ms ×${ratio.toFixed(2)}  buffers ${before.buffers} → ${line.buffers}${ratio > BUDGETS.growthAt10x ? "  OVER" : ""}`,
          );
        }
      }
    }

    const mix = [
      "/api/me",
      `/api/coalitions/${world.coalitionId}/members`,
      `${tasks}?limit=50`,
      `${tasks}?campaignId=${campaignId}&status=todo&limit=50`,
      `/api/coalitions/${world.coalitionId}/audit`,
    ];
    console.log(`Measuring ${CLIENTS} concurrent clients over HTTP for ${SECONDS * 2} s…`);
    const load = await concurrent(app, mix, cookie);

    const memory = process.memoryUsage();
    console.log(
      `\nProcess RSS ${mb(memory.rss)} (heap used ${mb(memory.heapUsed)}). Sequential requests, in process, on ${engine}. Total ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
    );
    console.log(
      `\n${CLIENTS} concurrent clients (me, members, tasks, board column, audit): ${load.n} requests, ${load.errors} errors, ${load.perSecond.toFixed(0)} req/s, ` +
        `latency p50 ${load.p50.toFixed(1)} ms, p99 ${load.p99.toFixed(1)} ms, max ${load.max.toFixed(1)} ms.` +
        `\nEvent-loop delay under that load: p50 ${load.loopP50.toFixed(1)} ms, p99 ${load.loopP99.toFixed(1)} ms, max ${load.loopMax.toFixed(1)} ms.`,
    );
    budgets.msAtMost("event-loop delay p99 under load", load.loopP99, BUDGETS.eventLoopP99Ms);
    budgets.print();
    if (rows.some((r) => r.errors > 0)) console.log("Some requests did not answer 200: see the err column.");
  } finally {
    await cleanup();
  }
}

await main();
