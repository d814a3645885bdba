import { expect } from "vitest";
import type { TestClient, TestContext, TestResponse } from "./app.ts";

/**
 * A table-driven permission matrix for the campaign and task endpoints: one request (built per
 * actor, so allowed actors can each get a fresh resource or a unique slug), run as each named
 * client, with the status each must get. Refused attempts must answer problem+json with the
 * code matching the status and change nothing: row counts of every campaign/task table (and the
 * notification, audit and outbox tables) stay the same, plus an optional `state` probe for
 * updates that counts cannot see. Refused actors run first, so a success cannot hide a refusal.
 */
export const MATRIX_TABLES = [
  "campaign",
  "campaign_organisation",
  "activity",
  "march_stage",
  "metric",
  "contribution",
  "contribution_revision",
  "campaign_update",
  "task",
  "task_watcher",
  "task_event",
  "task_comment",
  "notification",
  "audit_event",
  "outbox_email",
] as const;
export type MatrixTable = (typeof MATRIX_TABLES)[number];

/** Row counts of the tables a campaign or task request might change, in one query. */
export async function countRows(ctx: TestContext, tables: readonly MatrixTable[] = MATRIX_TABLES): Promise<Record<string, number>> {
  const [first, ...rest] = tables;
  if (!first) return {};
  let query = ctx.db.selectFrom(first).select((eb) => [eb.val(first).as("t"), eb.fn.countAll<string>().as("n")]);
  for (const table of rest)
    query = query.unionAll(ctx.db.selectFrom(table).select((eb) => [eb.val(table).as("t"), eb.fn.countAll<string>().as("n")]));
  const rows = await query.execute();
  return Object.fromEntries(rows.map((r) => [String(r.t), Number(r.n)]));
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface MatrixRequest {
  method: Method;
  path: string;
  body?: unknown;
  /** Extra state a refused request must not change (e.g. a row's content). */
  state?: () => Promise<unknown>;
}

const CODE_FOR_STATUS: Record<number, string> = { 400: "validation_failed", 401: "unauthenticated", 403: "forbidden", 404: "not_found" };

/**
 * Run the request as every client named in `expected` and check the statuses. `request` may be a
 * fixed request or a function of the actor (called just before that actor's attempt).
 */
export async function checkMatrix<A extends string>(
  ctx: TestContext,
  clients: Record<A, TestClient>,
  request: MatrixRequest | ((actor: A) => MatrixRequest | Promise<MatrixRequest>),
  expected: Partial<Record<A, number>>,
): Promise<Partial<Record<A, TestResponse>>> {
  const actors = (Object.keys(expected) as A[]).sort((a, b) => Number((expected[a] ?? 0) < 400) - Number((expected[b] ?? 0) < 400));
  const responses: Partial<Record<A, TestResponse>> = {};
  const failures: string[] = [];
  for (const actor of actors) {
    const want = expected[actor] ?? 0;
    const req = typeof request === "function" ? await request(actor) : request;
    const label = `${actor} ${req.method} ${req.path}`;
    const refused = want >= 400;
    const counts = refused ? await countRows(ctx) : undefined;
    const state = refused && req.state ? await req.state() : undefined;
    const res = await clients[actor].request(req.method, req.path, req.body);
    responses[actor] = res;
    if (res.status !== want) {
      failures.push(`${label}: expected ${want}, got ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    if (!refused) continue;
    expect(res.headers.get("content-type"), label).toContain("application/problem+json");
    const code = CODE_FOR_STATUS[res.status];
    if (code) expect((res.body as { code: string }).code, label).toBe(code);
    expect(await countRows(ctx), `${label} changed row counts`).toEqual(counts);
    if (req.state) expect(await req.state(), `${label} changed state`).toEqual(state);
  }
  expect(failures).toEqual([]);
  return responses;
}

/** Assert a 400 problem+json naming exactly these field paths (in any order), with nothing changed. */
export async function expectBadInput(
  ctx: TestContext,
  run: () => Promise<TestResponse>,
  paths: string[],
  state?: () => Promise<unknown>,
): Promise<TestResponse> {
  const counts = await countRows(ctx);
  const before = state ? await state() : undefined;
  const res = await run();
  expect(res.status, res.text).toBe(400);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = res.body as { code: string; errors?: { path: string; message: string }[] };
  expect(body.code, res.text).toBe("validation_failed");
  const got = [...new Set((body.errors ?? []).map((e) => e.path))].sort();
  expect(got, res.text).toEqual([...new Set(paths)].sort());
  for (const e of body.errors ?? []) expect(e.message.length).toBeGreaterThan(0);
  expect(await countRows(ctx)).toEqual(counts);
  if (state) expect(await state()).toEqual(before);
  return res;
}

/** The body of one actor's response from a matrix run (fails the test if that actor did not run). */
export function bodyOf<T>(res: TestResponse | undefined): T {
  if (!res) throw new Error("no response for this actor");
  return res.body as T;
}
