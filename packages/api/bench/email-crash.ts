/**
 * `pnpm --filter @samakki/api bench:email-crash`: emails under kill -9.
 *
 * Starts a fake Resend on 127.0.0.1 (slow, fails FAIL_RATE of the requests with a 500, records
 * every delivery with its Idempotency-Key and never deduplicates), creates a scratch database on
 * the PostgreSQL server of DATABASE_URL, runs WORKER_PROCESSES copies of the real server
 * (src/server.ts with WORKERS=true and RESEND_BASE_URL pointing at the fake) and, while EMAILS
 * emails are queued at a steady rate (paced so they spread over the kills), kill -9s one of them KILLS times, restarting it each time.
 * (Each kill waits until every process is up again, so one kill at a time leaves the others working,
 * then for the target to be waiting for the fake: every kill cuts a send.)
 * Then it waits for every email to be delivered (or MAX_WAIT_SECONDS), and prints: lost emails,
 * emails delivered twice under the same key and under different keys, and the delivery delay
 * (from queueing to the first delivery) p50 / p95 / max, overall and for the emails the fake
 * never failed (their delay is what crashes and queueing cost, without the retry backoff).
 * The scratch database is dropped at the end. A benchmark, not a test: it never fails on numbers.
 *
 *   DATABASE_URL       PostgreSQL server to create the scratch database on (default postgres://postgres@127.0.0.1:5432/postgres)
 *   APP_DIR            the packages/api folder whose server to run (default: this one; point it
 *                      at a `git worktree` of an older commit to measure "before")
 *   EMAILS=200 KILLS=20 WORKER_PROCESSES=2 FAIL_RATE=0.1 DELAY_MIN_MS=100 DELAY_MAX_MS=1000
 *   ENQUEUE_PER_SECOND=2.5 MAX_WAIT_SECONDS=900 SEED (for the fake's random choices)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

const env = process.env;
const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
const ADMIN_URL = env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const APP_DIR = resolve(env.APP_DIR || join(dirname(fileURLToPath(import.meta.url)), ".."));
const EMAILS = num("EMAILS", 200);
const KILLS = num("KILLS", 20);
const PROCESSES = num("WORKER_PROCESSES", 2);
const FAIL_RATE = num("FAIL_RATE", 0.1);
const DELAY_MIN_MS = num("DELAY_MIN_MS", 100);
const DELAY_MAX_MS = num("DELAY_MAX_MS", 1000);
const ENQUEUE_PER_SECOND = num("ENQUEUE_PER_SECOND", 2.5);
const MAX_WAIT_SECONDS = num("MAX_WAIT_SECONDS", 900);

// A small seeded generator (mulberry32), so two runs make the same choices in the fake.
let seed = num("SEED", 42) >>> 0;
function random(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const log = (line: string) => process.stdout.write(`[${elapsed()}] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// The fake Resend: the email counts as delivered once the request is in (like a provider that
// accepted it); the answer comes DELAY later, so a worker killed meanwhile never learns it.

interface Delivery {
  key: string;
  to: string;
  at: number;
}
const deliveries: Delivery[] = [];
const failedTo = new Set<string>();
let requests = 0;
let failures = 0;
let unanswered = 0;
/** Requests in flight per API key (one key per worker process). */
const sending = new Map<string, number>();

const fake = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    requests++;
    // Each worker process has its own API key, so the fake knows which one is waiting.
    const sender = String(req.headers.authorization ?? "");
    sending.set(sender, (sending.get(sender) ?? 0) + 1);
    res.on("close", () => sending.set(sender, (sending.get(sender) ?? 1) - 1));
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { to?: string[] };
    const to = body.to?.[0] ?? "";
    const key = String(req.headers["idempotency-key"] ?? "");
    const delay = DELAY_MIN_MS + (DELAY_MAX_MS - DELAY_MIN_MS) * random();
    const fail = random() < FAIL_RATE;
    if (fail) {
      failures++;
      failedTo.add(to);
    } else {
      deliveries.push({ key, to, at: Date.now() });
    }
    setTimeout(() => {
      if (res.destroyed || req.socket.destroyed) {
        // The worker was killed waiting: it never learns this email went out.
        if (!fail) unanswered++;
        return;
      }
      res.setHeader("content-type", "application/json");
      res.statusCode = fail ? 500 : 200;
      res.end(
        JSON.stringify(
          fail ? { statusCode: 500, name: "internal_server_error", message: "fake failure" } : { id: `re_${deliveries.length}` },
        ),
      );
    }, delay);
  });
});

// ---------------------------------------------------------------------------------------------
// Worker processes: the real server, killed with SIGKILL and started again.

