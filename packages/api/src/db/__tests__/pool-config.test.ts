import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../test/app.ts";
import { ConfigError, loadConfig } from "../../config.ts";
import { createDatabase } from "../client.ts";

describe("database pool settings", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("reads DATABASE_POOL_SIZE, DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_POOLER, with defaults, and refuses nonsense", () => {
    expect(loadConfig({}).database).toEqual({ poolSize: 10, statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, pooler: "none" });
    expect(
      loadConfig({
        DATABASE_POOL_SIZE: "3",
        DATABASE_STATEMENT_TIMEOUT_MS: "5000",
        DATABASE_LOCK_TIMEOUT_MS: "800",
        DATABASE_POOLER: "transaction",
      }).database,
    ).toEqual({ poolSize: 3, statementTimeoutMs: 5000, lockTimeoutMs: 800, pooler: "transaction" });
    expect(() => loadConfig({ DATABASE_LOCK_TIMEOUT_MS: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_POOLER: "session" })).toThrow(ConfigError);
  });

  it("refuses, naming it, a collector address that is not http(s) and a public address without https in production", () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).tracing.endpoint).toBe("http://collector:4318");
    expect(() => loadConfig({ NODE_ENV: "production", PUBLIC_URL: "http://samakki.example.org" })).toThrow(/PUBLIC_URL: must be an https/);
    expect(loadConfig({ NODE_ENV: "production", PUBLIC_URL: "https://samakki.example.org" }).publicUrl).toBe("https://samakki.example.org");
    // This machine's own names may be http: a trial, a container's health check, the browser tests.
    for (const local of ["http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:3000", "http://samakki.localhost"]) {
      expect(loadConfig({ NODE_ENV: "production", PUBLIC_URL: local }).publicUrl, local).toBe(local);
    }
    expect(loadConfig({ NODE_ENV: "development", PUBLIC_URL: "http://samakki.lan" }).publicUrl).toBe("http://samakki.lan");
  });

  it.runIf(Boolean(loadConfig().databaseUrl))(
    "the readiness probe answers over a connection of its own while every connection of the pool is busy",
    async () => {
      const handle = createDatabase({ url: ctx.handle.url, maxConnections: 2 });
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holding = 0;
      let holders: Promise<unknown> = Promise.resolve();
      const held = new Promise<void>((resolve) => {
        const hold = () =>
          handle.db.connection().execute(async (connection) => {
            await sql`select 1`.execute(connection);
            if (++holding === 2) resolve();
            await released;
          });
        holders = Promise.all([hold(), hold()]);
      });
      try {
        await held;
        // Through the pool this would wait for a connection, and the pool's are held until it answers:
        // the test would never end.
        await handle.ping();
      } finally {
        release();
        await holders;
        await handle.close();
      }
    },
  );

  it.runIf(Boolean(loadConfig().databaseUrl))(
    "every PostgreSQL connection has the statement and idle-in-transaction timeouts, and a long statement is cancelled",
    async () => {
      const handle = createDatabase({ url: ctx.handle.url, maxConnections: 2, statementTimeoutMs: 1500 });
      try {
        const rows = await Promise.all(
          [0, 1].map(() =>
            handle.db.transaction().execute(async (trx) => {
              const result = await sql<{
                s: string;
                i: string;
              }>`select current_setting('statement_timeout') as s, current_setting('idle_in_transaction_session_timeout') as i, pg_sleep(0.05)`.execute(
                trx,
              );
              return result.rows[0];
            }),
          ),
        );
        expect(rows).toEqual([
          expect.objectContaining({ s: "1500ms", i: "1500ms" }),
          expect.objectContaining({ s: "1500ms", i: "1500ms" }),
        ]);
        const started = performance.now();
        await expect(sql`select pg_sleep(10)`.execute(handle.db)).rejects.toMatchObject({ code: "57014" });
        expect(performance.now() - started).toBeLessThan(5000);
      } finally {
        await handle.close();
      }
    },
  );

  it.runIf(Boolean(loadConfig().databaseUrl))(
    "a statement waiting on a row another transaction holds stops at the lock timeout (55P03), well before the statement timeout",
    async () => {
      const holder = createDatabase({ url: ctx.handle.url, maxConnections: 1 });
      const waiter = createDatabase({ url: ctx.handle.url, maxConnections: 1, statementTimeoutMs: 20_000, lockTimeoutMs: 300 });
      await sql`create table if not exists lock_probe (id int primary key)`.execute(holder.db);
      await sql`insert into lock_probe values (1) on conflict do nothing`.execute(holder.db);
      let release: () => void = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked: () => void = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const holding = holder.db.transaction().execute(async (trx) => {
        await sql`select id from lock_probe where id = 1 for update`.execute(trx);
        locked();
        await released;
      });
      try {
        await isLocked;
        const setting = await sql<{ l: string }>`select current_setting('lock_timeout') as l`.execute(waiter.db);
        expect(setting.rows[0]?.l).toBe("300ms");
        await expect(sql`update lock_probe set id = 1 where id = 1`.execute(waiter.db)).rejects.toMatchObject({ code: "55P03" });
      } finally {
        release();
        await holding;
        await sql`drop table if exists lock_probe`.execute(holder.db);
        await waiter.close();
        await holder.close();
      }
    },
  );
});
