/**
 * `pnpm chaos`: restart PostgreSQL under load and measure how long Samakki takes to serve again.
 *
 * 1. initdb a scratch PostgreSQL 15 cluster in a temporary folder, on a port of its own
 *    (as the `postgres` user when run as root: initdb refuses root);
 * 2. build and start the API (dist/server.js) against it, with the background jobs on;
 * 3. put load on it: CHAOS_CLIENTS loops of HTTP requests to loopback (/readyz and /api/setup,
 *    which both query the database), each with a deadline, for a bounded time;
 * 4. restart PostgreSQL (`pg_ctl restart -m fast`) while the requests are in flight;
 * 5. print the recovery time: from PostgreSQL accepting connections again to the app's first
 *    successful database-backed answer, and how the in-flight requests ended;
 * 6. stop the app and PostgreSQL and delete the folder, whatever happened.
 *
 *   CHAOS_CLIENTS        concurrent clients (default 50)
 *   CHAOS_ROUNDS         restarts (default 3)
 *   CHAOS_PORT           PostgreSQL's port (default 55432); the app uses CHAOS_PORT + 1
 *   CHAOS_PG_BIN         PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
 *   CHAOS_SERVER         the built server to start (default dist/server.js, built first)
 *   CHAOS_MODE           restart (default) or terminate (pg_terminate_backend of the app's connections)
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";

const CLIENTS = Number(process.env.CHAOS_CLIENTS || 50);
const ROUNDS = Number(process.env.CHAOS_ROUNDS || 3);
const PG_PORT = Number(process.env.CHAOS_PORT || 55432);
const APP_PORT = PG_PORT + 1;
const PG_BIN = process.env.CHAOS_PG_BIN || "/usr/lib/postgresql/15/bin";
const MODE = process.env.CHAOS_MODE === "terminate" ? "terminate" : "restart";
const STATEMENT_TIMEOUT_MS = 5_000;
/** A request that has no answer after this long counts as hung. */
const HUNG_MS = STATEMENT_TIMEOUT_MS + 10_000;
/** Give up waiting for recovery after this long (the run still ends and cleans up). */
const RECOVERY_LIMIT_MS = 60_000;
const APP = `http://127.0.0.1:${APP_PORT}`;

const apiDir = new URL("..", import.meta.url).pathname;
const asRoot = process.getuid?.() === 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => console.log(`[chaos ${(performance.now() / 1000).toFixed(1)} s] ${message}`);

/** Run a PostgreSQL binary without blocking the event loop (the load keeps running). */
async function pgAsync(binary: string, args: string[]) {
  const command = join(PG_BIN, binary);
  await (asRoot ? promisify(execFile)("runuser", ["-u", "postgres", "--", command, ...args]) : promisify(execFile)(command, args));
}

/** Run a PostgreSQL binary, as the postgres user when we are root. */
function pg(binary: string, args: string[]) {
  const command = join(PG_BIN, binary);
  return asRoot
    ? execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" })
    : execFileSync(command, args, { stdio: "pipe" });
}

