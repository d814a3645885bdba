/**
 * `pnpm bench:audited-writes`: latency of two audited write paths under concurrency, through the
 * real app (createApp + app.request, in process), on a fresh PostgreSQL database (DATABASE_URL,
 * dropped after; PGlite runs one transaction at a time, so it says nothing about lock waits).
 *
 * BENCH_COALITIONS coalitions (default 10) each get BENCH_ORGS organisations (default 5) with a
 * representative (their admin), an open vote and one task per organisation assigned to it.
 * BENCH_CLIENTS clients (default 50) run at once, client i acting for organisation i of coalition
 * i mod BENCH_COALITIONS; each does BENCH_ROUNDS rounds (default 20) of: cast (then change) its
 * organisation's ballot, move its organisation's task to the next status. Prints p50/p95/p99/max
 * per write path. A benchmark, not a test: it never fails on numbers.
 */
import { sql } from "kysely";
import postgres from "postgres";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createDatabase } from "../src/db/client.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import type { AppDeps } from "../src/lib/context.ts";
import { createLogger } from "../src/lib/logger.ts";
import { argon2Hasher } from "../src/modules/auth/passwords.ts";
import { createSession } from "../src/modules/auth/sessions.service.ts";

const ORIGIN = "http://localhost:3000";
const COALITIONS = Number(process.env.BENCH_COALITIONS || 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS || 50);
const ORGS = Math.max(Number(process.env.BENCH_ORGS || 5), Math.ceil(CLIENTS / COALITIONS));
const ROUNDS = Number(process.env.BENCH_ROUNDS || 20);
const COOKIE = "__Host-samakki_session";
const STATUSES = ["in_progress", "blocked", "todo"] as const;
const CHOICES = ["endorse", "object", "abstain"] as const;

