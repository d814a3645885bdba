import { type Kysely, sql } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { trackDatabase } from "../../../../test/db.ts";
import { loadConfig } from "../../../config.ts";
import { createDatabase, type Database, type DatabaseHandle } from "../../../db/client.ts";
import { migrateToLatest } from "../../../db/migrate.ts";
import { migrationProvider } from "../../../db/migrations/index.ts";
import type { Executor } from "../../../lib/transaction.ts";
import { type AuditContent, chainHash } from "../audit.hash.ts";
import { type ChainResult, recordAudit, verifyAuditChain } from "../audit.service.ts";

/**
 * Per-coalition audit chains (issue 12 §3): each coalition appends to its own chain, so a
 * coalition's audited write never waits for another's; each chain verifies on its own; events
 * written before per-coalition chains keep verifying as the legacy global chain.
 */

const PER_COALITION_MIGRATION = "20261202T090000Z-per-coalition-audit-chains";
const databaseUrl = loadConfig().databaseUrl;

function event(coalitionId: string | null, action: string, after: unknown = { n: 1 }) {
  return { coalitionId, actorId: null, action, targetType: "test", targetId: null, after };
}

function chainOf(chains: ChainResult[], chain: string): ChainResult | undefined {
  return chains.find((c) => c.chain === chain);
}

async function eventId(db: Executor, coalitionId: string | null, action: string): Promise<string> {
  const row = await db
    .selectFrom("audit_event")
    .where("action", "=", action)
    .where((eb) => (coalitionId === null ? eb("coalition_id", "is", null) : eb("coalition_id", "=", coalitionId)))
    .select(sql<string>`id::text`.as("id"))
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Alter one event in a transaction that is rolled back, returning what verification said meanwhile. */
async function verifyWithTampered(db: Database, id: string) {
  const rollback = new Error("rollback");
  return db
    .transaction()
    .execute(async (trx) => {
      await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(trx);
      await sql`UPDATE audit_event SET after = '{"n":"forged"}'::jsonb WHERE id = ${id}::bigint`.execute(trx);
      throw Object.assign(rollback, { result: await verifyAuditChain(trx) });
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
      return (error as Error & { result: Awaited<ReturnType<typeof verifyAuditChain>> }).result;
    });
}

describe("per-coalition audit chains", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("keeps one chain per coalition and one for events of no coalition; tampering in A names A and the event, B still verifies", async () => {
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    for (let i = 0; i < 3; i++) {
      await recordAudit(ctx.db, event(a, `test.a${i}`));
      await recordAudit(ctx.db, event(b, `test.b${i}`));
      await recordAudit(ctx.db, event(null, `test.none${i}`));
    }
    // Each chain links its own events, from the genesis hash.
    for (const key of [a, b, "instance"]) {
      const rows = await ctx.db
        .selectFrom("audit_event")
        .where("chain_key", "=", key)
        .select(["prev_hash", "hash", "coalition_id"])
        .orderBy("id")
        .execute();
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(rows[0]?.prev_hash).toBe("0".repeat(64));
      for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
      const head = await ctx.db.selectFrom("audit_chain_head").where("chain_key", "=", key).select("last_hash").executeTakeFirstOrThrow();
      expect(head.last_hash).toBe(rows[rows.length - 1]?.hash);
    }
    const intact = await verifyAuditChain(ctx.db);
    expect(intact.ok).toBe(true);
    expect(chainOf(intact.chains, a)).toEqual({ chain: a, coalitionId: a, ok: true, checked: 3 });
    expect(chainOf(intact.chains, b)).toEqual({ chain: b, coalitionId: b, ok: true, checked: 3 });

    const target = await eventId(ctx.db, a, "test.a1");
    const broken = await verifyWithTampered(ctx.db, target);
    expect(broken).toMatchObject({
      ok: false,
      chain: a,
      coalitionId: a,
      brokenEventId: target,
      reason: "content does not match its hash",
      checked: 1,
    });
    expect(chainOf(broken.chains, a)).toMatchObject({ ok: false, brokenEventId: target });
    expect(chainOf(broken.chains, b)).toEqual({ chain: b, coalitionId: b, ok: true, checked: 3 });
    expect(chainOf(broken.chains, "instance")).toMatchObject({ ok: true });
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  });

  it("detects an event moved into another coalition's chain, and a chain whose head row is gone", async () => {
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    for (const action of ["test.m1", "test.m2"]) {
      await recordAudit(ctx.db, event(a, action));
      await recordAudit(ctx.db, event(b, action));
    }
    const last = await eventId(ctx.db, a, "test.m2");
    const rollback = new Error("rollback");
    const results = await ctx.db
      .transaction()
      .execute(async (trx) => {
        await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(trx);
        await sql`UPDATE audit_event SET chain_key = ${b} WHERE id = ${last}::bigint`.execute(trx);
        const moved = await verifyAuditChain(trx);
        await sql`UPDATE audit_event SET chain_key = ${a} WHERE id = ${last}::bigint`.execute(trx);
        await sql`DELETE FROM audit_chain_head WHERE chain_key = ${a}`.execute(trx);
        const headless = await verifyAuditChain(trx);
        throw Object.assign(rollback, { results: { moved, headless } });
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
        return (error as Error & { results: Record<"moved" | "headless", Awaited<ReturnType<typeof verifyAuditChain>>> }).results;
      });
    // A lost its newest event (its head no longer matches); B gained one that is not its own.
    expect(chainOf(results.moved.chains, a)).toMatchObject({ ok: false, reason: "events after this one were removed" });
    expect(chainOf(results.moved.chains, b)).toMatchObject({ ok: false, brokenEventId: last });
    expect(chainOf(results.headless.chains, a)).toMatchObject({ ok: false, brokenEventId: last, reason: "the chain's head is missing" });
    expect(chainOf(results.headless.chains, b)).toMatchObject({ ok: true });
  });

  it("hashes in the database exactly what verification hashes in JavaScript, Khmer and emoji included", async () => {
    const a = crypto.randomUUID();
    const after = { name: "សម្ព័ន្ធ ✊🏽", nested: { z: 1, a: ["ក", "\u2028"] }, quote: '"\\' };
    await recordAudit(ctx.db, event(a, "test.unicode", after));
    const row = await ctx.db.selectFrom("audit_event").where("chain_key", "=", a).selectAll().executeTakeFirstOrThrow();
    const content: AuditContent = {
      coalitionId: a,
      actorId: null,
      action: "test.unicode",
      targetType: "test",
      targetId: null,
      before: null,
      after: row.after,
      createdAt: row.created_at.toISOString(),
    };
    expect(row.hash).toBe(chainHash("0".repeat(64), content));
    expect(chainOf((await verifyAuditChain(ctx.db)).chains, a)).toMatchObject({ ok: true, checked: 1 });
  });
});

