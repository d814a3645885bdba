import { Hono } from "hono";
import { jsx } from "hono/jsx";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, ORIGIN, type TestContext } from "../../../../test/app.ts";
import type { AppEnv } from "../../../lib/context.ts";
import { PUBLIC_PAGE_CSP, securityHeaders } from "../../../lib/security.ts";
import { formatPublicDate, formatPublicNumber, PublicPage, publicHtml, publicLanguage, publicT, withKhmerFace } from "../layout.tsx";

/** A page built with the layout, on a small app that has the real app's deps (for PUBLIC_URL). */
function pageApp(ctx: TestContext) {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("deps", ctx.deps);
    await next();
  });
  app.use("*", securityHeaders);
  app.get("/elsewhere", (c) => c.html("<p>x</p>", 200, { "content-security-policy": "default-src *" }));
  app.get("/coalitions/demo", (c) => {
    const lang = publicLanguage(c);
    const t = publicT(lang);
    return publicHtml(
      c,
      jsx(
        PublicPage,
        {
          lang,
          title: `<Title> & ${t("publicSite.layout.brand")}`,
          path: "/coalitions/demo",
          og: { title: 'A "quoted" title', description: "Desc", image: "/coalitions/demo/share.png" },
        },
        jsx("p", { class: "card" }, "<script>alert(1)</script>"),
      ),
      { maxAge: 120 },
    );
  });
  return app;
}

