import { sql } from "kysely";
import { expect } from "vitest";
import type { TestClient, TestContext, TestResponse } from "./app.ts";
import type { createWorld } from "./factories/index.ts";

/**
 * The permission matrix of the API's tests, and the row-count snapshot behind it.
 *
 * `checkPermissions` sends one request as each named client, with the status each must get.
 * Refused attempts run first and allowed ones last, so a success cannot hide a refusal; each
 * refused answer must be problem+json with the code matching its status, and must change nothing:
 * the row count of every table of the schema (found by introspection, so a new table is covered
 * the day it is migrated) stays the same, and so does the optional `state` probe (for updates
 * that counts cannot see). A changed count fails the test naming the table.
 */
export type World = Awaited<ReturnType<typeof createWorld>>;
export const ACTORS = ["anonymous", "outsider", "suspended", "observer", "adminB", "memberA", "adminA", "coordinator"] as const;
export type Actor = (typeof ACTORS)[number];
export type Expectation = Record<Actor, number>;

const CODE_FOR_STATUS: Record<number, string> = { 400: "validation_failed", 401: "unauthenticated", 403: "forbidden", 404: "not_found" };

/** Presets for the policies of lib/policy.ts, in createWorld's coalition and for its orgA. */
export const expectations = {
  /** policies.coalitionMember(): active and observer organisations' people and coordinators. */
  coalitionMember: (ok: number): Expectation => ({
    anonymous: 401,
    outsider: 404,
    suspended: 404,
    observer: ok,
    adminB: ok,
    memberA: ok,
    adminA: ok,
    coordinator: ok,
  }),
  /** policies.coordinator(): members of the coalition get 403, everyone else 404. */
  coordinator: (ok: number): Expectation => ({
    anonymous: 401,
    outsider: 404,
    suspended: 404,
    observer: 403,
    adminB: 403,
    memberA: 403,
    adminA: 403,
    coordinator: ok,
  }),
  /** policies.organisationMember() on orgA: its people and the people of its coalition. */
  organisationMember: (ok: number): Expectation => ({
    anonymous: 401,
    outsider: 404,
    suspended: 404,
    observer: ok,
    adminB: ok,
    memberA: ok,
    adminA: ok,
    coordinator: ok,
  }),
  /** policies.organisationAdmin() on orgA: only adminA; those who can see orgA get 403. */
  organisationAdmin: (ok: number): Expectation => ({
    anonymous: 401,
    outsider: 404,
    suspended: 404,
    observer: 403,
    adminB: 403,
    memberA: 403,
    adminA: ok,
    coordinator: 403,
  }),
  /** policies.signedIn(). */
  signedIn: (ok: number): Expectation => ({
    anonymous: 401,
    outsider: ok,
    suspended: ok,
    observer: ok,
    adminB: ok,
    memberA: ok,
    adminA: ok,
    coordinator: ok,
  }),
};

/**
 * The one table the snapshot leaves out: the migration runner's history (src/db/migrate.ts). Only
 * `migrateToLatest` writes it, before the app serves anything; no request can reach it, so it is
 * not something a refused request could change, and it holds no application data.
 */
const MIGRATIONS_TABLE = "kysely_migration";

/**
 * Every table of the public schema (plain and partitioned; partitions are counted through their
 * parent), looked up once per database: a test file's database is migrated before its first test
 * and no request creates tables.
 */
const tablesOf = new WeakMap<TestContext["db"], Promise<string[]>>();
function publicTables(ctx: TestContext): Promise<string[]> {
  let tables = tablesOf.get(ctx.db);
  if (!tables) {
    tables = sql<{ name: string }>`
      SELECT c.relname::text AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> ${MIGRATIONS_TABLE}
      ORDER BY 1`
      .execute(ctx.db)
      .then((r) => r.rows.map((row) => row.name));
    tablesOf.set(ctx.db, tables);
  }
  return tables;
}

/** The row count of every table of the public schema, by name, in one statement (one column per table). */
export async function snapshotCounts(ctx: TestContext): Promise<Record<string, number>> {
  const tables = await publicTables(ctx);
  if (tables.length === 0) throw new Error("no tables found in the public schema: is the database migrated?");
  const columns = tables.map((t) => sql`(SELECT count(*) FROM ${sql.id(t)})::text AS ${sql.id(t)}`);
  const row = (await sql<Record<string, string>>`SELECT ${sql.join(columns)}`.execute(ctx.db)).rows[0] ?? {};
  return Object.fromEntries(tables.map((t) => [t, Number(row[t])]));
}

/** The tables whose count differs between two snapshots, as `table: before → after` (empty when none). */
export function changedTables(before: Record<string, number>, after: Record<string, number>): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((t) => before[t] !== after[t]).map((t) => `${t}: ${before[t] ?? "absent"} → ${after[t] ?? "absent"}`);
}

