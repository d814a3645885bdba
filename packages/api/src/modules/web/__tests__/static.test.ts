import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";

/** A build like `vite build` writes it: hashed assets with `.br` and `.gz` twins (vite.config.ts), index.html, Vite's manifest. */
function builtWebApp() {
  const dir = mkdtempSync(join(tmpdir(), "samakki-web-"));
  mkdirSync(join(dir, "assets"));
  mkdirSync(join(dir, ".vite"));
  const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word ${i} ស្ថាប័ន`))};\n`;
  const twins = (file: string, body: string | Buffer) => {
    writeFileSync(join(dir, file), body);
    writeFileSync(join(dir, `${file}.br`), brotliCompressSync(body));
    writeFileSync(join(dir, `${file}.gz`), gzipSync(body));
  };
  twins("assets/index-AbC123.js", script);
  twins(
    "index.html",
    '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body></body></html>',
  );
  writeFileSync(join(dir, "assets", "font-XyZ.woff2"), Buffer.from([0x77, 0x4f, 0x46, 0x32, 1, 2, 3]));
  writeFileSync(
    join(dir, ".vite", "manifest.json"),
    JSON.stringify({
      "index.html": { file: "assets/index-AbC123.js", isEntry: true, assets: ["assets/font-XyZ.woff2", "assets/mark-M1.svg"] },
      "virtual:samakki-catalog/km/core": { file: "assets/catalog-km-core-Km1.js", isDynamicEntry: true },
      "virtual:samakki-catalog/km/rest": { file: "assets/catalog-km-rest-Km2.js", isDynamicEntry: true },
      "virtual:samakki-catalog/km/whole": { file: "assets/catalog-km-whole-Km3.js", isDynamicEntry: true },
      // The signed-in frame and the dashboard, grouped by the build (packages/web/signed-in-chunk.ts).
      "_signed-in-S1.js": { file: "assets/signed-in-S1.js", name: "signed-in", imports: ["index.html", "_format-F1.js"] },
      "_format-F1.js": { file: "assets/format-F1.js" },
      "src/features/tasks/components/TasksSection.tsx": {
        file: "assets/TasksSection-T1.js",
        isDynamicEntry: true,
        imports: ["_signed-in-S1.js"],
      },
    }),
  );
  twins("sw.js", "self.addEventListener('fetch', () => {});\n");
  twins("manifest.km.webmanifest", JSON.stringify({ name: "សាមគ្គី", start_url: "/" }));
  return { dir, script: Buffer.from(script) };
}