/** A fresh, empty database on this run's engine (tracked: closed after the file at the latest). */
async function emptyDatabase(): Promise<DatabaseHandle> {
  if (!databaseUrl) return trackDatabase(createDatabase({}));
  const name = `samakki_t_chains_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`).catch(async (error: unknown) => {
    await admin.end();
    throw error;
  });
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const handle = createDatabase({ url: url.toString(), maxConnections: 4 });
  return trackDatabase({
    ...handle,
    close: async () => {
      try {
        await handle.close();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  });
}

/** How the code before per-coalition chains appended: lock the single head row (id 1), insert, advance it. */
async function legacyRecord(db: Kysely<unknown> | Database, coalitionId: string | null, action: string) {
  await (db as Database).transaction().execute(async (trx) => {
    const head = await sql<{ last_hash: string }>`SELECT last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`.execute(trx);
    const prev = head.rows[0]?.last_hash ?? "";
    const createdAt = new Date();
    const content: AuditContent = {
      coalitionId,
      actorId: null,
      action,
      targetType: "test",
      targetId: null,
      before: null,
      after: { legacy: true },
      createdAt: createdAt.toISOString(),
    };
    const hash = chainHash(prev, content);
    await sql`INSERT INTO audit_event (coalition_id, actor_id, action, target_type, target_id, before, after, created_at, prev_hash, hash)
      VALUES (${coalitionId}::uuid, NULL, ${action}, 'test', NULL, NULL, '{"legacy":true}'::jsonb, ${createdAt.toISOString()}::timestamptz, ${prev}, ${hash})`.execute(
      trx,
    );
    await sql`UPDATE audit_chain_head SET last_hash = ${hash} WHERE id = 1`.execute(trx);
  });
}

describe("events written before per-coalition chains", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await emptyDatabase();
  });
  afterAll(() => handle.close());

  it("still verify as the legacy global chain after the migration, next to the new per-coalition chains", { timeout: 60_000 }, async () => {
    const all = await migrationProvider.getMigrations();
    const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < PER_COALITION_MIGRATION));
    await migrateToLatest(handle.db, { getMigrations: async () => before });
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    for (const [i, coalitionId] of [a, b, null, a].entries()) await legacyRecord(handle.db, coalitionId, `legacy.${i}`);

    expect((await migrateToLatest(handle.db))[0]).toBe(PER_COALITION_MIGRATION);
    await recordAudit(handle.db, event(a, "new.a"));
    await recordAudit(handle.db, event(b, "new.b"));
    await recordAudit(handle.db, event(null, "new.none"));
    // An instance still running the previous code during a rolling update appends to the legacy chain.
    await legacyRecord(handle.db, b, "legacy.late");

    const result = await verifyAuditChain(handle.db);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.checked).toBe(8);
    expect(chainOf(result.chains, "legacy")).toEqual({ chain: "legacy", coalitionId: null, ok: true, checked: 5 });
    expect(chainOf(result.chains, a)).toEqual({ chain: a, coalitionId: a, ok: true, checked: 1 });
    expect(chainOf(result.chains, "instance")).toEqual({ chain: "instance", coalitionId: null, ok: true, checked: 1 });
    // No legacy hash was rewritten: the first legacy event still starts from the genesis hash.
    const first = await handle.db.selectFrom("audit_event").where("action", "=", "legacy.0").selectAll().executeTakeFirstOrThrow();
    expect(first).toMatchObject({ chain_key: null, prev_hash: "0".repeat(64) });

    const target = await eventId(handle.db, null, "legacy.2");
    const broken = await verifyWithTampered(handle.db, target);
    expect(broken).toMatchObject({ ok: false, chain: "legacy", coalitionId: null, brokenEventId: target, checked: 2 });
    expect(chainOf(broken.chains, a)).toMatchObject({ ok: true });
    expect(chainOf(broken.chains, b)).toMatchObject({ ok: true });
  });
});

