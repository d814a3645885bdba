/**
 * `pnpm --filter @samakki/api bench:request-path`: what the framework, the middleware and the
 * request log cost per request, against bare node:http baselines, in ONE run on this machine.
 *
 * A child process (request-path-server.ts) runs the real app (createApp + @hono/node-server,
 * LOG_LEVEL info to a pipe, as in production), a bare node:http /healthz with the same headers,
 * and bare handlers running the same SQL as the app's authenticated reads (a campaign list and a
 * statement) and answering every query's rows as JSON (the table gives both bodies' sizes,
 * app/bare). autocannon drives each app/bare pair alternately, BENCH_PAIRS times, and the table
 * gives the medians: requests per second, the app/bare ratio, and the child's Node CPU
 * (process.cpuUsage) per request. The "minimal Hono" row is the framework's floor, in the app's
 * column: a Hono app of one route on @hono/node-server, with no middleware and no log line, against
 * the same bare /healthz; the distance from it to the healthz row is what Samakki's own request
 * path costs. A benchmark, not a test: it never fails on numbers.
 *
 *   BENCH_PAIRS        app/bare pairs per target (default 5; report medians of at least 5)
 *   BENCH_SECONDS      duration of each run (default 3)
 *   BENCH_CONNECTIONS  concurrent connections (default 10)
 *   BENCH_TARGETS      comma-separated subset of healthz,minimal Hono,list,statement (default all)
 *   DATABASE_URL       a PostgreSQL server (a fresh database is created and dropped); PGlite otherwise
 *   LOG_LEVEL          the app's log level (default info)
 *   BENCH_CPU_PROF     a directory: the server process writes a V8 CPU profile there (node --cpu-prof)
 *   BENCH_SIDE         app or bare: drive that side alone (for a profile of one side; no ratios)
 *   BENCH_ACCEPT_ENCODING  sent as Accept-Encoding (e.g. "gzip, deflate, br", as browsers do): the app
 *                      then compresses its answers and the bare handlers do not, so compare app with app
 *   BENCH_ENFORCE      1: exit 3 when a ratio is over its budget (bench/budgets.ts); printed either way
 *   BENCH_RATE         requests per second to send each side (autocannon's overallRate) instead of as
 *                      many as it answers: both sides then serve the same load, and the CPU columns
 *                      compare their cost per request without one side's load generator idling more
 *                      than the other's (the throughput ratio is then 1 by construction)
 */
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { BUDGETS, BudgetReport } from "./budgets.ts";
import { formatTable, median } from "./format.ts";

type Result = { requests: { average: number }; non2xx: number; errors: number; timeouts: number };
type Run = (options: Record<string, unknown>) => Promise<Result>;
// autocannon is CommonJS without type declarations: its promise API is all we use.
const autocannon = createRequire(import.meta.url)("autocannon") as Run;

const PAIRS = Number(process.env.BENCH_PAIRS || 5);
const SECONDS = Number(process.env.BENCH_SECONDS || 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const WANTED = (process.env.BENCH_TARGETS || "healthz,minimal Hono,list,statement").split(",");
const SIDE = process.env.BENCH_SIDE;
const RATE = Number(process.env.BENCH_RATE || 0);

type Target = { app: string; bare: string; authenticated: boolean; queries?: number; bytes?: { app: number; bare: number } };
type Ready = { type: "ready"; engine: string; cookie: string; targets: Record<string, Target> };
type Usage = { user: number; system: number };

const child = fork(fileURLToPath(new URL("./request-path-server.ts", import.meta.url)), [], {
  execArgv: ["--import", "tsx", ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
  stdio: ["ignore", "pipe", "inherit", "ipc"],
});
// The app's log lines go to a pipe, as under a supervisor; read and dropped.
child.stdout?.resume();

const waiting: Array<(message: unknown) => void> = [];
child.on("message", (message) => waiting.shift()?.(message));
child.on("exit", (code) => {
  if (code !== 0) {
    console.error(`server process exited with ${code}`);
    process.exit(1);
  }
});
const next = <T>() => new Promise<T>((resolve) => waiting.push((m) => resolve(m as T)));
async function cpu(): Promise<number> {
  const reply = next<{ usage: Usage }>();
  child.send({ type: "cpu" });
  const { usage } = await reply;
  return usage.user + usage.system;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
async function drive(side: "app" | "bare", url: string, headers: Record<string, string>) {
  if (SIDE && SIDE !== side) return { rps: Number.NaN, cpuUs: Number.NaN };
  const before = await cpu();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers, ...(RATE ? { overallRate: RATE } : {}) });
  const used = (await cpu()) - before;
  const total = result.requests.average * SECONDS;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, cpuUs: total > 0 ? used / total : Number.NaN };
}

