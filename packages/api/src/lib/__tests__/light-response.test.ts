import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../test/app.ts";
import { createPerson, signInAs } from "../../../test/factories/index.ts";
import { LightResponse, UndiciResponse, useResponseClass } from "../../../test/responses.ts";
import type { AppEnv } from "../context.ts";
import { headerIn, lightParts, withHeaders } from "../light-response.ts";
import { requestPipeline } from "../request-pipeline.ts";
import { secureResponse, securityRecord } from "../security.ts";

/*
 * The answer's headers take one of two paths (light-response.ts): added to @hono/node-server's plain
 * record, or set on a Headers. Whichever path an answer takes, it must carry the same headers.
 */

const fakeContext = (publicUrl: string, signedIn: boolean, path: string) =>
  ({
    get: (key: string) => ({ deps: { config: { publicUrl } }, person: signedIn ? { id: "p" } : null })[key],
    req: { path },
  }) as unknown as Context<AppEnv>;

describe("securityRecord", () => {
  it("holds exactly what secureResponse writes on an answer without headers of its own, in each case", () => {
    for (const publicUrl of ["http://localhost:3000", "https://samakki.example"])
      for (const signedIn of [false, true])
        for (const path of ["/healthz", "/api/me", "/campaigns/x"]) {
          const c = fakeContext(publicUrl, signedIn, path);
          const written = new Headers();
          secureResponse(c, written);
          expect(securityRecord(c), `${publicUrl} ${signedIn} ${path}`).toEqual(Object.fromEntries(written));
        }
  });
});

type Raw = { method: string; status: number; headers: Record<string, string>; names: string[]; body: string };

function raw(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const names: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) names.push(res.rawHeaders[i]?.toLowerCase() ?? "");
        resolve({
          method,
          status: res.statusCode ?? 0,
          headers: res.headers as Record<string, string>,
          names,
          body: Buffer.concat(chunks).toString("latin1"),
        });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** What node:http adds to any answer, whatever the app does. */
const TRANSPORT = ["connection", "date", "keep-alive", "content-length"];

