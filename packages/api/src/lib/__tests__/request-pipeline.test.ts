import { Writable } from "node:stream";
import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext, type TestResponse } from "../../../test/app.ts";
import { createLogger } from "../logger.ts";
import { registry } from "../metrics.ts";
import { newRequestId } from "../request-log.ts";

/*
 * The request pipeline (request-pipeline.ts) is one middleware: its steps before the route refuse
 * a request by throwing, and its steps after the route must then still run on the problem answer,
 * as they did when each step was a middleware of its own. For each way a request can be refused,
 * before the route or by it, the answer carries the security headers and its request id, the
 * request has its log line, and its duration is counted under its route and status.
 */

const DURATION = "samakki_http_request_duration_seconds_count";

let ctx: TestContext;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  ctx = await buildTestApp({ metrics: { port: undefined, token: "pipeline-test-token-0123456789abcdef" } });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  ctx.deps.logger = createLogger("info", sink);
});

/** How many requests the duration histogram has counted for this method, route pattern and status. */
async function counted(method: string, route: string, status: number): Promise<number> {
  const metric = await registry.getSingleMetric("samakki_http_request_duration_seconds")?.get();
  const values = (metric?.values ?? []) as Array<{ metricName?: string; labels: Record<string, unknown>; value: number }>;
  const value = values.find(
    (v) => v.metricName === DURATION && v.labels.method === method && v.labels.route === route && v.labels.status === status,
  );
  return value?.value ?? 0;
}

/** Sends the request and checks what every answer carries, whoever refused it. */
async function answered(send: () => Promise<TestResponse>, method: string, route: string, status: number, code?: string) {
  const before = await counted(method, route, status);
  const res = await send();
  expect(res.status).toBe(status);
  if (code) expect(res.json(Problem).code).toBe(code);
  expect(res.headers.get("content-security-policy")).toContain("default-src");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  const requestId = res.headers.get("x-request-id") ?? "";
  expect(requestId).toMatch(/^[\w-]{8,64}$/);
  if (code) expect(res.json(Problem).requestId).toBe(requestId);
  const line = lines.find((l) => l.requestId === requestId && l.msg === "request");
  expect(line).toMatchObject({ method, status });
  expect(await counted(method, route, status)).toBe(before + 1);
  return res;
}

describe("the request pipeline", () => {
  it("answers a CSRF refusal with the security headers, the request id, a log line and a count", async () => {
    await answered(
      () => ctx.anonymous().post("/api/auth/sign-in", { email: "a@example.org", password: "x" }, { origin: "https://evil.example" }),
      "POST",
      "/api/auth/sign-in",
      403,
      "csrf_rejected",
    );
  });

  it("does the same for a body over the limit, refused while it is read", async () => {
    const big = JSON.stringify({ email: "a@example.org", password: "x".repeat(300 * 1024) });
    await answered(() => ctx.anonymous().post("/api/auth/sign-in", big), "POST", "/api/auth/sign-in", 413, "payload_too_large");
  });

  it("does the same for a forbidden character refused by the input guard, keeping the dead session cookie's removal", async () => {
    // The session step clears a cookie whose session does not exist; the refusal after it must still say so.
    const res = await answered(
      () => ctx.anonymous().get("/api/me?name=%00", { cookie: "__Host-samakki_session=no-such-session" }),
      "GET",
      "/api/me",
      400,
      "validation_failed",
    );
    expect(res.headers.get("set-cookie") ?? "").toMatch(/^__Host-samakki_session=;.*Max-Age=0/);
  });

  it("does the same for a refusal by the route's policy, after the session step", async () => {
    await answered(
      () => ctx.anonymous().get("/api/me", { cookie: "samakki_session=not-a-session-token" }),
      "GET",
      "/api/me",
      401,
      "unauthenticated",
    );
  });

  it("does the same for an answer, and for a path no route has", async () => {
    await answered(() => ctx.anonymous().get("/healthz"), "GET", "/healthz", 200);
    await answered(() => ctx.anonymous().get("/api/no-such-route"), "GET", "/*", 404, "not_found");
  });

  it("treats only /api and the paths under it as the API: a path that merely starts with it gets no CSRF check", async () => {
    const foreign = { origin: "https://evil.example" };
    await answered(() => ctx.anonymous().post("/apiary", {}, foreign), "POST", "/*", 404, "not_found");
    await answered(() => ctx.anonymous().post("/api/no-such-route", {}, foreign), "POST", "/*", 403, "csrf_rejected");
  });

  it("keeps a well-formed request id from the client and replaces any other", async () => {
    const kept = await ctx.anonymous().get("/healthz", { "x-request-id": "client-chosen-id-1" });
    expect(kept.headers.get("x-request-id")).toBe("client-chosen-id-1");
    const replaced = await ctx.anonymous().get("/healthz", { "x-request-id": "bad id\u00e9" });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[\w-]{22}$/);
  });
});

describe("newRequestId", () => {
  it("gives 22 base64url characters, 128 random bits, never the same twice across refills of its pool", () => {
    const ids = Array.from({ length: 1000 }, newRequestId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
