/**
 * `pnpm loadtest [--scale N]`: the main reads and writes of Samakki under concurrent load, through
 * the real HTTP server, on PostgreSQL. A benchmark, not a test: it prints a table and never fails
 * on numbers; it exits non-zero only when the app answers something other than 2xx (or the
 * connection fails), since that is a bug, not a figure.
 *
 *   --scale N              1 (default): 300 organisations, 1,500 people, 200,000 tasks; 10: 2,000,000 tasks
 *   DATABASE_URL           the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres); a
 *                          fresh database is created there and dropped at the end
 *   LOADTEST_KEEP=1        keep that database (its name is printed)
 *   LOADTEST_TASKS         number of tasks, overriding 200,000 × N (e.g. on a busy machine)
 *   LOADTEST_SECONDS       duration of each autocannon run (default 5); each endpoint gets three runs
 *                          (app, bare, two app instances) after a 1 s warm-up of each
 *   LOADTEST_CONNECTIONS   concurrent connections (default 50; split between the two instances)
 *   LOADTEST_ENDPOINTS     comma-separated subset of tasks,board,mine,statement,members,status,ballot
 *   LOG_LEVEL              the app's log level (default info, to a pipe, as in production)
 *   LOADTEST_SHOW_SQL=1    print the SQL the app ran for each endpoint's captured request
 *   LOADTEST_CPU_PROF      a directory: each server process writes a V8 CPU profile there (node --cpu-prof)
 *   BENCH_ENFORCE=1        exit 3 when a figure is over its budget (bench/budgets.ts); printed either way
 *
 * What runs (see loadtest-server.ts): two server processes, each createApp + @hono/node-server
 * with its own pool (DATABASE_POOL_SIZE); the first also serves bare node:http handlers doing the
 * same database work (reads: the app's captured SQL replayed; writes: the same session, access and
 * service functions), so "app/bare" isolates Hono, the middleware, zod and the serialisation.
 * autocannon runs in this process. Per endpoint the table gives throughput, p50/p95/p99 latency,
 * the server process's Node CPU per request (process.cpuUsage over IPC), app/bare ratios, and the
 * throughput of the two instances (autocannon spreading its connections over both URLs) over one.
 * Throughput is responses over the run's duration; latencies are those of the responses received
 * (requests still in the server at the deadline are finished, not timed, before the next run);
 * "queries app/bare" is how many queries each ran for one sample request (the app's once-a-minute
 * session touch can make it one more).
 *
 * Endpoints: the task list, a campaign board, "my tasks" (a representative), a statement with its
 * open vote, the coalition's members; a task status change (the assignee organisation's admin,
 * cycling through the statuses of 5,000 tasks) and a ballot cast (each eligible organisation's
 * representative in turn, changing its ballot), each write with its own body and session cookie.
 *
 * Over 400 lines on purpose: one scenario read top to bottom (set-up, population, write generators,
 * the driver, the table), a tenth of it this description; its seeding already lives in seed.ts and
 * its servers in loadtest-server.ts. A benchmark, not application code.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { DatabaseHandle } from "../src/db/client.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import type { AppDeps } from "../src/lib/context.ts";
import { createLogger } from "../src/lib/logger.ts";
import { argon2Hasher } from "../src/modules/auth/passwords.ts";
import { createSession } from "../src/modules/auth/sessions.service.ts";
import { BUDGETS, BudgetReport } from "./budgets.ts";
import { formatTable } from "./format.ts";
import { COOKIE, type Init, ORIGIN, type Ready, type SampleRequest } from "./loadtest-server.ts";
import { addTasks, ORGANISATIONS, openDatabase, seed, seedCampaigns } from "./seed.ts";

type Result = { requests: { total: number }; duration: number; non2xx: number; errors: number; timeouts: number };
type Tracker = { on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void };
// autocannon is CommonJS without type declarations: the callback API and the "response" event are all we use.
const autocannon = createRequire(import.meta.url)("autocannon") as (
  options: Record<string, unknown>,
  done: (error: Error | null, result: Result) => void,
) => Tracker;

const scaleAt = process.argv.indexOf("--scale");
const SCALE = scaleAt > 0 ? Number(process.argv[scaleAt + 1]) : 1;
if (!Number.isInteger(SCALE) || SCALE < 1) throw new Error("--scale takes a whole number, e.g. --scale 10");
const TASKS = Number(process.env.LOADTEST_TASKS || 200_000 * SCALE);
const SECONDS = Number(process.env.LOADTEST_SECONDS || 5);
const CONNECTIONS = Number(process.env.LOADTEST_CONNECTIONS || 50);
const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const ALL = ["tasks", "board", "mine", "statement", "members", "status", "ballot"];
const WANTED = (process.env.LOADTEST_ENDPOINTS || ALL.join(",")).split(",");
const STATUSES = ["todo", "in_progress", "blocked", "done", "cancelled"] as const;
const CHOICES = ["endorse", "object", "abstain"] as const;
const TASK_POOL = 5_000;
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** The scratch database, seeded; dropped again if seeding fails. */
async function setUp() {
  const { handle, engine, url, cleanup } = await openDatabase({
    url: DATABASE_URL,
    prefix: "samakki_loadtest",
    ...(process.env.LOADTEST_KEEP === "1" ? { keep: "LOADTEST_KEEP=1" } : {}),
  });
  try {
    if (!url) throw new Error("the load test needs PostgreSQL");
    return { ...(await populate(handle, engine)), url, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function populate(handle: DatabaseHandle, engine: string) {
  const config = loadConfig({ NODE_ENV: "production", PUBLIC_URL: ORIGIN, LOG_LEVEL: "silent", WORKERS: "false" });
  const deps: AppDeps = {
    config,
    db: handle.db,
    logger: createLogger("silent"),
    passwords: argon2Hasher,
    devMailbox: true,
    ping: async () => {},
  };
  await migrateToLatest(handle.db);
  let started = performance.now();
  const world = await seed(deps);
  console.log(`Seeded ${ORGANISATIONS} organisations and ${world.people.length} people on ${engine} in ${seconds(started)}.`);
  started = performance.now();
  const { campaignId } = await seedCampaigns(deps, world.coalitionId);
  await addTasks(deps, world.coalitionId, 1, TASKS);
  // "My tasks": a tenth of the tasks are delegated to their organisation's representative.
  await sql`UPDATE task t SET assignee_person_id = m.person_id FROM membership m
    WHERE m.organisation_id = t.assignee_organisation_id AND m.representative AND t.coalition_id = ${world.coalitionId}
      AND right(t.title, 1) = '0'`.execute(handle.db);
  await sql`ANALYZE task`.execute(handle.db);
  console.log(`Seeded 21 campaigns and ${(TASKS + 500).toLocaleString("en")} tasks in ${seconds(started)}.`);

  // A session (freshly authenticated, as a ballot needs) for the coordinator and every representative.
  const reps = await handle.db
    .selectFrom("membership as m")
    .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
    .where("cm.coalition_id", "=", world.coalitionId)
    .where("m.representative", "=", true)
    .select(["m.person_id", "m.organisation_id", "cm.status"])
    .orderBy("m.organisation_id")
    .execute();
  const cookieOf = new Map<string, string>();
  for (const r of reps) {
    const session = await createSession(handle.db, config, r.person_id, "loadtest");
    cookieOf.set(r.organisation_id, `${COOKIE}=${session.token}`);
  }
  const coordinatorId = world.people[0]?.id;
  if (!coordinatorId) throw new Error("no coordinator");
  const coordinator = `${COOKIE}=${(await createSession(handle.db, config, coordinatorId, "loadtest")).token}`;
  const cookie = (organisationId: string | null) => {
    const c = organisationId ? cookieOf.get(organisationId) : undefined;
    if (!c) throw new Error(`no representative session for ${organisationId}`);
    return c;
  };

  // A statement with an open vote, through the API as a coordinator would.
  const app = createApp(deps);
  const post = async (path: string, body: unknown) => {
    const res = await app.request(path, {
      method: "POST",
      headers: { cookie: coordinator, origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; versions: { id: string }[] };
  };
  const statements = `/api/coalitions/${world.coalitionId}/statements`;
  const paragraph = "The coalition calls on the authorities to respect the right of association. ".repeat(20);
  const statement = await post(statements, { title: "Joint statement", bodyEn: paragraph, bodyKm: "" });
  const versionId = statement.versions[0]?.id;
  if (!versionId) throw new Error("statement without a version");
  const closesAt = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString().slice(0, 16);
  await post(`${statements}/${statement.id}/vote`, { versionId, quorum: 0.5, threshold: "majority", closesAt, totalsVisible: true });

  const pool = await handle.db
    .selectFrom("task")
    .where("coalition_id", "=", world.coalitionId)
    .where("campaign_id", "is not", null)
    .where("assignee_organisation_id", "is not", null)
    .select(["id", "status", "assignee_organisation_id"])
    .orderBy("id")
    .limit(TASK_POOL)
    .execute();
  const eligible = reps.filter((r) => r.status === "active").map((r) => r.organisation_id);
  const someRepresentative = eligible[1] ?? "";
  return { world, campaignId, statementId: statement.id, coordinator, cookie, pool, eligible, someRepresentative };
}

type World = Awaited<ReturnType<typeof setUp>>;
const json = (cookie: string) => ({ cookie, origin: ORIGIN, "content-type": "application/json" });

/** The writes' request generators: each call gives the next request (task, status, cookie; organisation, choice, cookie). */
function writeGenerators(w: World) {
  let s = 0;
  const status = (): SampleRequest => {
    const i = s++;
    const task = w.pool[i % w.pool.length];
    if (!task) throw new Error("empty task pool");
    // Each visit moves the task to the status after the one it has, so every request changes it.
    const from = STATUSES.indexOf(task.status);
    const to = STATUSES[(from + 1 + Math.floor(i / w.pool.length)) % STATUSES.length] ?? "todo";
    return {
      method: "POST",
      path: `/api/coalitions/${w.world.coalitionId}/tasks/${task.id}/status`,
      headers: json(w.cookie(task.assignee_organisation_id)),
      body: JSON.stringify({ status: to }),
    };
  };
  let b = 0;
  const ballot = (): SampleRequest => {
    const i = b++;
    const organisationId = w.eligible[i % w.eligible.length] ?? "";
    const choice = CHOICES[(i + Math.floor(i / w.eligible.length)) % CHOICES.length];
    return {
      method: "POST",
      path: `/api/coalitions/${w.world.coalitionId}/statements/${w.statementId}/vote/ballots`,
      headers: json(w.cookie(organisationId)),
      body: JSON.stringify({ organisationId, choice, named: i % 2 === 0, comment: `Ballot ${i}` }),
    };
  };
  return { status, ballot };
}

class Instance {
  private readonly waiting: Array<{ resolve: (message: unknown) => void; reject: (error: Error) => void }> = [];
  private exited: Error | undefined;
  readonly child: ChildProcess;
  constructor(name: string) {
    this.child = fork(fileURLToPath(new URL("./loadtest-server.ts", import.meta.url)), [], {
      execArgv: [
        "--import",
        "tsx",
        ...(process.env.LOADTEST_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.LOADTEST_CPU_PROF}`] : []),
      ],
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    // The app's log lines go to a pipe, as under a supervisor; read and dropped.
    this.child.stdout?.resume();
    this.child.on("message", (message) => this.waiting.shift()?.resolve(message));
    // A server that dies fails whatever waits on it, so that the scratch database is still dropped.
    this.child.on("exit", (code) => {
      this.exited = new Error(`server process ${name} exited with ${code}`);
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    });
  }
  next<T>(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.exited) reject(this.exited);
      else this.waiting.push({ resolve: (m) => resolve(m as T), reject });
    });
  }
  async start(init: Init): Promise<Ready> {
    const ready = this.next<Ready>();
    this.child.send(init);
    return ready;
  }
  /** Once the server has finished the requests it holds: its CPU time (µs) and the requests it has handled. */
  async cpu(): Promise<{ us: number; served: number }> {
    const reply = this.next<{ usage: { user: number; system: number }; served: number }>();
    this.child.send({ type: "cpu" });
    const { usage, served } = await reply;
    return { us: usage.user + usage.system, served };
  }
  async stop() {
    if (this.exited) return;
    const done = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send({ type: "stop" });
    await done;
  }
}

interface Measured {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  cpuUs: number;
  total: number;
  bad: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** One autocannon run against `urls` (its connections spread over them), with the servers' CPU meanwhile. */
async function drive(urls: string[], request: () => SampleRequest, servers: Instance[], duration: number): Promise<Measured> {
  const cpuBefore = await Promise.all(servers.map((s) => s.cpu()));
  const times: number[] = [];
  const first = request();
  const result = await new Promise<Result>((resolve, reject) => {
    const tracker = autocannon(
      {
        url: urls.map((u) => `${u}${first.path}`),
        connections: CONNECTIONS,
        duration,
        requests: [
          {
            setupRequest: (req: Record<string, unknown>) => {
              const r = request();
              return { ...req, method: r.method, path: r.path, headers: r.headers, ...(r.body ? { body: r.body } : {}) };
            },
          },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    tracker.on("response", (_client, _status, _bytes, ms) => times.push(ms));
  });
  const cpuAfter = await Promise.all(servers.map((s) => s.cpu()));
  const used = cpuAfter.reduce((sum, after, i) => sum + after.us - (cpuBefore[i]?.us ?? 0), 0);
  const served = cpuAfter.reduce((sum, after, i) => sum + after.served - (cpuBefore[i]?.served ?? 0), 0);
  times.sort((a, b) => a - b);
  const total = result.requests.total;
  return {
    rps: total / result.duration,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    cpuUs: served > 0 ? used / served : Number.NaN,
    total,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

function printTable(head: string[], rows: string[][]) {
  console.log(formatTable(head, rows, { rule: true }));
}

async function main() {
  const t0 = performance.now();
  const w = await setUp();
  const instances: Instance[] = [];
  let failed = false;
  try {
    const c = `/api/coalitions/${w.world.coalitionId}`;
    const get = (path: string, cookie: string): SampleRequest => ({ method: "GET", path, headers: { cookie } });
    const reads: Record<string, SampleRequest> = {
      tasks: get(`${c}/tasks?limit=50`, w.coordinator),
      board: get(`${c}/tasks?campaignId=${w.campaignId}&limit=100`, w.coordinator),
      mine: get(`${c}/tasks?view=mine&limit=50`, w.cookie(w.someRepresentative)),
      statement: get(`${c}/statements/${w.statementId}`, w.coordinator),
      members: get(`${c}/members`, w.coordinator),
    };
    const gen = writeGenerators(w);
    const writers = { status: gen.status, ballot: gen.ballot };
    const wantedReads = Object.fromEntries(Object.entries(reads).filter(([name]) => WANTED.includes(name)));
    const wantedWrites = Object.fromEntries(
      (["status", "ballot"] as const)
        .filter((name) => WANTED.includes(name))
        .map((name) => [name, { kind: name, samples: [writers[name](), writers[name]()] as [SampleRequest, SampleRequest] }]),
    );
    const one = new Instance("1");
    const two = new Instance("2");
    instances.push(one, two);
    const [ready, second] = await Promise.all([
      one.start({ type: "init", url: w.url, bare: true, reads: wantedReads, writes: wantedWrites }),
      two.start({ type: "init", url: w.url, bare: false, reads: {}, writes: {} }),
    ]);
    if (process.env.LOADTEST_SHOW_SQL === "1")
      for (const [name, texts] of Object.entries(ready.sql)) console.log(`${name}:\n${texts.map((t) => `  ${t}`).join("\n")}`);
    for (const [name, { appOnly, bareOnly }] of Object.entries(ready.differences)) {
      for (const text of appOnly) console.log(`  ${name}: only the app ran ${text.slice(0, 160)}`);
      for (const text of bareOnly) console.log(`  ${name}: only the bare handler ran ${text.slice(0, 160)}`);
    }
    console.log(
      `Load: ${CONNECTIONS} connections, ${SECONDS} s per run (app, bare, two instances), after 1 s of warm-up each. Setup ${seconds(t0)}.`,
    );

    const rows: string[][] = [];
    const budgets = new BudgetReport();
    for (const name of ALL) {
      if (!WANTED.includes(name)) continue;
      const read = reads[name];
      const request = read ? () => read : name === "status" ? gen.status : gen.ballot;
      const bare = ready.bare[name];
      if (!bare) throw new Error(`no bare handler for ${name}`);
      await drive([ready.app], request, [one], 1);
      await drive([bare], request, [one], 1);
      const app = await drive([ready.app], request, [one], SECONDS);
      const base = await drive([bare], request, [one], SECONDS);
      const both = await drive([ready.app, second.app], request, [one, two], SECONDS);
      const queries = ready.queries[name];
      console.log(
        `  ${name}: app ${app.rps.toFixed(0)} req/s, bare ${base.rps.toFixed(0)} req/s, two instances ${both.rps.toFixed(0)} req/s` +
          (app.bad + both.bad + base.bad > 0 ? `; NOT 2xx: app ${app.bad}, two instances ${both.bad}, bare ${base.bad}` : ""),
      );
      if (app.bad > 0 || both.bad > 0) failed = true;
      const writeP95 = BUDGETS.writeP95Ms[name];
      if (writeP95 !== undefined) budgets.msAtMost(`${name}: p95`, app.p95, writeP95);
      else {
        budgets.atLeast(`${name}: requests/s app/bare`, app.rps / base.rps, BUDGETS.readThroughput);
        budgets.atMost(`${name}: CPU/request app/bare`, app.cpuUs / base.cpuUs, BUDGETS.cpuPerRequest);
      }
      budgets.atLeast(`${name}: requests/s two instances/one`, both.rps / app.rps, BUDGETS.twoInstances);
      rows.push([
        name,
        queries ? `${queries.app}/${queries.bare}` : "",
        app.rps.toFixed(0),
        app.p50.toFixed(1),
        app.p95.toFixed(1),
        app.p99.toFixed(1),
        app.cpuUs.toFixed(0),
        base.rps.toFixed(0),
        base.p50.toFixed(1),
        base.cpuUs.toFixed(0),
        `${(app.rps / base.rps).toFixed(2)}x`,
        `${(app.cpuUs / base.cpuUs).toFixed(2)}x`,
        both.rps.toFixed(0),
        both.p99.toFixed(1),
        `${(both.rps / app.rps).toFixed(2)}x`,
        String(app.bad + both.bad),
      ]);
    }
    console.log(
      `\n--scale ${SCALE}: ${ORGANISATIONS} organisations, ${(TASKS + 500).toLocaleString("en")} tasks; ${CONNECTIONS} connections, ${SECONDS} s per run; latencies in ms, CPU in µs of the server process per request\n`,
    );
    printTable(
      [
        "endpoint",
        "queries app/bare",
        "req/s",
        "p50",
        "p95",
        "p99",
        "CPU/req",
        "bare req/s",
        "bare p50",
        "bare CPU/req",
        "app/bare req/s",
        "CPU app/bare",
        "2 inst req/s",
        "2 inst p99",
        "2 inst/1 inst",
        "non-2xx",
      ],
      rows,
    );
    console.log(
      "\nbare: node:http + the same postgres.js client; reads replay the app's captured SQL, writes call the same session, access and service functions." +
        `\nAll figures from one run on this machine, including its other load; total ${seconds(t0)}.`,
    );
    budgets.print();
  } finally {
    for (const instance of instances) await instance.stop();
    await w.cleanup();
  }
  if (failed) {
    console.error("The app answered something other than 2xx (see above): exit 1.");
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
