import type { AddressInfo } from "node:net";
import { createServer, connect as tcpConnect } from "node:net";
import { sql } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, TestClient, type TestContext } from "../../../test/app.ts";
import { createWorld } from "../../../test/factories/index.ts";
import { createApp } from "../../app.ts";
import { loadConfig } from "../../config.ts";
import { createDeps } from "../../deps.ts";
import { createLogger } from "../../lib/logger.ts";
import { periodic } from "../../lib/periodic.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { createDatabase, type DatabaseHandle, QUERY_TIMEOUT_MARGIN_MS } from "../client.ts";
import { isDatabaseUnavailable } from "../errors.ts";

/*
 * Issue 8, item 1: PostgreSQL terminates every connection of the app while requests and
 * transactions are in flight. Every one of them must settle (error or success) within the
 * statement timeout, and the app must serve again, readiness and jobs included, within 5 s.
 * postgres.js 3.4.9 put a terminated reserved connection back into its pool, and the next
 * query on it never settled (see patches/postgres@3.4.9.patch).
 */
const STATEMENT_TIMEOUT_MS = 3_000;
/** What "answers within the statement timeout" allows on a busy 2-core machine. */
const SETTLE_LIMIT_MS = STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_MARGIN_MS + 1_000;
const CLIENTS = 30;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves to how long `promise` took to settle, or to Infinity if it has not settled within `limitMs`. */
async function settleTime(promise: Promise<unknown>, started: number, limitMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const settled = promise.then(
    () => performance.now() - started,
    () => performance.now() - started,
  );
  const gaveUp = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(Number.POSITIVE_INFINITY), limitMs);
  });
  return Promise.race([settled, gaveUp]).finally(() => clearTimeout(timer));
}

