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
    expect(loadConfig({}).database).toEqual({ poolSize: 10, statementTimeoutMs: 30_000, pooler: "none" });
    expect(loadConfig({ DATABASE_POOL_SIZE: "3", DATABASE_STATEMENT_TIMEOUT_MS: "5000", DATABASE_POOLER: "transaction" }).database).toEqual(
      { poolSize: 3, statementTimeoutMs: 5000, pooler: "transaction" },
    );
    expect(() => loadConfig({ DATABASE_POOL_SIZE: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_POOLER: "session" })).toThrow(ConfigError);
  });

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
});
