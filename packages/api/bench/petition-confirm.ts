/**
 * `pnpm --filter @samakki/api bench:petitions`: exact counts under load. Confirmations arrive at
 * BENCH_RATE a second (default 200) for BENCH_SECONDS (default 60) through the real HTTP server
 * (POST /petitions/confirm/:token, as the button on the emailed link's page sends it), with
 * BENCH_DUPLICATES (default 10%) of them a second click on a link already sent, and a few invalid
 * tokens, at most BENCH_CONCURRENCY (default 64) in flight; a request that fails (network error,
 * 5xx) is sent again later, as a person would click again. Then it compares: confirmations
 * answered "confirmed", confirmed rows, and the count the public page shows. A benchmark, not a test: it prints figures; it exits 1 only if the counts
 * disagree. Bounded in count and time; traffic goes to 127.0.0.1 only.
 *
 * Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); it makes
 * a scratch database there and drops it at the end.
 */
import { serve } from "@hono/node-server";
import postgres from "postgres";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createDatabase } from "../src/db/client.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import type { AppDeps } from "../src/lib/context.ts";
import { generateToken, hashToken } from "../src/lib/crypto.ts";
import { createLogger } from "../src/lib/logger.ts";
import { argon2Hasher } from "../src/modules/auth/passwords.ts";
import { countSignatureRows } from "../src/modules/petitions/petitions.repository.ts";
import { petitionCounts } from "../src/modules/petitions/petitions.service.ts";

