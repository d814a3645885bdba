import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../test/app.ts";
import { policies, policyOf } from "../policy.ts";

type Operation = { "x-policy"?: string; security?: unknown[] };
type OpenApiDocument = { paths: Record<string, Record<string, Operation>>; components?: { securitySchemes?: Record<string, unknown> } };

/** Hono path `/api/coalitions/:coalitionId` is `/api/coalitions/{coalitionId}` in OpenAPI. */
const toOpenApiPath = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");

type RouteEntry = { method: string; path: string; handler: unknown };

/** Every endpoint (method other than ALL) with the policies tagged on its handlers. */
function endpointsOf(routes: RouteEntry[]) {
  const byRoute = new Map<string, { method: string; path: string; policies: string[] }>();
  for (const route of routes) {
    if (route.method === "ALL") continue;
    const key = `${route.method} ${route.path}`;
    const entry = byRoute.get(key) ?? { method: route.method, path: route.path, policies: [] };
    const policy = policyOf(route.handler);
    if (policy) entry.policies.push(policy);
    byRoute.set(key, entry);
  }
  return [...byRoute.values()];
}

describe("the policy walk", () => {
  it("finds a route without a policy, and sees policies through a mounted sub-app with its own error handler", () => {
    const app = new Hono();
    const sub = new Hono();
    sub.onError((_error, c) => c.text("sub error", 500));
    sub.get("/api/tagged", policies.signedIn(), (c) => c.text("ok"));
    app.route("/", sub);
    app.use("*", async (_c, next) => next());
    app.get("/api/untagged", (c) => c.text("no policy"));
    const found = endpointsOf(app.routes);
    expect(found).toEqual([
      { method: "GET", path: "/api/tagged", policies: ["signedIn"] },
      { method: "GET", path: "/api/untagged", policies: [] },
    ]);
  });
});

describe("every route declares its policy", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  const endpoints = () => endpointsOf(ctx.app.routes);
  it("finds the routes it walks, and the walk tells a tagged handler from an untagged one", () => {
    const all = endpoints();
    const keys = all.map((r) => `${r.method} ${r.path}`);
    // Known routes must be there, or the walk proves nothing.
    expect(keys).toEqual(
      expect.arrayContaining([
        "POST /api/auth/sign-in",
        "GET /api/me",
        "DELETE /api/me/sessions/:sessionId",
        "GET /healthz",
        "GET /api/openapi.json",
      ]),
    );
    expect(all.length).toBeGreaterThan(15);
    expect(policyOf(() => undefined)).toBeUndefined();
    expect(policyOf(undefined)).toBeUndefined();
  });

  it("has exactly one policy for every endpoint", () => {
    const missing = endpoints()
      .filter((r) => r.policies.length !== 1)
      .map((r) => `${r.method} ${r.path} (${r.policies.join(", ") || "none"})`);
    expect(missing).toEqual([]);
  });

  it("gives the expected policy to the account routes", () => {
    const policy = (method: string, path: string) => endpoints().find((r) => r.method === method && r.path === path)?.policies[0];
    expect(policy("POST", "/api/auth/sign-in")).toBe("public");
    expect(policy("POST", "/api/auth/password-reset")).toBe("public");
    expect(policy("POST", "/api/auth/sign-out")).toBe("signedIn");
    expect(policy("GET", "/api/me")).toBe("signedIn");
    expect(policy("POST", "/api/me/password")).toBe("signedIn");
    expect(policy("GET", "/api/setup")).toBe("public");
  });

  it("documents every /api route in the OpenAPI document with its policy, and a security requirement unless public", async () => {
    const res = await ctx.anonymous().get<OpenApiDocument>("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.components?.securitySchemes).toHaveProperty("session");
    const problems: string[] = [];
    for (const route of endpoints()) {
      if (!route.path.startsWith("/api/") || route.path.includes("*")) continue;
      const op = doc.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
      if (!op) {
        problems.push(`${route.method} ${route.path}: not documented`);
        continue;
      }
      if (op["x-policy"] !== route.policies[0])
        problems.push(`${route.method} ${route.path}: x-policy ${op["x-policy"]} but route has ${route.policies[0]}`);
      const isPublic = op["x-policy"] === "public" || op["x-policy"] === "devOnly";
      if (isPublic) {
        if (op.security?.length) problems.push(`${route.method} ${route.path}: public but has a security requirement`);
      } else if (!op.security?.some((s) => typeof s === "object" && s !== null && "session" in s)) {
        problems.push(`${route.method} ${route.path}: no session security requirement`);
      }
    }
    expect(problems).toEqual([]);
  });
});
