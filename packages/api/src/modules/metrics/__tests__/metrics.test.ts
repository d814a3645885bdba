import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { sql } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { loadConfig } from "../../../config.ts";
import { createLogger } from "../../../lib/logger.ts";
import { METRIC_NAMES } from "../../../lib/metric-names.ts";
import { registry, startDefaultMetrics } from "../../../lib/metrics.ts";
import { periodic } from "../../../lib/periodic.ts";
import { enqueueEmail } from "../../email/outbox.ts";
import { startMetricsServer } from "../metrics.server.ts";
import { bearerMatches, metricsEnabled, OUTBOX_CACHE_MS } from "../metrics.service.ts";

const TOKEN = "metrics-token-0123456789abcdefghijklmnop";
const auth = { authorization: `Bearer ${TOKEN}` };

/** The value of one series in a Prometheus text scrape (0 when the series is absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? "").split(",");
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return 0;
}

async function withToken() {
  const ctx = await buildTestApp({ metrics: { port: undefined, token: TOKEN } });
  const scrape = async () => {
    const res = await ctx.anonymous().request("GET", "/metrics", undefined, auth);
    expect(res.status).toBe(200);
    return res.text;
  };
  return { ...ctx, scrape };
}

describe("/metrics on the main port", () => {
  it("is not there without METRICS_TOKEN, even for a bearer token (404)", async () => {
    const ctx = await buildTestApp();
    for (const headers of [{}, auth, { authorization: "Bearer " }]) {
      const res = await ctx.anonymous().request("GET", "/metrics", undefined, headers);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain("samakki_");
    }
  });

  it("answers the configured bearer token only; a missing or wrong one gets 404", async () => {
    const ctx = await withToken();
    const client = ctx.anonymous();
    const wrong: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}X` },
      { authorization: TOKEN },
    ];
    for (const headers of wrong) {
      const res = await client.request("GET", "/metrics", undefined, headers);
      expect(res.status, JSON.stringify(headers)).toBe(404);
      expect(res.text).not.toContain("samakki_");
    }
    const res = await client.request("GET", "/metrics", undefined, auth);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(res.text, "samakki_build_info", { node_version: process.version })).toBe(1);
  });

  it("labels request durations with the route pattern and the status, never the raw path", async () => {
    const { scrape, anonymous } = await withToken();
    const before = await scrape();
    const id = randomUUID();
    const client = anonymous();
    for (let i = 0; i < 3; i++) expect((await client.request("GET", `/api/coalitions/${id}`)).status).toBe(401);
    expect((await client.request("GET", "/healthz")).status).toBe(200);
    const after = await scrape();
    const series = { method: "GET", route: "/api/coalitions/:coalitionId", status: "401" };
    expect(
      sample(after, "samakki_http_request_duration_seconds_count", series) -
        sample(before, "samakki_http_request_duration_seconds_count", series),
    ).toBe(3);
    const health = { method: "GET", route: "/healthz", status: "200" };
    expect(
      sample(after, "samakki_http_request_duration_seconds_count", health) -
        sample(before, "samakki_http_request_duration_seconds_count", health),
    ).toBe(1);
    expect(after).not.toContain(id);
  });

  it("labels an unknown path with the pattern that caught it, not the path", async () => {
    const { scrape, anonymous } = await withToken();
    const junk = `/api/no-such-${randomUUID()}`;
    expect((await anonymous().request("GET", junk)).status).toBe(404);
    const text = await scrape();
    expect(text).not.toContain(junk);
    expect(
      sample(text, "samakki_http_request_duration_seconds_count", { method: "GET", route: "/*", status: "404" }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("counts the queries and their durations", async () => {
    const { scrape, db } = await withToken();
    const before = sample(await scrape(), "samakki_db_query_duration_seconds_count", { outcome: "ok" });
    for (let i = 0; i < 4; i++) await sql`select 1`.execute(db);
    await expect(sql`select * from no_such_table`.execute(db)).rejects.toThrow();
    const after = await scrape();
    // The four selects and the scrape's own outbox query (cached until the clock moves; at most one).
    expect(sample(after, "samakki_db_query_duration_seconds_count", { outcome: "ok" }) - before).toBeGreaterThanOrEqual(4);
    expect(sample(after, "samakki_db_query_duration_seconds_count", { outcome: "error" })).toBeGreaterThanOrEqual(1);
  });

  it("reports the connections held: one more inside a transaction, back after it", async () => {
    const { db } = await withToken();
    const inUse = async () => sample(await registry.metrics(), "samakki_db_pool_connections_in_use");
    const outside = await inUse();
    const inside = await db.transaction().execute(async () => inUse());
    expect(inside).toBe(outside + 1);
    expect(await inUse()).toBe(outside);
    expect(sample(await registry.metrics(), "samakki_db_pool_max_connections")).toBeGreaterThanOrEqual(1);
  });

  it("reports the outbox depth and the oldest unsent email's age, read at most every few seconds", async () => {
    const { scrape, deps, db } = await withToken();
    let clock = Date.now();
    deps.clock = () => new Date(clock);
    const baseline = sample(await scrape(), "samakki_outbox_pending_emails");
    const message = { template: "password_reset", data: { url: "https://example.org/reset" } } as const;
    const first = await enqueueEmail(db, { to: "a@example.org", language: "en", message });
    await enqueueEmail(db, { to: "b@example.org", language: "km", message });
    const sent = await enqueueEmail(db, { to: "c@example.org", language: "en", message });
    await db.updateTable("outbox_email").set({ status: "sent", sent_at: new Date() }).where("id", "=", sent).execute();
    await db.updateTable("outbox_email").set({ created_at: sql<Date>`now() - interval '1 hour'` }).where("id", "=", first).execute();
    // Within the cache window the scrape does not query again.
    expect(sample(await scrape(), "samakki_outbox_pending_emails")).toBe(baseline);
    clock += OUTBOX_CACHE_MS;
    const text = await scrape();
    expect(sample(text, "samakki_outbox_pending_emails")).toBe(baseline + 2);
    const age = sample(text, "samakki_outbox_oldest_pending_age_seconds");
    expect(age).toBeGreaterThanOrEqual(3600);
    expect(age).toBeLessThan(3600 + 600);
  });
});

describe("background job metrics", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("counts each run of a periodic job, and the runs that threw", async () => {
    vi.useFakeTimers();
    const logger = createLogger("silent");
    const name = `test.job-${randomUUID()}`;
    let calls = 0;
    const job = periodic(
      name,
      100,
      async () => {
        calls++;
        if (calls === 2) throw new Error("second run fails");
      },
      logger,
    );
    job.start();
    await vi.advanceTimersByTimeAsync(100 * 3);
    await job.stop();
    expect(calls).toBe(3);
    const text = await registry.metrics();
    expect(sample(text, "samakki_job_runs_total", { name })).toBe(3);
    expect(sample(text, "samakki_job_failures_total", { name })).toBe(1);
    // No series carries a label Prometheus sets itself on every series it scrapes (it would rename ours).
    expect(text).not.toMatch(/[{,](job|instance)="/);
  });
});

describe("METRICS_PORT", () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  it("serves GET /metrics without a token on its own port, and nothing else", async () => {
    const { deps } = await buildTestApp({ metrics: { port: 1, token: undefined } });
    server = await startMetricsServer(deps, 0, "127.0.0.1");
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("expected a TCP address");
    const base = `http://127.0.0.1:${address.port}`;
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("samakki_outbox_pending_emails");
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(404);
  });
});

describe("configuration", () => {
  it("refuses a short METRICS_TOKEN and a METRICS_PORT equal to PORT; turns metrics on with either", () => {
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ PORT: "3000", METRICS_PORT: "3000" })).toThrow(/METRICS_PORT/);
    expect(metricsEnabled(loadConfig({}))).toBe(false);
    expect(metricsEnabled(loadConfig({ METRICS_PORT: "9464" }))).toBe(true);
    expect(metricsEnabled(loadConfig({ METRICS_TOKEN: TOKEN }))).toBe(true);
  });
});

describe("bearerMatches", () => {
  it("accepts exactly the configured token", () => {
    expect(bearerMatches(TOKEN, `Bearer ${TOKEN}`)).toBe(true);
    expect(bearerMatches(TOKEN, `bearer ${TOKEN}`)).toBe(true);
    expect(bearerMatches(TOKEN, `Bearer ${TOKEN.toUpperCase()}`)).toBe(false);
    expect(bearerMatches(TOKEN, `Bearer ${TOKEN} extra`)).toBe(false);
    expect(bearerMatches(TOKEN, `Basic ${TOKEN}`)).toBe(false);
    expect(bearerMatches(TOKEN, undefined)).toBe(false);
    expect(bearerMatches(undefined, `Bearer ${TOKEN}`)).toBe(false);
    expect(bearerMatches(undefined, "Bearer ")).toBe(false);
  });
});

describe("the exported names", () => {
  it("are exactly the list the dashboard check reads (lib/metric-names.ts)", async () => {
    startDefaultMetrics();
    const names = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect([...names].sort()).toEqual([...METRIC_NAMES].sort());
  });
});
