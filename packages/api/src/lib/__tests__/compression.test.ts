import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESPONSE_CLASSES, useResponseClass } from "../../../test/responses.ts";
import { COMPRESS_THRESHOLD, chooseEncoding, compressAnswer } from "../compression.ts";
import type { AppEnv } from "../context.ts";

const big = { items: Array.from({ length: 100 }, (_, i) => ({ id: i, name: `Organisation ${i}` })) };

function app() {
  const a = new Hono<AppEnv>();
  // What the request pipeline does once the route has answered (request-pipeline.ts).
  a.use("*", async (c, next) => {
    await next();
    await compressAnswer(c);
  });
  a.get("/api/coalitions/x/list", (c) => c.json(big));
  a.get("/api/coalitions/x/small", (c) => c.json({ ok: true }));
  a.get("/api/me/two-factor/setup", (c) => c.json({ ...big, secret: "JBSWY3DPEHPK3PXP" }));
  a.get("/api/auth/sign-in", (c) => c.json(big));
  a.get("/statements/x", (c) => c.html(`<!doctype html><p>${"Joint statement. ".repeat(200)}</p>`));
  a.get("/api/coalitions/x/export.csv", (c) => c.body("id,name\n".repeat(500), 200, { "content-type": "text/csv; charset=utf-8" }));
  a.get("/api/coalitions/x/cached", (c) => c.json(big, 200, { "cache-control": "public, no-transform", etag: '"v1"' }));
  a.get("/api/coalitions/x/tagged", (c) => c.json(big, 200, { etag: '"v1"', vary: "Accept-Language" }));
  a.get("/api/coalitions/x/varied", (c) => c.json(big, 200, { vary: "Cookie, accept-encoding" }));
  return a;
}
const gzip = { headers: { "accept-encoding": "gzip, deflate, br" } };

describe.each(RESPONSE_CLASSES)("compression, answers made with %s", (_name, responseClass) => {
  const before = globalThis.Response;
  beforeAll(() => useResponseClass(responseClass));
  afterAll(() => useResponseClass(before));

  it("compresses JSON and pages above 1 KB, brotli first, byte-identical once decompressed, with their length", async () => {
    for (const path of ["/api/coalitions/x/list", "/statements/x"]) {
      const plain = Buffer.from(await (await app().request(path)).arrayBuffer());
      expect(plain.length).toBeGreaterThan(COMPRESS_THRESHOLD);
      for (const [accepted, encoding, decode] of [
        ["gzip, deflate, br", "br", brotliDecompressSync],
        ["gzip", "gzip", gunzipSync],
      ] as const) {
        const res = await app().request(path, { headers: { "accept-encoding": accepted } });
        expect(res.headers.get("content-encoding"), path).toBe(encoding);
        expect(res.headers.get("vary")).toBe("Accept-Encoding");
        const body = Buffer.from(await res.arrayBuffer());
        expect(res.headers.get("content-length"), path).toBe(String(body.length));
        expect(body.length).toBeLessThan(plain.length);
        expect(decode(body).equals(plain), `${path} ${encoding}`).toBe(true);
      }
    }
  });

  it("keeps the answer's own Vary, names its encoding in a strong ETag it compresses, and leaves a no-transform answer alone", async () => {
    const tagged = await app().request("/api/coalitions/x/tagged", gzip);
    expect(tagged.headers.get("content-encoding")).toBe("br");
    expect(tagged.headers.get("vary")).toBe("Accept-Language, Accept-Encoding");
    expect(tagged.headers.get("etag")).toBe('"v1-br"');
    const varied = await app().request("/api/coalitions/x/varied", gzip);
    expect(varied.headers.get("vary"), "said once").toBe("Cookie, accept-encoding");
    const cached = await app().request("/api/coalitions/x/cached", gzip);
    expect(cached.headers.get("content-encoding")).toBeNull();
    expect(cached.headers.get("etag")).toBe('"v1"');
    expect(await cached.json()).toEqual(big);
  });

  it("compresses a stream of unknown length (a CSV export) with gzip as it goes", async () => {
    const res = await app().request("/api/coalitions/x/export.csv", gzip);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8")).toBe("id,name\n".repeat(500));
  });

  it("honours the client's weights: a refused encoding is never sent, and none is sent to a client that takes none", async () => {
    expect(chooseEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(chooseEncoding("br;q=0.5, gzip")).toBe("gzip");
    expect(chooseEncoding("gzip;q=0, br;q=0")).toBeUndefined();
    expect(chooseEncoding("identity")).toBeUndefined();
    expect(chooseEncoding("*")).toBe("br");
    expect(chooseEncoding("*;q=0.1, gzip;q=0.5")).toBe("gzip");
    expect(chooseEncoding(undefined)).toBeUndefined();
    const refused = await app().request("/api/coalitions/x/list", { headers: { "accept-encoding": "gzip;q=0, br;q=0" } });
    expect(refused.headers.get("content-encoding")).toBeNull();
    expect(refused.headers.get("vary")).toBe("Accept-Encoding");
    expect(await refused.json()).toEqual(big);
  });

  it("leaves answers under 1 KB alone, with their length", async () => {
    const res = await app().request("/api/coalitions/x/small", gzip);
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("content-length")).toBe(String(JSON.stringify({ ok: true }).length));
    expect(await res.json()).toEqual({ ok: true });
  });

  it("never compresses account and sign-in answers, which carry credentials (BREACH)", async () => {
    for (const path of ["/api/me/two-factor/setup", "/api/auth/sign-in"]) {
      const res = await app().request(path, gzip);
      expect(res.headers.get("content-encoding"), path).toBeNull();
      expect(await res.json()).toMatchObject({ items: big.items });
    }
  });
});
