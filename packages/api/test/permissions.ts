import { expect } from "vitest";
import type { TestContext, TestResponse } from "./app.ts";
import { type createWorld, snapshotCounts } from "./factories/index.ts";

/**
 * A table-driven permission matrix: one request, run as each actor of createWorld, with the
 * status each must get. Refused attempts must answer problem+json with the matching code and
 * change nothing (row counts of every table, plus an optional `state` probe for updates that
 * counts cannot see). Allowed actors run last, so a successful mutation cannot hide a refusal.
 */
export type World = Awaited<ReturnType<typeof createWorld>>;
export const ACTORS = ["anonymous", "outsider", "suspended", "observer", "adminB", "memberA", "adminA", "coordinator"] as const;
export type Actor = (typeof ACTORS)[number];
export type Expectation = Record<Actor, number>;

const CODE_FOR_STATUS: Record<number, string> = { 401: "unauthenticated", 403: "forbidden", 404: "not_found" };

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

export interface MatrixRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  body?: unknown;
  /** Extra state a refused request must not change (e.g. a row's content). */
  state?: () => Promise<unknown>;
}

/** Run the request as every actor in `expected` and check statuses; returns the responses by actor. */
export async function checkPermissions(
  ctx: TestContext,
  world: World,
  request: MatrixRequest,
  expected: Partial<Expectation>,
): Promise<Partial<Record<Actor, TestResponse>>> {
  const ordered = ACTORS.filter((a) => expected[a] !== undefined).sort(
    (a, b) => Number((expected[a] ?? 0) < 400) - Number((expected[b] ?? 0) < 400),
  );
  const responses: Partial<Record<Actor, TestResponse>> = {};
  const failures: string[] = [];
  for (const actor of ordered) {
    const want = expected[actor];
    const refused = want !== undefined && want >= 400;
    const counts = refused ? await snapshotCounts(ctx) : undefined;
    const state = refused && request.state ? await request.state() : undefined;
    const res = await world.clients[actor].request(request.method, request.path, request.body);
    responses[actor] = res;
    if (res.status !== want) {
      failures.push(`${actor}: expected ${want}, got ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    if (!refused) continue;
    expect(res.headers.get("content-type"), `${actor} ${request.method} ${request.path}`).toContain("application/problem+json");
    const code = CODE_FOR_STATUS[res.status];
    if (code) expect((res.body as { code: string }).code, `${actor} ${request.method} ${request.path}`).toBe(code);
    expect(await snapshotCounts(ctx), `${actor} ${request.method} ${request.path} changed row counts`).toEqual(counts);
    if (request.state) expect(await request.state(), `${actor} ${request.method} ${request.path} changed state`).toEqual(state);
  }
  expect(failures, `${request.method} ${request.path}`).toEqual([]);
  return responses;
}

/** Assert a 400 problem+json naming exactly these field paths (sorted), with nothing changed. */
export async function expectInvalid(ctx: TestContext, run: () => Promise<TestResponse>, paths: string[], state?: () => Promise<unknown>) {
  const counts = await snapshotCounts(ctx);
  const before = state ? await state() : undefined;
  const res = await run();
  expect(res.status, res.text).toBe(400);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = res.body as { code: string; errors?: { path: string; message: string }[] };
  expect(body.code).toBe("validation_failed");
  expect((body.errors ?? []).map((e) => e.path).sort()).toEqual([...paths].sort());
  for (const e of body.errors ?? []) expect(e.message.length).toBeGreaterThan(0);
  expect(await snapshotCounts(ctx)).toEqual(counts);
  if (state) expect(await state()).toEqual(before);
  return res;
}

/** Assert a problem+json answer with this status and code. */
export function expectProblem(res: TestResponse, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  if (code) expect((res.body as { code: string }).code).toBe(code);
}
