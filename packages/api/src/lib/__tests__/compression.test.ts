import { gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { COMPRESS_THRESHOLD, compression } from "../compression.ts";
import type { AppEnv } from "../context.ts";

const big = { items: Array.from({ length: 100 }, (_, i) => ({ id: i, name: `Organisation ${i}` })) };

function app() {
  const a = new Hono<AppEnv>();
  a.use("*", compression);
  a.get("/api/coalitions/x/list", (c) => c.json(big));
  a.get("/api/coalitions/x/small", (c) => c.json({ ok: true }));
  a.get("/api/me/two-factor/setup", (c) => c.json({ ...big, secret: "JBSWY3DPEHPK3PXP" }));
  a.get("/api/auth/sign-in", (c) => c.json(big));
  a.get("/statements/x", (c) => c.html(`<!doctype html><p>${"Joint statement. ".repeat(200)}</p>`));
  return a;
}
const gzip = { headers: { "accept-encoding": "gzip, deflate, br" } };

describe("compression", () => {
  it("gzips JSON and pages above 1 KB, byte-identical once decompressed", async () => {
    for (const path of ["/api/coalitions/x/list", "/statements/x"]) {
      const plain = Buffer.from(await (await app().request(path)).arrayBuffer());
      expect(plain.length).toBeGreaterThan(COMPRESS_THRESHOLD);
      const res = await app().request(path, gzip);
      expect(res.headers.get("content-encoding"), path).toBe("gzip");
      expect(res.headers.get("vary")).toBe("Accept-Encoding");
      expect(gunzipSync(Buffer.from(await res.arrayBuffer())).equals(plain)).toBe(true);
    }
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