describe.runIf(Boolean(loadConfig().databaseUrl))("recovery from terminated PostgreSQL connections", () => {
  let ctx: TestContext;
  let handle: DatabaseHandle | undefined;

  beforeAll(async () => {
    ctx = await buildTestApp();
    if (!ctx.handle.url) throw new Error("expected a PostgreSQL test database");
  });
  afterAll(async () => {
    await handle?.close();
  });

  /** Terminate this file's own pool only (never the shared ctx pool or other files' databases). */
  async function terminateAppConnections(applicationName = "samakki-recovery-test"): Promise<number> {
    const [killedApp] = await sql<{ n: number }>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and application_name = ${applicationName}`
      .execute(ctx.db)
      .then((r) => r.rows);
    return killedApp?.n ?? 0;
  }

  /** A pool of this file's own on its database, its connections tagged with `applicationName`. */
  function ownPool(applicationName: string, statementTimeoutMs: number): DatabaseHandle {
    const url = new URL(ctx.handle.url ?? "");
    url.searchParams.set("application_name", applicationName);
    return createDatabase({ url: url.toString(), maxConnections: 5, statementTimeoutMs });
  }

  it("answers every in-flight request, serves again within 5 s and resumes its jobs", async () => {
    // The app under test gets a pool of its own on this file's database, with a short statement
    // timeout, its connections tagged so that only they are terminated.
    const pool = ownPool("samakki-recovery-test", STATEMENT_TIMEOUT_MS);
    handle = pool;

    const world = await createWorld(ctx);
    const logger = createLogger("silent");
    const app = createApp({ ...createDeps(ctx.config, logger, pool), logger });
    const cookie = world.clients.coordinator.cookie;
    const client = new TestClient(app, cookie);
    const anonymous = new TestClient(app);
    expect((await client.get("/api/me")).status).toBe(200);
    expect((await anonymous.get("/readyz")).status).toBe(200);

    // A job on the same pool, like the outbox and the vote closer: it must keep running.
    let jobRuns = 0;
    const job = periodic(
      "probe",
      100,
      async () => {
        await sql`select 1`.execute(pool.db);
        jobRuns++;
      },
      logger,
    );
    job.start();

    // Load: clients looping over reads and transactions that hold their connection for a while.
    const inFlight: { promise: Promise<unknown> }[] = [];
    // How each failed: a request answers 503 (the database is unavailable), never 500; a transaction
    // fails with its connection's error, never the TypeError its rollback once threw in its place.
    const refusals: string[] = [];
    const transactionErrors: unknown[] = [];
    let stop = false;
    const loops = Array.from({ length: CLIENTS }, async (_, i) => {
      while (!stop) {
        const promise =
          i % 3 === 0
            ? withTransaction(pool.db, async (trx) => {
                await sql`select pg_sleep(0.05)`.execute(trx);
                await trx.selectFrom("person").select("id").limit(1).execute();
              }).catch((error: unknown) => {
                transactionErrors.push(error);
                throw error;
              })
            : client.get(i % 3 === 1 ? "/api/me" : `/api/coalitions/${world.coalition.id}/members`).then((res) => {
                if (res.status !== 200) refusals.push(`${res.status} ${res.headers.get("retry-after")} ${res.text}`);
                return res;
              });
        const entry = { promise };
        inFlight.push(entry);
        await promise.catch(() => undefined);
        inFlight.splice(inFlight.indexOf(entry), 1);
        // Like a real client, give I/O a turn: a request that fails at once must not starve the loop.
        await new Promise((resolve) => setImmediate(resolve));
      }
    });

    try {
      await sleep(500);
      const killed = await terminateAppConnections();
      expect(killed).toBeGreaterThan(0);
      const killedAt = performance.now();
      // Every request in flight at that moment settles within the statement timeout (+ margin).
      const pending = [...inFlight];
      expect(pending.length).toBeGreaterThan(0);
      const times = await Promise.all(pending.map((p) => settleTime(p.promise, killedAt, SETTLE_LIMIT_MS)));
      expect(times.filter((t) => t === Number.POSITIVE_INFINITY)).toHaveLength(0);

      // Serving again: readiness and a signed-in request both succeed within 5 s of the kill.
      let ready = 0;
      let me = 0;
      while (performance.now() - killedAt < 5_000 && (ready !== 200 || me !== 200)) {
        const answers = await Promise.all([
          settleTime(
            anonymous.get("/readyz").then((r) => (ready = r.status)),
            performance.now(),
            2_500,
          ),
          settleTime(
            client.get("/api/me").then((r) => (me = r.status)),
            performance.now(),
            2_500,
          ),
        ]);
        if (ready !== 200 || me !== 200) await sleep(100);
        expect(answers.every(Number.isFinite)).toBe(true);
      }
      expect({ ready, me }).toEqual({ ready: 200, me: 200 });

      // The job runs again.
      const runsAfterRecovery = jobRuns;
      const waitUntil = performance.now() + 3_000;
      while (jobRuns <= runsAfterRecovery && performance.now() < waitUntil) await sleep(50);
      expect(jobRuns).toBeGreaterThan(runsAfterRecovery);
    } finally {
      stop = true;
      await Promise.race([Promise.all(loops), sleep(SETTLE_LIMIT_MS)]);
      await Promise.race([job.stop(), sleep(SETTLE_LIMIT_MS)]);
    }
    // And the load loops have all ended, i.e. nothing is still hanging.
    expect(inFlight).toHaveLength(0);
    expect(refusals.filter((r) => !r.startsWith("503 5 ") || !r.includes('"code":"service_unavailable"'))).toEqual([]);
    expect(transactionErrors.filter((e) => !isDatabaseUnavailable(e))).toEqual([]);
    // The kill reached some of them (the timing varies, the outcome does not).
    expect(refusals.length + transactionErrors.length).toBeGreaterThan(0);
  }, 60_000);

  /** Waits until a statement of `applicationName`'s connections that starts with `prefix` is running. */
  async function untilRunning(applicationName: string, prefix: string): Promise<void> {
    const until = performance.now() + 5_000;
    while (performance.now() < until) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where application_name = ${applicationName} and state = 'active' and starts_with(query, ${prefix})`.execute(ctx.db);
      if (rows[0]?.n) return;
      await sleep(20);
    }
    throw new Error(`no statement starting with ${prefix} ran`);
  }

  /*
   * The failure above, once in a dozen runs under load: a transaction's ROLLBACK waited forever.
   * While a reserved connection (Kysely's transactions reserve one) is busy, postgres.js holds
   * the reservation's next statement in a queue of its own, and a connection that closed never
   * failed that queue (patches/postgres@3.4.9.patch, onclose). Kysely sends a transaction's
   * statements one at a time, so it met that queue only in a narrow window: a statement sent
   * after the server's goodbye and before the socket's close fails at once but leaves the
   * connection marked busy, and the ROLLBACK that follows is held. Made certain here with the
   * driver itself: a statement with a parameter is described first, which marks the connection
   * busy, so a second statement sent at once is held. The timeouts are far away.
   */
  it("fails the statements a reserved connection held back when that connection is terminated", async () => {
    const url = new URL(ctx.handle.url ?? "");
    url.searchParams.set("application_name", "samakki-recovery-held");
    const client = postgres(url.toString(), { max: 2, onnotice: () => {} });
    try {
      const reserved = await client.reserve();
      const running = reserved`select pg_sleep(${10})`.execute();
      const held = reserved`select ${1}::int as one`.execute();
      const outcomes = Promise.allSettled([running, held]);
      await untilRunning("samakki-recovery-held", "select pg_sleep");
      expect(await terminateAppConnections("samakki-recovery-held")).toBe(1);
      const killedAt = performance.now();
      expect(await settleTime(outcomes, killedAt, 2_000)).toBeLessThan(2_000);
      // The running statement fails as the socket does (ECONNRESET or CONNECTION_CLOSED), the held one as its connection closed.
      const [first, second] = await outcomes;
      expect(first.status).toBe("rejected");
      expect(second).toMatchObject({ status: "rejected", reason: { code: "CONNECTION_CLOSED" } });
    } finally {
      await client.end({ timeout: 1 });
    }
  });

  /*
   * A new connection's first query is postgres.js's own lookup of the array types. Nothing awaited
   * it, so a connection terminated at that moment (a failover, a DBA ending sessions, the database
   * restarting under load) was an unhandled rejection, and the process exited
   * (patches/postgres@3.4.9.patch, ReadyForQuery). A proxy holds that lookup back while the
   * backend, idle and signed in, is terminated: the server's goodbye reaches the driver as it would.
   */
  it("survives a connection terminated while it looks up its array types, and serves from the next", async () => {
    const target = new URL(ctx.handle.url ?? "");
    let connections = 0;
    let terminated = 0;
    const proxy = createServer((client) => {
      const first = ++connections === 1;
      const upstream = tcpConnect(Number(target.port || 5432), target.hostname);
      client.on("data", (chunk: Buffer) => {
        if (first && chunk.includes("typarray")) {
          void terminateAppConnections("samakki-recovery-types").then((n) => {
            terminated += n;
          });
          return;
        }
        upstream.write(chunk);
      });
      upstream.on("data", (chunk: Buffer) => client.write(chunk));
      upstream.on("close", () => client.destroy());
      client.on("close", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const url = new URL(target);
    url.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    url.searchParams.set("application_name", "samakki-recovery-types");
    const pool = createDatabase({ url: url.toString(), maxConnections: 2, statementTimeoutMs: 60_000 });
    try {
      const { rows } = await sql<{ xs: string[] }>`select array['a', 'b']::text[] as xs`.execute(pool.db);
      expect(terminated).toBe(1);
      expect(connections).toBeGreaterThanOrEqual(2);
      // The next connection looked the types up: an array arrives as one.
      expect(rows[0]?.xs).toEqual(["a", "b"]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await pool.close();
      proxy.close();
    }
  });

  // The statement that was running then has failed for good: closing the pool used to wait
  // 5 s for its answer (the patch's closed() forgets it).
  it("closes at once a pool whose running statement was terminated", async () => {
    const pool = ownPool("samakki-recovery-close", 60_000);
    try {
      const running = sql`select pg_sleep(${10})`.execute(pool.db);
      running.catch(() => undefined);
      await untilRunning("samakki-recovery-close", "select pg_sleep");
      expect(await terminateAppConnections("samakki-recovery-close")).toBe(1);
      await expect(running).rejects.toThrow();
      const closing = performance.now();
      // The old code waited out the whole 5 s of `end({ timeout: 5 })`; a busy machine may take a
      // second or two to close five connections (2 s flaked once in CI).
      expect(await settleTime(pool.close(), closing, 4_000)).toBeLessThan(4_000);
    } finally {
      await pool.close();
    }
  });
});
