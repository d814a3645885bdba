import { translate } from "@samakki/shared/i18n/index";
import { type Driver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import type { DB } from "../../../db/schema.ts";

const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

/** A database that is out of reach: every connection is refused, as when PostgreSQL is down. */
function unreachableDatabase(): Kysely<DB> {
  const refused = () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
  const driver: Driver = {
    init: async () => {},
    acquireConnection: refused,
    beginTransaction: refused,
    commitTransaction: refused,
    rollbackTransaction: refused,
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

/**
 * A person's browser outside the API gets a page for an error, in their language, never
 * problem+json: a broken address on a public page, or the database out of reach while someone
 * opens a petition from a phone. API clients, the probes and a client that does not ask for HTML
 * still get problem+json.
 */
describe("error pages for browsers", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  const page = async (path: string, headers: Record<string, string> = {}) => {
    const res = await ctx.app.request(path, { headers: { ...HTML, ...headers } });
    return { status: res.status, type: res.headers.get("content-type") ?? "", res, text: await res.text() };
  };

  it("a malformed escape or a NUL in a page's address is the not-found page, in the reader's language", async () => {
    for (const [path, status] of [
      ["/coalitions/%FF", 404],
      ["/statements/%E0%A4/text", 404],
      ["/petitions/confirm/%C0%AF", 404],
      ["/coalitions/demo%00x", 400],
      ["/coalitions/demo?lang=%00", 400],
      ["/tasks/%FF", 404],
    ] as const) {
      for (const lang of ["en", "km"] as const) {
        const got = await page(path, { "accept-language": lang });
        expect(got.status, path).toBe(status);
        expect(got.type, path).toContain("text/html");
        expect(got.text, path).toContain(`<html lang="${lang}"`);
        expect(got.text, path).toContain(translate(lang, "publicSite.notFound.title"));
        expect(got.res.headers.get("cache-control"), path).toBe("no-store");
        expect(got.res.headers.get("content-security-policy"), path).toContain("default-src");
        // The security headers of every answer, and its request id, are there too.
        expect(got.res.headers.get("x-content-type-options"), path).toBe("nosniff");
        expect(got.res.headers.get("x-request-id"), path).toMatch(/^[\w-]{8,64}$/);
      }
    }
  });

  it("the database out of reach is a page saying so, with Retry-After, in the reader's language", async () => {
    const own = await buildTestApp();
    own.deps.db = unreachableDatabase();
    for (const lang of ["en", "km"] as const) {
      const res = await own.app.request(`/coalitions/demo?lang=${lang}`, { headers: HTML });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(res.headers.get("content-type")).toContain("text/html");
      const text = await res.text();
      expect(text).toContain(translate(lang, "errors.service_unavailable.title"));
      expect(text).toContain(translate(lang, "errors.service_unavailable.detail"));
      expect(text).not.toContain("ECONNREFUSED");
    }
    // An API client there still gets problem+json.
    const api = await own.app.request("/coalitions/demo", { headers: { accept: "application/json" } });
    expect(api.status).toBe(503);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
  });

  it("under /api, on the probes and for a client that does not ask for HTML, errors stay problem+json", async () => {
    for (const [path, headers] of [
      ["/api/coalitions/%FF", HTML],
      ["/api/me", HTML],
      ["/api/nothing-here", HTML],
      ["/coalitions/%FF", { accept: "application/json" }],
      ["/coalitions/%FF", {}],
      ["/healthz?x=%00", HTML],
    ] as const) {
      const res = await ctx.app.request(path, { headers });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get("content-type"), `${path} ${JSON.stringify(headers)}`).toContain("application/problem+json");
    }
  });
});
