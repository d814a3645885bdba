import { Writable } from "node:stream";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { buildTestApp, type TestContext } from "../../../test/app.ts";
import type { Config } from "../../config.ts";
import type { AppDeps } from "../context.ts";
import { AppError } from "../errors.ts";
import { createLogger } from "../logger.ts";
import { policies } from "../policy.ts";
import { onError } from "../problem.ts";
import { requestPipeline } from "../request-pipeline.ts";
import { checkResponseBody } from "../response-check.ts";
import { createRouter, defineRoute, jsonResponse } from "../route.ts";

const LogLine = z.looseObject({ msg: z.string() });
const Person = z.object({ id: z.string(), name: z.string(), tags: z.array(z.object({ label: z.string() })) });

/** What the handlers answer: a row as it comes from the database, with a column the schema does not declare. */
const row = { id: "p1", name: "Sok", tags: [{ label: "a" }], passwordHash: "$argon2id$secret" };

/** A small app with the real middleware order (the request pipeline, then routes declared with defineRoute). */
function appFor(deps: AppDeps) {
  const app = createRouter();
  app.onError(onError);
  app.use("*", requestPipeline(deps));
  app.openapi(defineRoute(policies.public(), { method: "get", path: "/leak", responses: { 200: jsonResponse(Person) } }), (c) => {
    const answer: z.input<typeof Person> = row;
    return c.json(answer, 200);
  });
  app.openapi(defineRoute(policies.public(), { method: "get", path: "/nested-leak", responses: { 200: jsonResponse(Person) } }), (c) => {
    const answer: z.input<typeof Person> = { id: "p1", name: "Sok", tags: [{ label: "a", ...{ internal: true } }] };
    return c.json(answer, 200);
  });
  app.openapi(defineRoute(policies.public(), { method: "get", path: "/exact", responses: { 200: jsonResponse(Person) } }), (c) =>
    c.json({ id: "p1", name: "Sok", tags: [] }, 200),
  );
  app.openapi(
    defineRoute(policies.public(), { method: "get", path: "/undeclared-status", responses: { 200: jsonResponse(Person) } }),
    // A 201 the route does not declare (a cast, as a handler returning a plain Response would).
    () => Response.json({ id: "p1", name: "Sok", tags: [] }, { status: 201 }) as never,
  );
  app.openapi(defineRoute(policies.public(), { method: "get", path: "/refused", responses: { 200: jsonResponse(Person) } }), () => {
    throw new AppError("forbidden");
  });
  return app;
}

function withEnv(ctx: TestContext, env: Config["env"]) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const deps: AppDeps = { ...ctx.deps, config: { ...ctx.deps.config, env }, logger: createLogger("error", stream) };
  // The request log line of a 500 aside: only the check's own lines.
  const logged = () => lines.map((line) => LogLine.parse(JSON.parse(line))).filter((line) => line.msg !== "request");
  return { app: appFor(deps), logged };
}

describe("response check", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("fails an answer with an extra column in tests, with a log line naming the route, the status and the issue", async () => {
    const stderr = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { app, logged } = withEnv(ctx, "test");
    const res = await app.request("/leak");
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ code: "internal", status: 500 });
    expect(body).not.toContain("argon2id");
    expect(logged()).toEqual([
      expect.objectContaining({
        msg: "response does not match its schema",
        route: "GET /leak",
        status: 200,
        issues: [{ path: "passwordHash", message: "unknown key (not in the response schema)" }],
      }),
    ]);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining("GET /leak (200): passwordHash: unknown key"));
  });

  it("fails it in development too, and finds an extra key deep inside an array", async () => {
    const { app, logged } = withEnv(ctx, "development");
    const res = await app.request("/nested-leak");
    expect(res.status).toBe(500);
    expect(logged()).toEqual([
      expect.objectContaining({ route: "GET /nested-leak", issues: [expect.objectContaining({ path: "tags.0.internal" })] }),
    ]);
  });

  it("lets the same answer through unchanged in production (no check there)", async () => {
    const { app, logged } = withEnv(ctx, "production");
    const res = await app.request("/leak");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(row);
    expect(logged()).toEqual([]);
  });

  it("passes an answer that matches its schema, and a refusal that matches the problem schema", async () => {
    const { app, logged } = withEnv(ctx, "test");
    const exact = await app.request("/exact");
    expect(exact.status).toBe(200);
    expect(await exact.json()).toEqual({ id: "p1", name: "Sok", tags: [] });
    const refused = await app.request("/refused");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(logged()).toEqual([]);
  });

  it("fails a success status the route does not declare", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { app, logged } = withEnv(ctx, "test");
    const res = await app.request("/undeclared-status");
    expect(res.status).toBe(500);
    expect(logged()).toEqual([expect.objectContaining({ route: "GET /undeclared-status", status: 201 })]);
  });
});

describe("checkResponseBody", () => {
  it("reports the schema's own issues: a missing field, a wrong type", () => {
    expect(checkResponseBody(Person, { id: "p1", tags: [] })).toEqual([{ path: "name", message: expect.any(String) }]);
    expect(checkResponseBody(Person, { id: 1, name: "Sok", tags: [] })).toEqual([{ path: "id", message: expect.any(String) }]);
  });

  it("treats every object as strict, through optional, nullable, union and record schemas", () => {
    const Schema = z.object({
      maybe: z.object({ a: z.number() }).nullable().optional(),
      either: z.union([z.object({ kind: z.literal("x"), x: z.number() }), z.object({ kind: z.literal("y"), y: z.number() })]),
      byId: z.record(z.string(), z.object({ n: z.number() })),
    });
    const body = { maybe: { a: 1, b: 2 }, either: { kind: "y", y: 1, x: 2 }, byId: { k: { n: 1, m: 2 } } };
    expect(checkResponseBody(Schema, body).map((issue) => issue.path)).toEqual(["maybe.b", "either.x", "byId.k.m"]);
    expect(checkResponseBody(Schema, { maybe: null, either: { kind: "x", x: 1 }, byId: { k: { n: 1 } } })).toEqual([]);
  });

  it("keeps the unknown keys a schema allows on purpose (z.looseObject)", () => {
    expect(checkResponseBody(z.looseObject({ challenge: z.string() }), { challenge: "c", rp: { id: "x" } })).toEqual([]);
  });
});