const url = loadConfig().databaseUrl;
if (!url) throw new Error("bench:audited-writes measures lock waits: set DATABASE_URL to a PostgreSQL server");
const name = `samakki_bench_audit_${process.pid}_${Date.now()}`;
const admin = postgres(url, { max: 1, onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE ${name}`);
const target = new URL(url);
target.pathname = `/${name}`;
// Every query the app sends, by SQL text: the bench prints how many each write path sends.
const sent: string[] = [];
let recording = false;
const handle = createDatabase({
  url: target.toString(),
  onQuery: (event) => {
    if (recording) sent.push(event.query.sql);
  },
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

try {
  await migrateToLatest(handle.db);
  const config = loadConfig({ NODE_ENV: "production", PUBLIC_URL: ORIGIN, LOG_LEVEL: "silent", WORKERS: "false" });
  const deps: AppDeps = {
    config,
    db: handle.db,
    logger: createLogger("silent"),
    passwords: argon2Hasher,
    devMailbox: true,
    ping: async () => {},
  };
  const app = createApp(deps);
  const request = async (cookie: string, method: string, path: string, body: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { cookie: `${COOKIE}=${cookie}`, origin: ORIGIN, "content-type": "application/json", "user-agent": "bench" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const passwordHash = await argon2Hasher.hash("bench passphrase for everyone 2026");
  const person = async (label: string) => {
    const row = await handle.db
      .insertInto("person")
      .values({
        email: `${label}@bench.example.org`,
        display_name: label,
        password_hash: passwordHash,
        email_verified_at: new Date(),
        disabled_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id, cookie: (await createSession(handle.db, config, row.id, "bench")).token };
  };

  type Actor = { coalitionId: string; statementPath: string; taskPath: string; organisationId: string; cookie: string };
  const actors: Actor[][] = [];
  for (let c = 0; c < COALITIONS; c++) {
    const coalition = await handle.db
      .insertInto("coalition")
      .values({ name: `Coalition ${c}`, slug: `coalition-${c}`, time_zone: "Asia/Phnom_Penh" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const base = `/api/coalitions/${coalition.id}`;
    const campaign = await handle.db
      .insertInto("campaign")
      .values({ coalition_id: coalition.id, title: "Campaign", slug: "campaign", summary: "", status: "active" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const secretariat = await handle.db
      .insertInto("organisation")
      .values({ name: `Secretariat ${c}`, short_name: null, contact_email: `secretariat${c}@bench.example.org` })
      .returning("id")
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto("coalition_member")
      .values({ coalition_id: coalition.id, organisation_id: secretariat.id, status: "active" })
      .execute();
    const coordinator = await person(`coordinator-${c}`);
    await handle.db
      .insertInto("membership")
      .values({ organisation_id: secretariat.id, person_id: coordinator.id, role: "admin", representative: true })
      .execute();
    await handle.db.insertInto("coordinator").values({ coalition_id: coalition.id, person_id: coordinator.id }).execute();
    const reps: { organisationId: string; cookie: string; taskId: string }[] = [];
    for (let o = 0; o < ORGS; o++) {
      const org = await handle.db
        .insertInto("organisation")
        .values({ name: `Organisation ${c}.${o}`, short_name: null, contact_email: `org${c}-${o}@bench.example.org` })
        .returning("id")
        .executeTakeFirstOrThrow();
      await handle.db
        .insertInto("coalition_member")
        .values({ coalition_id: coalition.id, organisation_id: org.id, status: "active" })
        .execute();
      const rep = await person(`rep-${c}-${o}`);
      await handle.db
        .insertInto("membership")
        .values({ organisation_id: org.id, person_id: rep.id, role: "admin", representative: true })
        .execute();
      const task = await handle.db
        .insertInto("task")
        .values({
          coalition_id: coalition.id,
          campaign_id: campaign.id,
          title: `Task ${o}`,
          assignee_organisation_id: org.id,
          assignee_person_id: null,
          created_by: coordinator.id,
          due_on: null,
          reminded_due_at: null,
          reminded_overdue_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      reps.push({ organisationId: org.id, cookie: rep.cookie, taskId: task.id });
    }
    const drafted = await request(coordinator.cookie, "POST", `${base}/statements`, {
      title: `Statement ${c}`,
      bodyEn: "We stand for free expression.",
      bodyKm: "យើងគាំទ្រសេរីភាពនៃការបញ្ចេញមតិ។",
    });
    if (drafted.status !== 201) throw new Error(`draft: ${drafted.status} ${JSON.stringify(drafted.body)}`);
    const statementPath = `${base}/statements/${String(drafted.body.id)}`;
    const versionId = String((drafted.body.current as { id: string }).id);
    const closesAt = new Date(Date.now() + 2 * 3600_000 + 7 * 3600_000).toISOString().slice(0, 16);
    const opened = await request(coordinator.cookie, "POST", `${statementPath}/vote`, {
      versionId,
      quorum: 0.5,
      threshold: "majority",
      closesAt,
      totalsVisible: false,
    });
    if (opened.status !== 201) throw new Error(`open vote: ${opened.status} ${JSON.stringify(opened.body)}`);
    actors.push(
      reps.map((r) => ({
        coalitionId: coalition.id,
        statementPath,
        taskPath: `${base}/tasks/${r.taskId}`,
        organisationId: r.organisationId,
        cookie: r.cookie,
      })),
    );
  }
  const before = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_event`.execute(handle.db);

  // Queries per request, each path once on its own (the coalition's last organisation, outside the measured clients' turns).
  const probe = actors[0]?.[ORGS - 1];
  if (!probe) throw new Error("no actor");
  const countQueries = async (label: string, send: () => Promise<{ status: number }>) => {
    sent.length = 0;
    recording = true;
    const { status } = await send();
    recording = false;
    console.log(`${label}: ${sent.length} queries (HTTP ${status})${process.env.BENCH_SHOW_SQL ? `\n  ${sent.join("\n  ")}` : ""}`);
  };
  await countQueries("ballot cast", () =>
    request(probe.cookie, "POST", `${probe.statementPath}/vote/ballots`, {
      organisationId: probe.organisationId,
      choice: "abstain",
      named: true,
      comment: "",
    }),
  );
  await countQueries("task status change", () => request(probe.cookie, "POST", `${probe.taskPath}/status`, { status: "done" }));

  const times = { ballot: [] as number[], status: [] as number[] };
  const errors = { ballot: 0, status: 0 };
  console.log(
    `${CLIENTS} clients over ${COALITIONS} coalitions (${ORGS} organisations each), ${ROUNDS} rounds of (ballot cast, task status change), pool ${handle.engine === "postgres" ? 10 : 1} connections, PostgreSQL ${target.host}…`,
  );
  // Samples, on a connection of its own, how many of the app's backends wait for a lock on an audit chain head row.
  const watcher = postgres(target.toString(), { max: 1, onnotice: () => {} });
  const samples: { waiting: number; active: number }[] = [];
  let running = true;
  const sampling = (async () => {
    while (running) {
      const [row] = await watcher<{ waiting: number; active: number }[]>`
        SELECT count(*) FILTER (WHERE wait_event_type = 'Lock' AND query ILIKE '%audit_chain_head%')::int AS waiting,
          count(*) FILTER (WHERE state = 'active')::int AS active
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
      if (row) samples.push(row);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const actor = actors[i % COALITIONS]?.[Math.floor(i / COALITIONS) % ORGS];
      if (!actor) throw new Error("no actor");
      for (let r = 0; r < ROUNDS; r++) {
        let t = performance.now();
        const cast = await request(actor.cookie, "POST", `${actor.statementPath}/vote/ballots`, {
          organisationId: actor.organisationId,
          choice: CHOICES[(i + r) % CHOICES.length],
          named: true,
          comment: "",
        });
        times.ballot.push(performance.now() - t);
        if (cast.status !== 201) errors.ballot++;
        t = performance.now();
        const moved = await request(actor.cookie, "POST", `${actor.taskPath}/status`, { status: STATUSES[r % STATUSES.length] });
        times.status.push(performance.now() - t);
        if (moved.status !== 200) errors.status++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  running = false;
  await sampling;
  await watcher.end();
  const mean = (f: (x: { waiting: number; active: number }) => number) =>
    samples.reduce((n, x) => n + f(x), 0) / Math.max(1, samples.length);
  console.log(
    `Backends waiting for an audit chain head lock: ${mean((x) => x.waiting).toFixed(2)} on average (of ${mean((x) => x.active).toFixed(2)} active), ` +
      `at least one in ${((100 * samples.filter((x) => x.waiting > 0).length) / Math.max(1, samples.length)).toFixed(0)}% of ${samples.length} samples.`,
  );
  const after = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_event`.execute(handle.db);
  console.log(`${Number(after.rows[0]?.n) - Number(before.rows[0]?.n)} audit events appended in ${seconds.toFixed(1)} s.`);
  // The app runs in this process (with the 50 clients, whose share is small): its CPU per request, and how busy it kept one core.
  const requests = times.ballot.length + times.status.length;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `Node CPU: ${((cpuMs * 1000) / requests).toFixed(0)} µs per request, ${((100 * cpuMs) / (seconds * 1000)).toFixed(0)}% of one core over the run.`,
  );
  console.log(["write", "n", "err", "p50 ms", "p95 ms", "p99 ms", "max ms"].join("\t"));
  for (const [label, key] of [
    ["ballot cast", "ballot"],
    ["task status change", "status"],
  ] as const) {
    const sorted = [...times[key]].sort((a, b) => a - b);
    console.log([label, sorted.length, errors[key], ...[50, 95, 99, 100].map((p) => percentile(sorted, p).toFixed(0))].join("\t"));
  }
} finally {
  await handle.close();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
