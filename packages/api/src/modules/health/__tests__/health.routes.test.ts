import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { buildTestApp, TestClient, type TestContext } from "../../../../test/app.ts";
import { trackDatabase } from "../../../../test/db.ts";
import { createApp } from "../../../app.ts";
import { loadConfig } from "../../../config.ts";
import { createDatabase, type DatabaseHandle } from "../../../db/client.ts";
import type { DB } from "../../../db/schema.ts";
import { createDeps } from "../../../deps.ts";
import { createLogger } from "../../../lib/logger.ts";
import { READY_TIMEOUT_MS } from "../health.routes.ts";
import { LIVENESS_GRACE_MS, readinessMonitor } from "../readiness.ts";

describe("health endpoints", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("/healthz answers 200 without a session or a database query", async () => {
    const res = await ctx.anonymous().get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    // Liveness does not depend on the database.
    const app = createApp({ ...ctx.deps, ping: () => Promise.reject(new Error("down")) });
    expect((await new TestClient(app).get("/healthz")).status).toBe(200);
  });

  it("/readyz answers 200 while the database answers", async () => {
    const res = await ctx.anonymous().get("/readyz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("/readyz answers 503 while the database is unreachable, and 200 again once it is back", async () => {
    const logLines: string[] = [];
    const logger = createLogger("warn", { write: (line: string) => void logLines.push(line) });
    if (ctx.handle.engine === "postgres") {
      // A real outage: a database of our own that stops accepting connections, then accepts them again.
      const url = loadConfig().databaseUrl ?? "";
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      const name = `samakki_ready_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      await admin.unsafe(`CREATE DATABASE ${name}`).catch(async (error: unknown) => {
        await admin.end();
        throw error;
      });
      const target = new URL(url);
      target.pathname = `/${name}`;
      // Our own pool (rather than createDatabase's handle) so the test can end it with a timeout.
      // Idle connections close after 0.2 s: terminating a busy backend instead would hit postgres.js
      // issue #1208 (an uncaught TypeError in nextWrite on a reserved connection), reported separately.
      const pool = postgres(target.toString(), { max: 2, idle_timeout: 0.2, onnotice: () => {} });
      const handle: DatabaseHandle = {
        db: new Kysely<DB>({ dialect: new PostgresJSDialect({ postgres: pool }) }),
        engine: "postgres",
        ping: async () => {
          await pool`select 1`;
        },
        close: () => pool.end({ timeout: 1 }),
      };
      try {
        const client = new TestClient(createApp({ ...createDeps(ctx.config, logger, handle), logger }));
        expect((await client.get("/readyz")).status).toBe(200);

        await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        // Wait until the pool holds no connection: from now on the database refuses every new one.
        await expect
          .poll(
            async () => {
              const [row] = await admin.unsafe<{ n: string }[]>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '${name}'`);
              return Number(row?.n);
            },
            { timeout: 15_000, interval: 100 },
          )
          .toBe(0);
        const down = await client.get("/readyz");
        expect(down.status).toBe(503);
        expect(down.body).toEqual({ status: "unavailable" });

        await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        // The pool reconnects by itself (with a back-off): poll like a load balancer would, for a
        // bounded time rather than a number of tries (a busy machine makes each try slower or faster).
        await expect.poll(async () => (await client.get("/readyz")).status, { timeout: 15_000, interval: 100 }).toBe(200);
      } finally {
        await handle.close();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    } else {
      // PGlite cannot be restarted in place: the app pings through a handle that is closed, then replaced.
      // Started before the clock of the check runs: starting PGlite takes seconds on a busy machine.
      const started = async () => {
        const pglite = new PGlite();
        await pglite.waitReady;
        // Tracked: closed after the file even if the test fails before it closes the handle.
        return trackDatabase(createDatabase({ pglite }));
      };
      let handle: DatabaseHandle = await started();
      const client = new TestClient(
        createApp({ ...createDeps(ctx.config, logger, handle), logger, ping: () => createDeps(ctx.config, logger, handle).ping() }),
      );
      expect((await client.get("/readyz")).status).toBe(200);

      await handle.close();
      const down = await client.get("/readyz");
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: "unavailable" });

      handle = await started();
      expect((await client.get("/readyz")).status).toBe(200);
      await handle.close();
    }
    expect(logLines.some((line) => line.includes("readiness check failed"))).toBe(true);
    // Starting PGlite twice, or an outage and a reconnection, take seconds on a busy machine.
  }, 60_000);

  it("/readyz answers 503 promptly when the database does not answer, and never 500", async () => {
    // Fake timers: the answer comes when READY_TIMEOUT_MS have passed on the clock, however busy the machine.
    let pinged: () => void = () => undefined;
    const ping = new Promise<void>((resolve) => {
      pinged = resolve;
    });
    const hanging = createApp({
      ...ctx.deps,
      ping: () => {
        pinged();
        return new Promise<void>(() => undefined);
      },
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      let answered = false;
      const pending = new TestClient(hanging).get("/readyz").finally(() => {
        answered = true;
      });
      await ping; // the timeout is armed in the same tick as the ping
      await vi.advanceTimersByTimeAsync(READY_TIMEOUT_MS - 1);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const res = await pending;
      expect(res.status).toBe(503);
    } finally {
      vi.useRealTimers();
    }
    const failing = createApp({ ...ctx.deps, ping: () => Promise.reject(new TypeError("boom")) });
    const failed = await new TestClient(failing).get("/readyz");
    expect(failed.status).toBe(503);
    expect(failed.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("/healthz fails after 30 s of continuous readiness failure, and recovers with readiness (injected clock)", async () => {
    let up = false;
    const deps = { ...ctx.deps, ping: () => (up ? Promise.resolve() : Promise.reject(new Error("down"))) };
    const client = new TestClient(createApp(deps));
    const monitor = readinessMonitor(deps);
    let now = 1_000_000;
    monitor.now = () => now;

    // Nothing polls /readyz: /healthz starts the checks itself and answers at once.
    expect((await client.get("/healthz")).status).toBe(200);
    await monitor.check();
    expect(monitor.failingSince).toBe(1_000_000);
    now += LIVENESS_GRACE_MS - 1;
    expect((await client.get("/readyz")).status).toBe(503);
    expect((await client.get("/healthz")).status).toBe(200);
    now += 1;
    // Failed checks from the first to the latest over 30 s (here /readyz's; /healthz starts them too).
    expect((await client.get("/readyz")).status).toBe(503);
    const wedged = await client.get("/healthz");
    expect(wedged.status).toBe(503);
    expect(wedged.body).toEqual({ status: "unavailable" });

    // One successful check ends the run of failures; a new failure starts the 30 s again.
    up = true;
    expect((await client.get("/readyz")).status).toBe(200);
    expect((await client.get("/healthz")).status).toBe(200);
    up = false;
    now += LIVENESS_GRACE_MS * 2;
    expect((await client.get("/readyz")).status).toBe(503);
    expect((await client.get("/healthz")).status).toBe(200);
    now += LIVENESS_GRACE_MS;
    await monitor.check();
    expect((await client.get("/healthz")).status).toBe(503);
  });

  it("/healthz does not fail for one old failed check the database has recovered from since (injected clock)", async () => {
    let up = false;
    const deps = { ...ctx.deps, ping: () => (up ? Promise.resolve() : Promise.reject(new Error("down"))) };
    const client = new TestClient(createApp(deps));
    const monitor = readinessMonitor(deps);
    let now = 2_000_000;
    monitor.now = () => now;
    expect((await client.get("/readyz")).status).toBe(503);
    // The database is back at once, and nothing asks for 33 s.
    up = true;
    now += 33_000;
    expect((await client.get("/healthz")).status).toBe(200);
    // The check that probe started finds it healthy.
    await monitor.check();
    expect(monitor.failingSince).toBeUndefined();
    expect((await client.get("/healthz")).status).toBe(200);
  });
});
