/**
 * `pnpm --filter @samakki/api exec tsx bench/sigterm.ts`: what SIGTERM does to a server under load.
 * A measurement, not a test: it prints a table and never fails.
 *
 * Starts the real server (src/server.ts, or SIGTERM_ENTRY) as a child process on a fresh PGlite
 * DATA_DIR, or, with DATABASE_URL, a fresh database on that server (dropped after). 50 clients
 * (SIGTERM_CLIENTS) send GET /api/setup (one query) in a loop, with keep-alive and then without;
 * after 3 s the server gets SIGTERM and the clients go on until it has exited. Per request:
 * - started before the signal: answered, or lost (reset, or no complete answer): must be 0;
 * - started after: answered, refused (ECONNREFUSED: nothing was sent, safe to retry) or reset.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

const CLIENTS = Number(process.env.SIGTERM_CLIENTS || 50);
const ENTRY = process.env.SIGTERM_ENTRY || "src/server.ts";
const adminUrl = process.env.DATABASE_URL;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

type Outcome = "answered" | "refused" | "reset";

function get(url: string, agent: Agent | false): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.complete ? "answered" : "reset"));
      res.on("aborted", () => resolve("reset"));
      res.on("error", () => resolve("reset"));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED" ? "refused" : "reset"));
    req.end();
  });
}

async function scenario(keepAlive: boolean) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), "samakki-sigterm-"));
  let dbName: string | undefined;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: url,
    LOG_LEVEL: "warn",
    NODE_ENV: "test",
  };
  if (adminUrl) {
    dbName = `samakki_sigterm_${process.pid}_${Date.now()}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const target = new URL(adminUrl);
    target.pathname = `/${dbName}`;
    env.DATABASE_URL = target.toString();
  } else {
    env.DATA_DIR = join(dir, "data");
  }
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY], { env, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  for (let i = 0; i < 600 && running; i++) {
    if ((await get(`${url}/healthz`, false)) === "answered") break;
    await new Promise((r) => setTimeout(r, 250));
  }

  let signalledAt = Number.POSITIVE_INFINITY;
  const before: Record<Outcome, number> = { answered: 0, refused: 0, reset: 0 };
  const after: Record<Outcome, number> = { answered: 0, refused: 0, reset: 0 };
  const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: CLIENTS }) : false;
  const client = async () => {
    while (running) {
      const started = performance.now();
      const outcome = await get(`${url}/api/setup`, agent);
      (started < signalledAt ? before : after)[outcome]++;
      // A refused client waits a little, as a load balancer would before trying again.
      if (outcome === "refused") await new Promise((r) => setTimeout(r, 50));
    }
  };
  const clients = Array.from({ length: CLIENTS }, client);
  await new Promise((r) => setTimeout(r, 3000));
  signalledAt = performance.now();
  child.kill("SIGTERM");
  const code = await exited;
  const exitMs = Math.round(performance.now() - signalledAt);
  await Promise.all(clients);
  if (agent) agent.destroy();
  if (dbName && adminUrl) {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  rmSync(dir, { recursive: true, force: true });
  const lost = before.reset + before.refused;
  console.log(
    `| ${adminUrl ? "PostgreSQL" : "PGlite"} | ${keepAlive ? "keep-alive" : "no keep-alive"} | ${before.answered} | **${lost}** | ${after.answered} | ${after.refused} | ${after.reset} | ${code} | ${exitMs} |`,
  );
}

console.log(`SIGTERM under load: ${CLIENTS} clients, entry ${ENTRY}\n`);
console.log(
  "| engine | connections | answered (before) | lost (before) | answered (after) | refused (after) | reset (after) | exit code | exit after (ms) |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
if (!process.env.SIGTERM_ONLY_CLOSE) await scenario(true);
await scenario(false);