describe("an answer's headers through a real server (production config)", () => {
  const servers: ReturnType<typeof serve>[] = [];
  let plain: { ctx: TestContext; port: number };
  let https: { ctx: TestContext; port: number };
  let cookie: string;

  async function start(overrides: Parameters<typeof buildTestApp>[0]) {
    // Production: the response schema check of tests and development (response-check.ts) reads every
    // JSON answer's headers itself, so only this config takes the path production takes.
    const ctx = await buildTestApp({ env: "production", ...overrides });
    const server = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1" });
    servers.push(server);
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    return { ctx, port: (server.address() as AddressInfo).port };
  }

  beforeAll(async () => {
    useResponseClass(LightResponse);
    plain = await start({});
    https = await start({ publicUrl: "https://samakki.example" });
    cookie = (await signInAs(plain.ctx, await createPerson(plain.ctx))).cookie ?? "";
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  function expectHeaders(res: Raw, expected: Record<string, string>, name: string) {
    // Each header once: a record holding `Content-Type` and `content-type` would send both.
    expect(new Set(res.names).size, `${name}: ${res.names.join(", ")}`).toBe(res.names.length);
    // The length of what was sent, in bytes (a HEAD answer has no body to measure).
    if (res.method !== "HEAD") expect(res.headers["content-length"], name).toBe(String(res.body.length));
    const own = Object.fromEntries(Object.entries(res.headers).filter(([header]) => !TRANSPORT.includes(header)));
    expect(own["x-request-id"], name).toMatch(/^[\w-]{8,64}$/);
    delete own["x-request-id"];
    expect(own, name).toEqual(expected);
  }

  const security = (hsts: boolean, noStore: boolean) =>
    securityRecord(fakeContext(hsts ? "https://samakki.example" : "http://localhost:3000", false, noStore ? "/api/x" : "/x"));

  it("are the security headers, the content type and Vary on the common answers, on http and https", async () => {
    for (const [server, hsts] of [
      [plain, false],
      [https, true],
    ] as const) {
      const json = { "content-type": "application/json", vary: "Accept-Encoding" };
      expectHeaders(await raw(server.port, "GET", "/healthz"), { ...json, ...security(hsts, false) }, `healthz ${hsts}`);
      expectHeaders(await raw(server.port, "HEAD", "/healthz"), { ...json, ...security(hsts, false) }, `HEAD healthz ${hsts}`);
      const problem = { "content-type": "application/problem+json", vary: "Accept-Encoding" };
      const unknown = await raw(server.port, "GET", "/api/nothing-here");
      expect(unknown.status).toBe(404);
      expectHeaders(unknown, { ...problem, ...security(hsts, true) }, `unknown ${hsts}`);
    }
  });

  it("are the same on a signed-in answer that is never compressed, and on one compressed or not", async () => {
    const me = await raw(plain.port, "GET", "/api/me", { cookie, "accept-encoding": "br" });
    expect(me.status).toBe(200);
    // A credential path: never compressed, so no Vary either (compression.ts).
    expectHeaders(me, { "content-type": "application/json", ...security(false, true) }, "me");
    const unauthenticated = await raw(plain.port, "GET", "/api/me");
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers["cache-control"]).toBe("no-store");
    expect(unauthenticated.headers["content-security-policy"]).toBe(security(false, true)["content-security-policy"]);

    const whole = await raw(plain.port, "GET", "/api/openapi.json");
    expect(whole.body.length).toBeGreaterThan(1024);
    const compressed = await raw(plain.port, "GET", "/api/openapi.json", { "accept-encoding": "gzip" });
    expect(compressed.body.length).toBeLessThan(whole.body.length);
    const json = { "content-type": "application/json", vary: "Accept-Encoding", ...security(false, true) };
    expectHeaders(whole, json, "openapi");
    expectHeaders(compressed, { ...json, "content-encoding": "gzip" }, "openapi gzip");
  });

  it("sends a long answer with Khmer in it whole (encoded once, compression.ts), its length in bytes", async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ i, title: `សេចក្តីថ្លែងការណ៍រួម ${i}`, body: "ក្រុមប្រឹក្សា".repeat(5) }));
    const app = new Hono<AppEnv>();
    app.use("*", requestPipeline(plain.ctx.deps));
    app.get("/khmer", (c) => c.json({ items }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    servers.push(server);
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const res = await raw((server.address() as AddressInfo).port, "GET", "/khmer");
    const sent = JSON.stringify({ items });
    expect(Buffer.byteLength(sent)).toBeGreaterThan(2 * sent.length);
    expect(Buffer.from(res.body, "latin1").toString("utf8")).toBe(sent);
    expectHeaders(res, { "content-type": "application/json", vary: "Accept-Encoding", ...security(false, false) }, "khmer");
  });

  it("lightParts takes only @hono/node-server's answer with a content type, Vary and a length alone", () => {
    const json = new LightResponse("{}", { headers: { "Content-Type": "application/json" } });
    expect(lightParts(json)?.[2]).toEqual({ "Content-Type": "application/json" });
    const all = { "content-type": "text/html", vary: "Cookie", "content-length": "2" };
    expect(lightParts(new LightResponse("{}", { headers: all }))).toBeDefined();
    // Any other header of its own (a cookie, a cache policy, a CSP) keeps the Headers path.
    expect(lightParts(new LightResponse("{}", { headers: { "content-type": "text/html", "set-cookie": "a=b" } }))).toBeUndefined();
    expect(lightParts(new LightResponse("{}", { headers: new Headers({ "content-type": "text/html" }) }))).toBeUndefined();
    // Once its headers are read as Headers, the record is gone.
    json.headers.set("x-a", "b");
    expect(lightParts(json)).toBeUndefined();
    expect(lightParts(new UndiciResponse("{}", { headers: { "content-type": "application/json" } }))).toBeUndefined();
    expect(headerIn({ "Content-Type": "text/html" }, "content-type")).toBe("text/html");
  });

  it("withHeaders gives a new record, later headers winning, and leaves the ones it was given as they were", () => {
    const own = Object.freeze({ "content-type": "application/json", vary: "Cookie" });
    const security = Object.freeze({ "x-frame-options": "DENY", vary: "Accept-Encoding" });
    const out = withHeaders(own, security, { "x-request-id": "r-12345678" });
    expect(out).toEqual({
      "content-type": "application/json",
      vary: "Accept-Encoding",
      "x-frame-options": "DENY",
      "x-request-id": "r-12345678",
    });
    expect(Object.keys(out)).toEqual(["content-type", "vary", "x-frame-options", "x-request-id"]);
    expect(own).toEqual({ "content-type": "application/json", vary: "Cookie" });
    expect(out).not.toBe(own);
    expect(withHeaders(own)).toEqual(own);
  });
});