interface Slot {
  port: number;
  child: ChildProcess | undefined;
  dataDir: string;
}

let starts = 0;
function startServer(slot: Slot, databaseUrl: string, resendUrl: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: APP_DIR,
    env: {
      PATH: env.PATH,
      NODE_ENV: "development",
      PORT: String(slot.port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      // A fresh folder per start: nothing of a killed process's (a data-dir lock) is in the way.
      DATA_DIR: `${slot.dataDir}-${++starts}`,
      WORKERS: "true",
      RESEND_API_KEY: `re_bench_${slot.port}`,
      RESEND_BASE_URL: resendUrl,
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  slot.child = child;
}

async function ready(slot: Slot, timeoutMs = 60_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!slot.child || slot.child.exitCode !== null) return false;
    try {
      const res = await fetch(`http://127.0.0.1:${slot.port}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return false;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function main() {
  const name = `samakki_email_crash_${process.pid}_${Date.now()}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const target = new URL(ADMIN_URL);
  target.pathname = `/${name}`;
  const databaseUrl = target.toString();
  const db = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const tmp = mkdtempSync(join(tmpdir(), "samakki-email-crash-"));
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  const resendUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  log(`app ${APP_DIR}; database ${name}; fake Resend ${resendUrl}`);

  const slots: Slot[] = [];
  for (let i = 0; i < PROCESSES; i++) slots.push({ port: await freePort(), child: undefined, dataDir: join(tmp, `data-${i}`) });
  const enqueuedAt = new Map<string, number>();
  try {
    // The first server migrates the scratch database; the others start once it is ready.
    for (const slot of slots) {
      startServer(slot, databaseUrl, resendUrl);
      if (!(await ready(slot))) throw new Error("a worker process did not start; run it by hand to see why");
    }
    log(`${PROCESSES} worker process(es) ready`);

    // Queue the emails at a steady rate in the background, spread over the kills: email i waits
    // for kill floor(i * KILLS / EMAILS), so every kill happens while emails are being sent.
    let kills = 0;
    const enqueue = (async () => {
      for (let i = 0; i < EMAILS; i++) {
        while (kills < Math.floor((i * KILLS) / EMAILS)) await sleep(50);
        const to = `crash-${i}@bench.example.org`;
        enqueuedAt.set(to, Date.now());
        await db`
          INSERT INTO outbox_email (to_address, template, language, subject, html, text)
          VALUES (${to}, 'password_reset', 'en', 'Bench', ${`<p>email ${i}</p>`}, ${`email ${i}`})`;
        await sleep(1000 / ENQUEUE_PER_SECOND);
      }
    })();

    // Kill -9 the processes in turn, each once it has been up and working for 1 to 3 s.
    const killedAt: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const slot = slots[k % PROCESSES];
      if (!slot) break;
      // Every process up (so another one is working while this one is down), then 1 to 3 s of work.
      for (const other of slots) await ready(other);
      await sleep(1000 + 2000 * random());
      // …and then the moment it is waiting for the provider (up to 10 s), so the kill cuts a send.
      for (let waited = 0; waited < 10_000 && !(sending.get(`Bearer re_bench_${slot.port}`) ?? 0); waited += 20) await sleep(20);
      slot.child?.kill("SIGKILL");
      killedAt.push(Date.now());
      kills++;
      log(`kill ${k + 1}/${KILLS} (port ${slot.port}); ${deliveries.length} deliveries so far`);
      startServer(slot, databaseUrl, resendUrl);
    }
    await enqueue;
    log(`all ${EMAILS} emails queued; waiting for delivery`);

    const delivered = () => new Set(deliveries.map((d) => d.to)).size;
    const until = Date.now() + MAX_WAIT_SECONDS * 1000;
    let lastReport = Date.now();
    while (Date.now() < until) {
      const [{ open } = { open: 0 }] = await db<
        { open: number }[]
      >`SELECT count(*)::int AS open FROM outbox_email WHERE status = 'pending'`;
      if (open === 0) break; // all sent, or dead (counted as lost below unless delivered)
      if (Date.now() - lastReport > 15_000) {
        log(`${delivered()}/${EMAILS} delivered, ${open} still pending`);
        lastReport = Date.now();
      }
      await sleep(250);
    }

    // Results.
    const byTo = new Map<string, Delivery[]>();
    for (const d of deliveries) byTo.set(d.to, [...(byTo.get(d.to) ?? []), d]);
    const rows = await db<
      { status: string; n: number }[]
    >`SELECT status, count(*)::int AS n FROM outbox_email GROUP BY status ORDER BY status`;
    let lost = 0;
    let sameKeyTwice = 0;
    let differentKeys = 0;
    let extraSameKey = 0;
    let afterKill = 0;
    /** Seconds from a kill that cut a send to the next delivery of that email (another worker's retry). */
    const retakes: number[] = [];
    const delays: number[] = [];
    const cleanDelays: number[] = [];
    for (const [to, at] of enqueuedAt) {
      const list = byTo.get(to) ?? [];
      if (list.length === 0) {
        lost++;
        continue;
      }
      const keys = new Map<string, number>();
      for (const d of list) keys.set(d.key, (keys.get(d.key) ?? 0) + 1);
      if (keys.size > 1) differentKeys++;
      const repeats = [...keys.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
      // A repeat a crash explains: a kill soon after the previous delivery of that key, before
      // the worker could have recorded it (the answer takes up to DELAY_MAX_MS).
      const sorted = list.map((d) => d.at).sort((a, b) => a - b);
      for (let j = 1; j < sorted.length; j++) {
        const previous = sorted[j - 1] ?? 0;
        const kill = killedAt.find((k) => k >= previous && k <= previous + DELAY_MAX_MS + 1000);
        if (kill === undefined) continue;
        afterKill++;
        // (An email the fake also failed waits out a backoff as well: left out of this figure.)
        if (!failedTo.has(to)) retakes.push(((sorted[j] ?? 0) - kill) / 1000);
      }
      if (repeats > 0) sameKeyTwice++;
      extraSameKey += repeats;
      const delay = (Math.min(...list.map((d) => d.at)) - at) / 1000;
      delays.push(delay);
      if (!failedTo.has(to)) cleanDelays.push(delay);
    }
    // Emails the fake never failed but that were claimed more than once: a kill interrupted a
    // claim on them. Their delay to the last delivery (the one the worker that took the claim
    // over made) is what waiting out the dead process's claim cost.
    const attempts = await db<{ to_address: string; attempts: number }[]>`SELECT to_address, attempts FROM outbox_email`;
    const interrupted: number[] = [];
    for (const row of attempts) {
      const list = byTo.get(row.to_address) ?? [];
      const last = list[list.length - 1];
      const at = enqueuedAt.get(row.to_address);
      if (row.attempts > 1 && !failedTo.has(row.to_address) && last && at !== undefined) interrupted.push((last.at - at) / 1000);
    }
    interrupted.sort((a, b) => a - b);
    const mean = interrupted.reduce((n, d) => n + d, 0) / Math.max(1, interrupted.length);
    delays.sort((a, b) => a - b);
    cleanDelays.sort((a, b) => a - b);
    retakes.sort((a, b) => a - b);
    const fmt = (list: number[]) =>
      `p50 ${percentile(list, 50).toFixed(1)} s, p95 ${percentile(list, 95).toFixed(1)} s, max ${(list[list.length - 1] ?? Number.NaN).toFixed(1)} s (n=${list.length})`;
    const out = [
      "",
      `app:                     ${APP_DIR}`,
      `emails:                  ${EMAILS} queued at ${ENQUEUE_PER_SECOND}/s, ${PROCESSES} worker processes, ${killedAt.length} kill -9s`,
      `fake Resend:             ${requests} requests, ${failures} answered 500 (${(FAIL_RATE * 100).toFixed(0)}%), ${DELAY_MIN_MS}-${DELAY_MAX_MS} ms each`,
      `outbox rows:             ${rows.map((r) => `${r.status} ${r.n}`).join(", ")}`,
      `lost:                    ${lost}`,
      `delivered twice, same key:       ${sameKeyTwice} emails (${extraSameKey} extra deliveries)`,
      `  of which a kill came within ${(DELAY_MAX_MS + 1000) / 1000} s of the previous delivery: ${afterKill}`,
      `  (deliveries answered after their worker was killed: ${unanswered})`,
      `  from the kill to the retry's delivery (never failed): ${fmt(retakes)}`,
      `delivered twice, different keys: ${differentKeys} emails`,
      `delivery delay, all:             ${fmt(delays)}`,
      `delivery delay, never failed:    ${fmt(cleanDelays)}`,
      `delay to the last delivery, claim cut by a kill (never failed, claimed more than once): ${fmt(interrupted)}, mean ${mean.toFixed(1)} s`,
      `total time:              ${elapsed()}`,
      "",
    ];
    process.stdout.write(out.join("\n"));
  } finally {
    for (const slot of slots) slot.child?.kill("SIGKILL");
    await sleep(200);
    await db.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    fake.closeAllConnections();
    fake.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