const RATE = Number(process.env.BENCH_RATE || 200);
const SECONDS = Number(process.env.BENCH_SECONDS || 60);
const DUPLICATES = Number(process.env.BENCH_DUPLICATES ?? 0.1);
const INVALID_EVERY = 500;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 64);
const URL_ = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main() {
  const name = `samakki_bench_petitions_${process.pid}_${Date.now()}`;
  const admin = postgres(URL_, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const target = new URL(URL_);
  target.pathname = `/${name}`;
  const handle = createDatabase({ url: target.toString(), maxConnections: 10 });
  const server = { close: (_: () => void) => {} };
  try {
    await migrateToLatest(handle.db);
    const config = {
      ...loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_URL: target.toString() }),
      publicUrl: "http://localhost:3000",
    };
    const deps: AppDeps = {
      config,
      db: handle.db,
      logger: createLogger("silent"),
      passwords: argon2Hasher,
      devMailbox: true,
      ping: async () => {},
    };
    const db = handle.db;

    // A coalition, a public campaign and an open petition.
    const coalition = await db
      .insertInto("coalition")
      .values({ name: "Bench coalition", slug: `bench-${process.pid}` })
      .returning("id")
      .executeTakeFirstOrThrow();
    const campaign = await db
      .insertInto("campaign")
      .values({
        coalition_id: coalition.id,
        title: "Bench campaign",
        slug: "bench",
        visibility: "public",
        starts_on: null,
        ends_on: null,
        created_by: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const petition = await db
      .insertInto("petition")
      .values({
        campaign_id: campaign.id,
        title_km: "ញត្តិ",
        title_en: "Petition",
        target: 100_000,
        opens_on: "2020-01-01",
        closes_on: "2099-12-31",
        created_by: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    // One pending signature per confirmation to send (tokens known here, stored hashed).
    const total = RATE * SECONDS;
    const unique = Math.round(total / (1 + DUPLICATES));
    const tokens = Array.from({ length: unique }, () => generateToken());
    const seedStarted = performance.now();
    const provinces = ["KH-12", "KH-17", "KH-2", "KH-8", "KH-21"];
    for (let i = 0; i < tokens.length; i += 1000) {
      await db
        .insertInto("petition_signature")
        .values(
          tokens.slice(i, i + 1000).map((token, j) => ({
            petition_id: petition.id,
            email_key: `signer${i + j}@example.org`,
            email: `signer${i + j}@example.org`,
            name: `Signer ${i + j}`,
            province: provinces[(i + j) % provinces.length] ?? "KH-12",
            language: "en" as const,
            confirm_token_hash: hashToken(token),
            confirm_expires_at: new Date(Date.now() + 86_400_000),
            withdraw_token_hash: hashToken(generateToken()),
          })),
        )
        .execute();
    }
    console.log(`seeded ${unique} pending signatures in ${Math.round(performance.now() - seedStarted)} ms`);

    // The schedule: every token once, duplicates of already-scheduled tokens mixed in, a few invalid ones.
    const schedule: string[] = [];
    let next = 0;
    for (let i = 0; i < total; i++) {
      if (i % INVALID_EVERY === INVALID_EVERY - 1) schedule.push(generateToken());
      else if (next < tokens.length && (next === 0 || Math.random() >= DUPLICATES / (1 + DUPLICATES))) schedule.push(tokens[next++] ?? "");
      else schedule.push(tokens[Math.floor(Math.random() * Math.max(1, next))] ?? "");
    }
    while (next < tokens.length) schedule.push(tokens[next++] ?? "");

    const app = createApp(deps);
    const httpServer = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    server.close = (cb) => httpServer.close(cb);
    await new Promise<void>((resolve) => httpServer.once("listening", () => resolve()));
    const address = httpServer.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const base = `http://127.0.0.1:${port}`;

    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let confirmedAnswers = 0;
    let networkErrors = 0;
    let retried = 0;
    const started = performance.now();
    // Requests leave on schedule (BENCH_RATE a second) with at most CONCURRENCY in flight, like a
    // server behind a proxy with a connection limit; one that fails (network error or 5xx) is sent
    // again later, as the person would click again.
    const queue: { token: string; attempt: number }[] = [];
    let inFlight = 0;
    let released = 0;
    let finished = 0;
    const expected = schedule.length;
    await new Promise<void>((resolve) => {
      const send = (item: { token: string; attempt: number }) => {
        inFlight++;
        const t = performance.now();
        fetch(`${base}/petitions/confirm/${item.token}?lang=en`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "",
        })
          .then(async (res) => {
            const text = await res.text();
            latencies.push(performance.now() - t);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status >= 500) throw new Error(`status ${res.status}`);
            if (res.status === 200 && text.includes("your signature is confirmed and counted")) confirmedAnswers++;
            finished++;
          })
          .catch(() => {
            networkErrors++;
            if (item.attempt < 5) {
              retried++;
              queue.push({ token: item.token, attempt: item.attempt + 1 });
            } else finished++;
          })
          .finally(() => {
            inFlight--;
          });
      };
      const tick = () => {
        const due = Math.min(schedule.length, Math.floor(((performance.now() - started) / 1000) * RATE));
        while (released < due) queue.push({ token: schedule[released++] ?? "", attempt: 1 });
        while (inFlight < CONCURRENCY && queue.length > 0) {
          const item = queue.shift();
          if (item) send(item);
        }
        if (finished >= expected && inFlight === 0 && queue.length === 0) resolve();
        else setTimeout(tick, 5);
      };
      tick();
    });
    const elapsed = (performance.now() - started) / 1000;

    const rows = await countSignatureRows(db, petition.id);
    const counts = await petitionCounts(db, petition.id);
    const page = await fetch(`${base}/coalitions/bench-${process.pid}/campaigns/bench/petition?lang=en`).then((r) => r.text());
    const shown = /([\d,]+) signatures/.exec(page)?.[1]?.replace(/,/g, "");
    latencies.sort((a, b) => a - b);
    const ok = rows.confirmed === unique && counts.online === unique && confirmedAnswers === unique && Number(shown) === unique;
    console.log(
      [
        `requests: ${schedule.length} in ${elapsed.toFixed(1)} s (${(schedule.length / elapsed).toFixed(0)}/s; target ${RATE}/s for ${SECONDS} s)`,
        `statuses: ${[...statuses.entries()].map(([s, n]) => `${s}×${n}`).join(", ")}; network errors or 5xx: ${networkErrors} (sent again: ${retried}); at most ${CONCURRENCY} in flight`,
        `latency ms: p50 ${percentile(latencies, 50).toFixed(1)}, p95 ${percentile(latencies, 95).toFixed(1)}, p99 ${percentile(latencies, 99).toFixed(1)}, max ${(latencies.at(-1) ?? 0).toFixed(1)}`,
        `distinct tokens sent: ${unique}; answered "confirmed": ${confirmedAnswers}`,
        `rows: ${rows.all}, confirmed rows: ${rows.confirmed}; count (service): ${counts.online}; count on the public page: ${shown ?? "?"}`,
        ok ? "EXACT: nothing lost, nothing counted twice" : "MISMATCH",
      ].join("\n"),
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await handle.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