describe("static files of the web app", () => {
  let ctx: TestContext;
  let web: ReturnType<typeof builtWebApp>;
  beforeAll(async () => {
    web = builtWebApp();
    ctx = await buildTestApp({ webDist: web.dir });
  });
  const get = (path: string, headers: Record<string, string> = {}) => ctx.app.request(path, { headers });
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

  it("sends the brotli twin to a browser that accepts br, with Vary, its own length and a year of caching", async () => {
    const res = await get("/assets/index-AbC123.js", { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("br");
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const body = await bytes(res);
    expect(Number(res.headers.get("content-length"))).toBe(body.length);
    expect(body.length).toBeLessThan(web.script.length / 3);
    expect(brotliDecompressSync(body).equals(web.script)).toBe(true);
  });

  it("sends the gzip twin to a browser that accepts gzip only", async () => {
    const res = await get("/assets/index-AbC123.js", { "accept-encoding": "gzip" });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
    const body = await bytes(res);
    expect(Number(res.headers.get("content-length"))).toBe(body.length);
    expect(gunzipSync(body).equals(web.script)).toBe(true);
  });

  it("sends the file itself when no encoding is accepted, still saying that the answer varies", async () => {
    for (const headers of [{}, { "accept-encoding": "identity" }] as Record<string, string>[]) {
      const res = await get("/assets/index-AbC123.js", headers);
      expect(res.headers.get("content-encoding")).toBeNull();
      expect(res.headers.get("vary")).toBe("Accept-Encoding");
      const body = await bytes(res);
      expect(Number(res.headers.get("content-length"))).toBe(body.length);
      expect(body.equals(web.script)).toBe(true);
    }
  });

  it("sends fonts as they are (woff2 is compressed already), without Vary", async () => {
    const res = await get("/assets/font-XyZ.woff2", { "accept-encoding": "gzip, br" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("vary")).toBeNull();
    expect(res.headers.get("content-type")).toBe("font/woff2");
  });

  it("answers index.html for the app's routes with an ETag, and 304 when the browser has it", async () => {
    const first = await get("/c/some-coalition/tasks");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^text\/html/);
    expect(first.headers.get("cache-control")).toBe("private, no-cache");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(await first.text()).toContain("/assets/index-AbC123.js");

    const again = await get("/sign-in", { "if-none-match": etag ?? "" });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);

    const stale = await get("/sign-in", { "if-none-match": '"something-else"' });
    expect(stale.status).toBe(200);

    // By its name too, it is revalidated rather than cached for minutes.
    const byName = await get("/index.html", { "accept-encoding": "br" });
    expect(byName.status).toBe(200);
    expect(byName.headers.get("cache-control")).toBe("no-cache");
    expect(byName.headers.get("content-encoding")).toBe("br");
  });

  it("names the Khmer catalog's first part in the page when the app will start in Khmer, so it downloads with the code", async () => {
    const preload = '<link rel="modulepreload" crossorigin href="/assets/catalog-km-core-Km1.js">';
    // And its faces, which the app waits for before drawing Khmer (only the fonts of the entry's assets).
    const faces = (html: string) =>
      [...html.matchAll(/<link rel="preload" as="font" type="font\/woff2" crossorigin href="([^"]+)">/g)].map((m) => m[1]);
    for (const header of ["km-KH,km;q=0.9", "en-US,en;q=0.9,km;q=0.8", "KM"]) {
      const res = await get("/sign-in", { "accept-language": header });
      const html = await res.text();
      expect(html, header).toContain(preload);
      expect(faces(html), header).toEqual(["/assets/font-XyZ.woff2"]);
      expect(res.headers.get("vary"), header).toMatch(/Accept-Language/);
    }
    for (const header of ["en-US,en;q=0.9", "en, km;q=0", "kmr", ""]) {
      const res = await get("/sign-in", header ? { "accept-language": header } : {});
      const html = await res.text();
      expect(html, header).not.toContain("modulepreload");
      expect(html, header).not.toContain("preload");
      expect(html, header).toContain("/assets/index-AbC123.js");
    }
    // The language chosen in the app (its cookie) comes first, either way.
    expect(await (await get("/sign-in", { "accept-language": "en", cookie: "samakki-language=km" })).text()).toContain(preload);
    expect(await (await get("/sign-in", { "accept-language": "km", cookie: "samakki-language=en" })).text()).not.toContain(preload);
    expect(await (await get("/sign-in", { "accept-language": "km", cookie: "samakki-language=fr" })).text()).toContain(preload);
    // Each variant has its own ETag, so a revalidation never answers 304 with the other one.
    const km = await get("/sign-in", { "accept-language": "km" });
    const en = await get("/sign-in", { "accept-language": "en" });
    expect(km.headers.get("etag")).not.toBe(en.headers.get("etag"));
  });

  it("names the dashboard's catalog, code and first API reads on its address when a session cookie comes with it", async () => {
    const named = (html: string) => [...html.matchAll(/rel="modulepreload" crossorigin href="([^"]+)"/g)].map((m) => m[1]);
    const fetched = (html: string) => [...html.matchAll(/rel="preload" as="fetch" crossorigin href="([^"]+)"/g)].map((m) => m[1]);
    const coalitionId = "2c139cfa-8fb5-4eaa-9a5d-6b0eef3ee4f6";
    const signedIn = { cookie: "__Host-samakki_session=some-token", "accept-language": "en" };
    const dashboard = await (await get(`/c/${coalitionId}`, signedIn)).text();
    // The signed-in chunk (the English catalog's signed-in part is in it) and what it imports, not the other pages'.
    expect(named(dashboard)).toEqual(["/assets/signed-in-S1.js", "/assets/format-F1.js"]);
    // The API reads ahead of the code: small, and the browser opens only a few connections at once.
    expect(fetched(dashboard)).toEqual(["/api/me", `/api/coalitions/${coalitionId}/dashboard`]);
    expect(dashboard.indexOf('as="fetch"')).toBeLessThan(dashboard.indexOf("modulepreload"));
    // In Khmer, the Khmer catalog too, first (nothing is drawn without it): whole, in one file rather than its two parts,
    // since the browser opens few connections at once.
    const khmer = await (await get(`/c/${coalitionId}`, { ...signedIn, cookie: "__Host-samakki_session=t; samakki-language=km" })).text();
    expect(named(khmer)).toEqual(["/assets/catalog-km-whole-Km3.js", "/assets/signed-in-S1.js", "/assets/format-F1.js"]);
    // Not without a session (the page will send the person to sign in), nor on other pages.
    const signedOut = await (await get(`/c/${coalitionId}`, { "accept-language": "en" })).text();
    expect([...named(signedOut), ...fetched(signedOut)]).toEqual([]);
    expect(named(await (await get(`/c/${coalitionId}/tasks`, signedIn)).text())).toEqual([]);
    expect(named(await (await get("/sign-in", signedIn)).text())).toEqual([]);
    // An address whose id is not an id gets no API read: nothing from the address is written into the page.
    const odd = await (await get("/c/x%22onload=%22alert(1)", signedIn)).text();
    expect(odd).not.toContain("onload");
    expect(fetched(odd)).toEqual([]);
  });

  it("gives a page the signed-in hint when a session cookie comes without it, and nothing to anyone else", async () => {
    const session = "__Host-samakki_session=abcdefghijklmnopqrstuvwxyz234567";
    const withSession = await get("/c/whatever", { cookie: session });
    expect(withSession.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^__Host-samakki_signed_in=1; Path=\/; Secure; SameSite=Lax$/),
    ]);
    expect((await get("/c/whatever", { cookie: `${session}; __Host-samakki_signed_in=1` })).headers.getSetCookie()).toEqual([]);
    expect((await get("/sign-in")).headers.getSetCookie()).toEqual([]);
    expect((await get("/sign-in", { cookie: "samakki-language=km" })).headers.getSetCookie()).toEqual([]);
  });

  it("answers /favicon.ico with the app's icon (a permanent redirect to /favicon.svg), not a 404", async () => {
    const res = await get("/favicon.ico");
    expect(res.status).toBe(301);
    // (The icon itself is packages/web/public/favicon.svg, copied into every build.)
    expect(res.headers.get("location")).toBe("/favicon.svg");
  });

  it("sends the service worker revalidated on every request, so an update check always reaches the server", async () => {
    const res = await get("/sw.js", { "accept-encoding": "br" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("content-security-policy")).toContain("worker-src 'self'");
  });

  it("answers a revalidation of the service worker with 304 until it changes, per encoding", async () => {
    const first = await get("/sw.js", { "accept-encoding": "br" });
    const tag = first.headers.get("etag");
    expect(tag).toBeTruthy();
    const same = await get("/sw.js", { "accept-encoding": "br", "if-none-match": tag ?? "" });
    expect(same.status).toBe(304);
    expect((await bytes(same)).length).toBe(0);
    expect(same.headers.get("etag")).toBe(tag);
    expect(same.headers.get("cache-control")).toBe("no-cache");
    expect(same.headers.get("vary")).toBe("Accept-Encoding");
    // Another encoding is another body, with its own tag: the br tag does not validate the gzip answer.
    const gzip = await get("/sw.js", { "accept-encoding": "gzip", "if-none-match": tag ?? "" });
    expect(gzip.status).toBe(200);
    expect(gunzipSync(await bytes(gzip)).toString("utf8")).toContain("addEventListener");
    // A new release: the old tag no longer matches, and the new worker is sent whole.
    const file = join(web.dir, "sw.js.br");
    const original = readFileSync(file);
    const next = "self.addEventListener('fetch', () => {}); // the next release\n";
    try {
      writeFileSync(file, brotliCompressSync(next));
      const changed = await get("/sw.js", { "accept-encoding": "br", "if-none-match": tag ?? "" });
      expect(changed.status).toBe(200);
      expect(changed.headers.get("etag")).not.toBe(tag);
      expect(brotliDecompressSync(await bytes(changed)).toString("utf8")).toBe(next);
    } finally {
      writeFileSync(file, original);
    }
  });

  it("sends the web app manifest as application/manifest+json, allowed by the CSP", async () => {
    const res = await get("/manifest.km.webmanifest", { "accept-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("content-security-policy")).toContain("manifest-src 'self'");
    expect(JSON.parse(gunzipSync(await bytes(res)).toString("utf8"))).toMatchObject({ name: "សាមគ្គី" });
  });

  it("404s unknown files, the build's dot folders and unknown API paths", async () => {
    expect((await get("/assets/missing-123.js")).status).toBe(404);
    expect((await get("/.vite/manifest.json")).status).toBe(404);
    expect((await get("/assets/..%2f..%2fpackage.json")).status).toBe(404);
    const api = await get("/api/no-such-route");
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toMatch(/problem\+json/);
  });
});

describe("compression of dynamic answers", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp({ webDist: builtWebApp().dir });
  });

  it("compresses JSON above 1 KB (the OpenAPI document): brotli for a browser, gzip otherwise, byte-identical once decompressed, with Vary and its length", async () => {
    const plain = await ctx.app.request("/api/openapi.json");
    const plainBody = Buffer.from(await plain.arrayBuffer());
    expect(plainBody.length).toBeGreaterThan(1024);
    expect(plain.headers.get("content-encoding")).toBeNull();
    // The plain answer varies by Accept-Encoding too, so a shared cache never serves it for the gzip one or back.
    expect(plain.headers.get("vary")).toMatch(/accept-encoding/i);

    for (const [accepted, encoding, decode] of [
      ["gzip, deflate, br, zstd", "br", brotliDecompressSync],
      ["gzip, deflate", "gzip", gunzipSync],
    ] as const) {
      const res = await ctx.app.request("/api/openapi.json", { headers: { "accept-encoding": accepted } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-encoding")).toBe(encoding);
      expect(res.headers.get("vary")).toMatch(/accept-encoding/i);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get("content-length")).toBe(String(body.length));
      expect(body.length).toBeLessThan(plainBody.length / 3);
      expect(decode(body).equals(plainBody)).toBe(true);
    }
  });

  it("leaves answers under 1 KB alone", async () => {
    const res = await ctx.app.request("/api/no-such-route", { headers: { "accept-encoding": "gzip" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-encoding")).toBeNull();
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBeLessThan(1024);
    expect(JSON.parse(body.toString("utf8"))).toMatchObject({ code: "not_found" });
  });

  it("never compresses the account and sign-in answers, which carry credentials (BREACH)", async () => {
    const res = await ctx.app.request("/api/me", { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.get("content-encoding")).toBeNull();
  });
});