describe("the public page layout", () => {
  let ctx: TestContext;
  let app: Hono<AppEnv>;
  beforeAll(async () => {
    ctx = await buildTestApp();
    app = pageApp(ctx);
  });

  it("renders a whole document in the asked language with canonical, hreflang and Open Graph, everything escaped", async () => {
    const res = await app.request("/coalitions/demo?lang=km");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith('<!doctype html><html lang="km">')).toBe(true);
    expect(html).toContain('<link rel="stylesheet" href="/public/site.css"/>');
    expect(html).toContain(`<link rel="canonical" href="${ORIGIN}/coalitions/demo?lang=km"/>`);
    expect(html).toContain(`hreflang="en" href="${ORIGIN}/coalitions/demo?lang=en"`);
    expect(html).toContain(`hreflang="x-default" href="${ORIGIN}/coalitions/demo"`);
    expect(html).toContain(`<meta property="og:image" content="${ORIGIN}/coalitions/demo/share.png"/>`);
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(html).toContain("&lt;Title&gt; &amp; សាមគ្គី");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script");
    expect(html).toContain("A &quot;quoted&quot; title");
    expect(res.headers.get("cache-control")).toBe("public, max-age=120, stale-while-revalidate=1440");
    // ?lang= fixes the language: the answer does not depend on Accept-Language.
    expect(res.headers.get("vary")).toBeNull();
  });

  it("lets public pages (only) use style attributes for progress bars, and nothing else", async () => {
    const page = await app.request("/coalitions/demo?lang=en");
    expect(page.headers.get("content-security-policy")).toBe(PUBLIC_PAGE_CSP);
    expect(PUBLIC_PAGE_CSP).toContain("script-src 'self'");
    expect(PUBLIC_PAGE_CSP).toMatch(/style-src 'self'; .*style-src-attr 'unsafe-inline'$/);
    // The Khmer face comes inside a stylesheet of ours, as a data: URL; nothing else may.
    expect(PUBLIC_PAGE_CSP).toContain("font-src 'self' data:;");
    expect(PUBLIC_PAGE_CSP).toMatch(/default-src 'self';.*img-src 'self' data:;/);
    const other = await app.request("/elsewhere");
    expect(other.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    expect(other.headers.get("content-security-policy")).not.toContain("default-src *");
  });

  it("follows Accept-Language without ?lang= and says so in Vary", async () => {
    const res = await app.request("/coalitions/demo", { headers: { "accept-language": "en-US,en;q=0.9" } });
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("&lt;Title&gt; &amp; Samakki");
    expect(res.headers.get("vary")).toBe("Accept-Language");
  });

  it("answers 304 to a matching If-None-Match, as sent or as a compressed answer carried it, and 200 with the body otherwise", async () => {
    const first = await app.request("/coalitions/demo?lang=en");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await app.request("/coalitions/demo?lang=en", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect((await app.request("/coalitions/demo?lang=en", { headers: { "if-none-match": `W/${etag}` } })).status).toBe(304);
    // As a compressed answer carried it (lib/compression.ts names the encoding in the tag).
    for (const encoded of [`${etag.slice(0, -1)}-br"`, `${etag.slice(0, -1)}-gzip"`])
      expect((await app.request("/coalitions/demo?lang=en", { headers: { "if-none-match": encoded } })).status).toBe(304);
    const other = await app.request("/coalitions/demo?lang=km", { headers: { "if-none-match": etag } });
    expect(other.status).toBe(200);
    expect(other.headers.get("etag")).not.toBe(etag);
  });

  it("formats dates and numbers for readers, Khmer numerals in Khmer", () => {
    expect(formatPublicNumber(1234.5, "km")).toBe("១.២៣៤,៥");
    expect(formatPublicNumber("1234.5", "en")).toBe("1,234.5");
    expect(formatPublicDate("2026-12-01", "en", "Pacific/Kiritimati")).toBe("1 December 2026");
    expect(formatPublicDate(new Date("2026-11-30T20:00:00Z"), "en", "Asia/Phnom_Penh")).toBe("1 December 2026");
    expect(formatPublicDate("2026-12-01", "km", "Asia/Phnom_Penh")).toContain("២០២៦");
  });

  it("links the Khmer face's stylesheet after its own on a page with Khmer text, and only then", async () => {
    const face = '<link rel="stylesheet" href="/public/site.css"/><link rel="stylesheet" href="/public/khmer.css"/>';
    expect(await (await app.request("/coalitions/demo?lang=km")).text()).toContain(face);
    // English, with no Khmer but the language switcher's own name for it: the face is not needed.
    const english = await (await app.request("/coalitions/demo?lang=en")).text();
    expect(english).toContain(">ខ្មែរ</a>");
    expect(english).not.toContain("/public/khmer.css");
    // English, with a Khmer title on it.
    const titled = english.replace("<main>", "<main><h1>យុទ្ធនាការ</h1>");
    expect(titled).toContain("យុទ្ធនាការ");
    expect(withKhmerFace(titled)).toContain(face);
    expect(withKhmerFace(withKhmerFace(titled)).match(/khmer\.css/g)).toHaveLength(1);
  });

  it("serves the Khmer face inside a stylesheet: the font subset's own bytes, as a data: URL", async () => {
    const css = await ctx.anonymous().get("/public/khmer.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toContain("text/css");
    const data = /url\(data:font\/woff2;base64,([A-Za-z0-9+/=]+)\) format\("woff2"\)/.exec(css.text)?.[1] ?? "";
    const font = new Uint8Array(await (await ctx.app.request("/public/fonts/noto-sans-khmer-400.woff2")).arrayBuffer());
    expect(font.byteLength).toBeGreaterThan(10_000);
    expect(Buffer.from(data, "base64").equals(Buffer.from(font))).toBe(true);
    // The same face as site.css names, for Khmer letters only.
    expect(css.text).toContain('font-family:"Noto Sans Khmer";font-weight:400');
    expect(css.text).toContain("unicode-range:U+1780-17FF");
  });

  it("serves the stylesheet under both names and the font subset from the real app", async () => {
    const site = await ctx.anonymous().get("/public/site.css");
    expect(site.status).toBe(200);
    expect(site.headers.get("content-type")).toContain("text/css");
    expect(site.text).toContain(".progress");
    const legacy = await ctx.anonymous().get("/public/statement.css");
    expect(legacy.text).toBe(site.text);
    const font = await ctx.app.request("/public/fonts/noto-sans-khmer-400.woff2");
    expect(font.status).toBe(200);
    expect(font.headers.get("content-type")).toBe("font/woff2");
    expect((await ctx.app.request("/public/fonts/other.woff2")).status).toBe(404);
    for (const name of ["__proto__", "constructor", "toString"])
      expect((await ctx.app.request(`/public/fonts/${name}`)).status, name).toBe(404);
  });
});