/** Fail, naming the tables, if any row count differs from `before`. */
export async function expectSameCounts(ctx: TestContext, before: Record<string, number>, label = "") {
  expect(changedTables(before, await snapshotCounts(ctx)), `${label ? `${label}: ` : ""}row counts changed`).toEqual([]);
}

/**
 * Fail, naming the tables, unless the row counts are `before` changed by exactly `deltas` (e.g.
 * `{ rate_limit: 1 }` for a refusal that is counted against a limit by design).
 */
export async function expectCountChanges(ctx: TestContext, before: Record<string, number>, deltas: Record<string, number>, label = "") {
  const expected = { ...before };
  for (const [table, delta] of Object.entries(deltas)) expected[table] = (before[table] ?? 0) + delta;
  expect(changedTables(expected, await snapshotCounts(ctx)), `${label ? `${label}: ` : ""}row counts changed otherwise`).toEqual([]);
}

/**
 * Run `attempt` and assert it changed no row count of any table, nor the optional `state`.
 * Returns what `attempt` returned.
 */
export async function expectNothingChanged<T>(
  ctx: TestContext,
  attempt: () => Promise<T>,
  options: { label?: string | undefined; state?: (() => Promise<unknown>) | undefined } = {},
): Promise<T> {
  const counts = await snapshotCounts(ctx);
  const state = options.state ? await options.state() : undefined;
  const result = await attempt();
  await expectSameCounts(ctx, counts, options.label);
  if (options.state) expect(await options.state(), `${options.label ?? ""} changed state`).toEqual(state);
  return result;
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface MatrixRequest {
  method: Method;
  path: string;
  body?: unknown;
  /** Extra state a refused request must not change (e.g. a row's content). */
  state?: () => Promise<unknown>;
}

/**
 * Run the request as every client named in `expected` and check the statuses; returns the
 * responses by actor. `clients` is createWorld's `clients` or any other named set; `request` is a
 * fixed request or a function of the actor (called just before that actor's attempt, so allowed
 * actors can each get a fresh resource or a unique name).
 */
export async function checkPermissions<A extends string>(
  ctx: TestContext,
  clients: Record<A, TestClient>,
  request: MatrixRequest | ((actor: A) => MatrixRequest | Promise<MatrixRequest>),
  expected: Partial<Record<A, number>>,
): Promise<Partial<Record<A, TestResponse>>> {
  const named = (Object.keys(expected) as A[]).filter((a) => expected[a] !== undefined);
  // Refused first, allowed last; the order of `expected` otherwise.
  const actors = [...named.filter((a) => (expected[a] ?? 0) >= 400), ...named.filter((a) => (expected[a] ?? 0) < 400)];
  const responses: Partial<Record<A, TestResponse>> = {};
  const failures: string[] = [];
  for (const actor of actors) {
    const want = expected[actor] ?? 0;
    const req = typeof request === "function" ? await request(actor) : request;
    const label = `${actor} ${req.method} ${req.path}`;
    const refused = want >= 400;
    const counts = refused ? await snapshotCounts(ctx) : undefined;
    const state = refused && req.state ? await req.state() : undefined;
    const res = await clients[actor].request(req.method, req.path, req.body);
    responses[actor] = res;
    if (res.status !== want) {
      failures.push(`${label}: expected ${want}, got ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    if (!counts) continue;
    expect(res.headers.get("content-type"), label).toContain("application/problem+json");
    const code = CODE_FOR_STATUS[res.status];
    if (code) expect((res.body as { code: string }).code, label).toBe(code);
    await expectSameCounts(ctx, counts, label);
    if (req.state) expect(await req.state(), `${label} changed state`).toEqual(state);
  }
  expect(failures).toEqual([]);
  return responses;
}

/** Assert a 400 problem+json naming exactly these field paths (in any order), with nothing changed. */
export async function expectInvalid(
  ctx: TestContext,
  run: () => Promise<TestResponse>,
  paths: string[],
  state?: () => Promise<unknown>,
): Promise<TestResponse> {
  return expectNothingChanged(
    ctx,
    async () => {
      const res = await run();
      expect(res.status, res.text).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const body = res.body as { code: string; errors?: { path: string; message: string }[] };
      expect(body.code, res.text).toBe("validation_failed");
      // A field can fail more than one rule (and be named more than once): each path is listed once.
      const got = [...new Set((body.errors ?? []).map((e) => e.path))].sort();
      expect(got, res.text).toEqual([...new Set(paths)].sort());
      for (const e of body.errors ?? []) expect(e.message.length).toBeGreaterThan(0);
      return res;
    },
    { state },
  );
}

/** Assert a problem+json answer with this status and code. */
export function expectProblem(res: TestResponse, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  if (code) expect((res.body as { code?: string }).code).toBe(code);
}

/** The body of one actor's response from a matrix run (fails the test if that actor did not run). */
export function bodyOf<T>(res: TestResponse | undefined): T {
  if (!res) throw new Error("no response for this actor");
  return res.body as T;
}