/** Whether the backend `pid` is waiting for a lock that the backend `holder` holds. */
async function blockedBy(db: Executor, pid: number, holder: number): Promise<boolean> {
  const r = await sql<{ blocked: boolean }>`SELECT ${holder}::int = ANY (pg_blocking_pids(${pid}::int)) AS blocked`.execute(db);
  return r.rows[0]?.blocked === true;
}

async function backendPid(db: Executor): Promise<number> {
  const r = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db);
  return Number(r.rows[0]?.pid);
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Runs `recordAudit` in its own transaction; `pid` resolves (before the append) with its backend. */
function auditedWrite(db: Database, coalitionId: string, action: string) {
  const pid = deferred<number>();
  let done = false;
  const finished = db
    .transaction()
    .execute(async (trx) => {
      pid.resolve(await backendPid(trx));
      await recordAudit(trx, event(coalitionId, action));
    })
    .then(() => {
      done = true;
    });
  return { pid: pid.promise, finished, isDone: () => done };
}

describe.runIf(Boolean(databaseUrl))("audited writes of two coalitions under concurrency (PostgreSQL)", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("while A's transaction holds A's chain, B's audited write completes and A's next one waits for it", async () => {
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await recordAudit(ctx.db, event(a, "test.first"));
    await recordAudit(ctx.db, event(b, "test.first"));

    // A appends inside a transaction that stays open until released.
    const release = deferred<void>();
    const holderPid = deferred<number>();
    const holding = ctx.db.transaction().execute(async (trx) => {
      await recordAudit(trx, event(a, "test.held"));
      holderPid.resolve(await backendPid(trx));
      await release.promise;
    });
    const holder = await holderPid.promise;
    try {
      // B either finishes or is seen waiting on A's transaction, whichever happens first.
      const other = auditedWrite(ctx.db, b, "test.meanwhile");
      const otherPid = await other.pid;
      await expect.poll(async () => other.isDone() || (await blockedBy(ctx.db, otherPid, holder)), { timeout: 15_000 }).toBe(true);
      expect(other.isDone(), "coalition B's audited write waited for coalition A's transaction").toBe(true);

      // A second write to A's chain waits on the row lock A's open transaction holds.
      const same = auditedWrite(ctx.db, a, "test.after");
      const samePid = await same.pid;
      await expect.poll(() => blockedBy(ctx.db, samePid, holder), { timeout: 15_000 }).toBe(true);
      expect(same.isDone()).toBe(false);
      release.resolve();
      await holding;
      await same.finished;
    } finally {
      release.resolve();
      await holding;
    }

    const order = await ctx.db.selectFrom("audit_event").where("chain_key", "=", a).select("action").orderBy("id").execute();
    expect(order.map((r) => r.action)).toEqual(["test.first", "test.held", "test.after"]);
    const result = await verifyAuditChain(ctx.db);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(chainOf(result.chains, b)).toMatchObject({ ok: true, checked: 2 });
  });
});