async function main() {
  const ready = await next<Ready>();
  console.log(
    `request path benchmark: ${ready.engine}, ${PAIRS} pairs x ${SECONDS} s, ${CONNECTIONS} connections, LOG_LEVEL ${process.env.LOG_LEVEL || "info"}`,
  );
  const rows: string[][] = [];
  // Budgets only when both sides ran on the same answers (the bare handlers never compress) as fast as they could.
  const budgets = !SIDE && !RATE && !process.env.BENCH_ACCEPT_ENCODING ? new BudgetReport() : undefined;
  for (const [name, target] of Object.entries(ready.targets)) {
    if (!WANTED.includes(name)) continue;
    const headers: Record<string, string> = target.authenticated ? { cookie: ready.cookie } : {};
    if (process.env.BENCH_ACCEPT_ENCODING) headers["accept-encoding"] = process.env.BENCH_ACCEPT_ENCODING;
    // Warm-up of both, not counted.
    await autocannon({ url: target.app, connections: CONNECTIONS, duration: 1, headers });
    await autocannon({ url: target.bare, connections: CONNECTIONS, duration: 1, headers });
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const app: { rps: number; cpuUs: number }[] = [];
    const bare: { rps: number; cpuUs: number }[] = [];
    for (let i = 0; i < PAIRS; i++) {
      // Alternate which goes first, so a neighbour's burst does not always land on the same side.
      let a: Awaited<ReturnType<typeof drive>>;
      let b: Awaited<ReturnType<typeof drive>>;
      if (i % 2 === 0) {
        a = await drive("app", target.app, headers);
        b = await drive("bare", target.bare, headers);
      } else {
        b = await drive("bare", target.bare, headers);
        a = await drive("app", target.app, headers);
      }
      app.push(a);
      bare.push(b);
      ratios.push(a.rps / b.rps);
      cpuRatios.push(a.cpuUs / b.cpuUs);
      console.log(
        `  ${name} pair ${i + 1}: app ${a.rps.toFixed(0)} req/s ${a.cpuUs.toFixed(0)} µs; bare ${b.rps.toFixed(0)} req/s ${b.cpuUs.toFixed(0)} µs`,
      );
    }
    // The floor is a reference, not Samakki: it has no budget.
    if (name !== "minimal Hono") {
      const throughput = name === "healthz" ? BUDGETS.healthzThroughput : BUDGETS.readThroughput;
      budgets?.atLeast(`${name}: requests/s app/bare`, median(ratios), throughput);
      const cpu = name === "healthz" ? BUDGETS.healthzCpuPerRequest : BUDGETS.cpuPerRequest;
      budgets?.atMost(`${name}: CPU/request app/bare`, median(cpuRatios), cpu);
    }
    rows.push([
      name +
        (target.queries ? ` (${target.queries} queries)` : "") +
        (target.bytes ? `, ${kb(target.bytes.app)}/${kb(target.bytes.bare)} KB` : ""),
      median(app.map((r) => r.rps)).toFixed(0),
      median(bare.map((r) => r.rps)).toFixed(0),
      `${median(ratios).toFixed(2)}x`,
      median(app.map((r) => r.cpuUs)).toFixed(0),
      median(bare.map((r) => r.cpuUs)).toFixed(0),
      `${median(cpuRatios).toFixed(2)}x`,
    ]);
  }
  const head = ["target", "app req/s", "bare req/s", "app/bare", "app CPU µs/req", "bare CPU µs/req", "CPU app/bare"];
  console.log(`\nmedians of ${PAIRS} pairs\n${formatTable(head, rows)}`);
  budgets?.print();
  const done = new Promise((resolve) => child.once("exit", resolve));
  child.send({ type: "stop" });
  await done;
}

main().catch((error: unknown) => {
  console.error(error);
  child.kill();
  process.exit(1);
});
