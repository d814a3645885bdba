import { translate } from "@samakki/shared/i18n/index";
import type { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, ORIGIN, type TestContext } from "../../../test/app.ts";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const SOME_ID = "0a0b0c0d-1111-4222-8333-444455556666";

/** A path of the document with a value for each parameter that its pattern takes. */
const concrete = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => (name === "number" ? "1" : name.endsWith("Id") ? SOME_ID : "x"));

/**
 * A method an API path has no route for is a 405 with an Allow header naming those it has, for
 * every path of the published document: an API client learns it used the wrong method, not that the
 * address does not exist. The answer depends on the path's pattern only, never on whether the ids
 * in it exist or whose they are.
 */
describe("405 Method Not Allowed", () => {
  let ctx: TestContext;
  let doc: { paths: Record<string, Partial<Record<(typeof METHODS)[number], unknown>>> };
  beforeAll(async () => {
    ctx = await buildTestApp();
    doc = (await ctx.anonymous().get<typeof doc>("/api/openapi.json")).body;
  });

  it("every API path answers a method it does not take with 405 and the methods it takes", async () => {
    let checked = 0;
    const patterns = Object.entries(doc.paths).map(([path, operations]) => ({
      pattern: new RegExp(`^${path.replace(/\{\w+\}/g, "[^/]+")}$`),
      operations,
    }));
    for (const path of Object.keys(doc.paths)) {
      if (!path.startsWith("/api/")) continue;
      // The methods of every documented path this one's URL matches: /api/me/sessions/revoke-others
      // is also /api/me/sessions/{sessionId}, which takes DELETE.
      const url = concrete(path);
      const matching = patterns.filter((p) => p.pattern.test(url));
      const taken = METHODS.filter((m) => matching.some((p) => p.operations[m])).map((m) => m.toUpperCase());
      const allow = (taken.includes("GET") ? ["GET", "HEAD", ...taken.filter((m) => m !== "GET")] : taken).join(", ");
      for (const method of METHODS.filter((m) => !taken.includes(m.toUpperCase()))) {
        const res = await ctx.app.request(url, {
          method: method.toUpperCase(),
          headers: { origin: ORIGIN, "content-type": "application/json", "accept-language": "km" },
          ...(method === "get" ? {} : { body: "{}" }),
        });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get("allow"), `${method} ${path}`).toBe(allow);
        const problem = (await res.json()) as Problem;
        expect(problem.code).toBe("method_not_allowed");
        expect(problem.title).toBe(translate("km", "errors.method_not_allowed.title"));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it("an API path that has no route at all is still a 404, whatever the method", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const res = await ctx.app.request("/api/no-such-thing/here", {
        method,
        headers: { origin: ORIGIN, "content-type": "application/json" },
        ...(method === "GET" ? {} : { body: "{}" }),
      });
      expect(res.status, method).toBe(404);
      expect(res.headers.get("allow")).toBeNull();
    }
  });
});
