import { RegExpRouter } from "hono/router/reg-exp-router";
import type { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../test/app.ts";

/**
 * Hono matches with the first of its routers that accepts every route: RegExpRouter, one regular
 * expression for all of them, or else TrieRouter, a walk down a tree for each request. With our
 * routes and middleware the walk takes about 1 µs for /healthz and 2 to 12 µs for a coalition's
 * reads, against 0.02 to 1.4 µs (bench/router.ts; docs/architecture.md §5, "The router").
 * RegExpRouter refuses a literal segment and a parameter at the same place of two paths of one
 * method (POST /api/notifications/read-all beside POST /api/notifications/{id}/read): a new route
 * like that silently puts every request on the slow walk, and fails here with its path.
 */
describe("router", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("every route fits RegExpRouter", () => {
    const router = new RegExpRouter<unknown>();
    const refused: string[] = [];
    for (const route of ctx.app.routes) {
      try {
        router.add(route.method, route.path, route.handler);
      } catch (error) {
        refused.push(`${route.method} ${route.path}: ${(error as Error).constructor.name}`);
      }
    }
    expect(refused).toEqual([]);
    expect(() => router.match("GET", "/healthz")).not.toThrow();
  });

  it("the app matches its requests with RegExpRouter", async () => {
    expect((await ctx.app.request("/healthz")).status).toBe(200);
    expect((ctx.app.router as SmartRouter<unknown>).activeRouter.name).toBe("RegExpRouter");
  });

  it("gives every route the same middleware, in the same order, as TrieRouter", () => {
    const regExp = new RegExpRouter<unknown>();
    const trie = new TrieRouter<unknown>();
    for (const route of ctx.app.routes) {
      regExp.add(route.method, route.path, route.handler);
      trie.add(route.method, route.path, route.handler);
    }
    const handlers = (result: [[unknown, unknown][], ...unknown[]]) => result[0].map(([handler]) => handler);
    const id = "3f0c1e9a-1111-4222-8333-944445555666";
    const paths = new Set(
      ctx.app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path.replace(/:\w+/g, id).replace(/\*/g, "page")}`),
    );
    expect(paths.size).toBeGreaterThan(150);
    for (const key of paths) {
      const [method = "", path = ""] = key.split(" ");
      const expected = handlers(trie.match(method, path) as never);
      expect(expected.length, key).toBeGreaterThan(0);
      expect(handlers(regExp.match(method, path) as never), key).toEqual(expected);
    }
  });
});