const folder = mkdtempSync(join(tmpdir(), "samakki-chaos-"));
const dataDir = join(folder, "pgdata");
const PG_OPTIONS = `-p ${PG_PORT} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
let app: ChildProcess | undefined;
let pgStarted = false;

async function cleanup() {
  if (app && app.exitCode === null) {
    app.kill("SIGTERM");
    await Promise.race([new Promise((resolve) => app?.once("exit", resolve)), sleep(15_000)]);
    if (app.exitCode === null) app.kill("SIGKILL");
  }
  if (pgStarted) {
    try {
      pg("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    } catch {
      // already stopped
    }
  }
  rmSync(folder, { recursive: true, force: true });
}

interface Outcome {
  ok: boolean;
  status: number;
  ms: number;
  hung: boolean;
}

async function request(path: string): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(`${APP}${path}`, { signal: AbortSignal.timeout(HUNG_MS) });
    await res.arrayBuffer();
    return { ok: res.status === 200, status: res.status, ms: performance.now() - started, hung: false };
  } catch (error) {
    const hung = error instanceof Error && error.name === "TimeoutError";
    return { ok: false, status: 0, ms: performance.now() - started, hung };
  }
}

async function main() {
  if (!existsSync(join(PG_BIN, "initdb"))) throw new Error(`no PostgreSQL binaries in ${PG_BIN} (set CHAOS_PG_BIN)`);
  if (asRoot) {
    chmodSync(folder, 0o777);
  }
  log(`initdb in ${dataDir}, port ${PG_PORT}`);
  pg("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  pg("pg_ctl", ["-D", dataDir, "-l", join(folder, "postgres.log"), "-o", PG_OPTIONS, "-w", "start"]);
  pgStarted = true;
  const url = `postgres://postgres@127.0.0.1:${PG_PORT}/postgres`;

  let server = process.env.CHAOS_SERVER;
  if (!server) {
    log("building the API (node build.mjs)");
    execFileSync("node", ["build.mjs"], { cwd: apiDir, stdio: "inherit" });
    server = join(apiDir, "dist/server.js");
  }
  const appLog: string[] = [];
  app = spawn("node", [server], {
    cwd: apiDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: url,
      PORT: String(APP_PORT),
      HOST: "127.0.0.1",
      PUBLIC_URL: APP,
      LOG_LEVEL: "warn",
      WORKERS: "true",
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE_POOL_SIZE: "10",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    appLog.push(chunk.toString());
    if (appLog.length > 200) appLog.shift();
  };
  app.stdout?.on("data", keep);
  app.stderr?.on("data", keep);
  for (let i = 0; i < 100 && !(await request("/readyz")).ok; i++) await sleep(200);
  if (!(await request("/api/setup")).ok) throw new Error(`the app did not start:\n${appLog.join("")}`);
  log(`app ready on ${APP}; ${CLIENTS} clients, ${ROUNDS} ${MODE}s`);

  const recoveries: number[] = [];
  let hungTotal = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    let stop = false;
    const outcomes: (Outcome & { at: number })[] = [];
    const loops = Array.from({ length: CLIENTS }, async (_, i) => {
      // Bounded: stops when asked, or after the recovery limit at the latest.
      const end = performance.now() + RECOVERY_LIMIT_MS + HUNG_MS + 10_000;
      while (!stop && performance.now() < end) {
        const at = performance.now();
        outcomes.push({ ...(await request(i % 2 ? "/api/setup" : "/readyz")), at });
      }
    });
    await sleep(2_000);

    const downAt = performance.now();
    if (MODE === "restart") {
      // -l: the server must not inherit our pipes (pg_ctl would never return).
      await pgAsync("pg_ctl", ["-D", dataDir, "-l", join(folder, "postgres.log"), "-m", "fast", "-w", "restart", "-o", PG_OPTIONS]);
    } else {
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and backend_type = 'client backend'`;
      await admin.end();
    }
    const backAt = performance.now();

    // Recovered: the first moment from which a /readyz and an /api/setup both succeed.
    let recoveredAt: number | undefined;
    while (performance.now() - backAt < RECOVERY_LIMIT_MS) {
      const [ready, setup] = await Promise.all([request("/readyz"), request("/api/setup")]);
      if (ready.ok && setup.ok) {
        recoveredAt = performance.now();
        break;
      }
      await sleep(50);
    }
    // Let the requests in flight at the restart finish (or time out as hung).
    await sleep(1_000);
    stop = true;
    await Promise.all(loops);

    const around = outcomes.filter((o) => o.at <= backAt && o.at + o.ms >= downAt);
    const hung = outcomes.filter((o) => o.hung).length;
    hungTotal += hung;
    const slowest = Math.max(0, ...around.map((o) => o.ms));
    const failed = outcomes.filter((o) => !o.ok && o.at >= downAt).length;
    if (recoveredAt === undefined) {
      log(`round ${round}: NOT RECOVERED within ${RECOVERY_LIMIT_MS / 1000} s; ${hung} requests hung`);
    } else {
      const seconds = (recoveredAt - backAt) / 1000;
      recoveries.push(seconds);
      log(
        `round ${round}: PostgreSQL ${MODE === "restart" ? "restarted" : "killed the app's connections"} in ${((backAt - downAt) / 1000).toFixed(2)} s; ` +
          `app serving again ${seconds.toFixed(2)} s after; in flight during the outage: ${around.length} requests, slowest answer ${(slowest / 1000).toFixed(2)} s; ` +
          `${failed} errors after the restart, ${hung} hung (no answer in ${HUNG_MS / 1000} s); ${outcomes.length} requests in the round`,
      );
    }
  }
  const worst = recoveries.length ? Math.max(...recoveries) : Number.NaN;
  console.log(
    `\nRecovery time after a PostgreSQL ${MODE}: ${recoveries.map((s) => `${s.toFixed(2)} s`).join(", ") || "none"}` +
      ` (worst ${Number.isNaN(worst) ? "n/a" : `${worst.toFixed(2)} s`}; ${ROUNDS - recoveries.length} of ${ROUNDS} rounds never recovered; ${hungTotal} requests hung).`,
  );
  process.exitCode = recoveries.length === ROUNDS && hungTotal === 0 ? 0 : 1;
}

// Ctrl-C or a timeout still stops PostgreSQL and the app.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
