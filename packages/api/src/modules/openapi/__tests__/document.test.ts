import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { operationIdOf } from "../../../lib/route.ts";

type Operation = { operationId?: string; responses: Record<string, { content?: Record<string, unknown> }> };
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

/** What a client generated from the published document relies on (found from outside, with the document alone). */
describe("the API document", () => {
  let ctx: TestContext;
  let operations: { method: string; path: string; operation: Operation }[];
  beforeAll(async () => {
    ctx = await buildTestApp();
    const doc = (await ctx.anonymous().get<OpenApiDocument>("/api/openapi.json")).body;
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method, path, operation })),
    );
  });

  it("names every operation, each with an id of its own", () => {
    expect(operations.length).toBeGreaterThan(100);
    const ids = operations.map((o) => o.operation.operationId);
    expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operationIdOf("get", "/api/coalitions/{coalitionId}/tasks/{taskId}")).toBe("getCoalitionsByCoalitionTasksByTask");
    expect(operationIdOf("post", "/api/auth/sign-in")).toBe("postAuthSignIn");
    expect(operationIdOf("get", "/api/coalitions/{coalitionId}/tasks.csv")).toBe("getCoalitionsByCoalitionTasksCsv");
  });

  it("lists the errors the server answers: 500 and 503 on every operation; 413, 415, 422 and 429 on every write; each a problem", () => {
    const missing: string[] = [];
    for (const { method, path, operation } of operations) {
      const wanted = [
        "400",
        "401",
        "403",
        "404",
        "500",
        "503",
        ...(["post", "put", "patch", "delete"].includes(method) ? ["413", "415", "422", "429"] : []),
        // The reads that are rate limited: a calendar feed (per address and per feed).
        ...(path === "/calendar/{token}" ? ["429"] : []),
      ];
      for (const status of wanted) {
        const content = operation.responses[status]?.content;
        // The probes answer their 503 as their 200, `{ status }` in JSON.
        const probe = status === "503" && (path === "/healthz" || path === "/readyz") && content?.["application/json"];
        if (!content?.["application/problem+json"] && !content?.["text/html"] && !probe) missing.push(`${method} ${path} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
