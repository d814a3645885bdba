import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ESM script without types, shared with the CLI report
import { BUDGETS, KiB, measure, report } from "../scripts/bundle-size.mjs";

type Page = { js: number; css: number; html: number; fonts: number; total: number; files: string[] };
type Result = Record<"signIn" | "dashboard", Record<"en" | "km", Page>>;

const dist = join(import.meta.dirname, "../dist");
const result = measure(dist) as Result;
const budgets = BUDGETS as Record<"signInJs" | "dashboardTotal" | "khmerAddsJs", number>;
console.log(report(result));

describe("size budget, in bytes as the API sends them (brotli)", () => {
  it("every text file of the build has brotli and gzip twins with the same content", () => {
    const files = [...new Set([...result.signIn.km.files, ...result.dashboard.km.files])].filter((f) => !f.endsWith(".woff2"));
    expect(files.length).toBeGreaterThan(1);
    for (const file of [...files, "index.html"]) {
      const raw = readFileSync(join(dist, file));
      expect(brotliDecompressSync(readFileSync(join(dist, `${file}.br`))).equals(raw), `${file}.br`).toBe(true);
      expect(gunzipSync(readFileSync(join(dist, `${file}.gz`))).equals(raw), `${file}.gz`).toBe(true);
    }
    expect(existsSync(join(dist, ".vite/manifest.json.br"))).toBe(false);
  });

  it("the sign-in page loads at most 100 KiB of JS, in English and in Khmer", () => {
    // react-dom is about 55 KiB of it; the answers are checked with zod/mini (lib/first-screen-schemas.ts),
    // and the signed-in shell, the password prompt and full zod load after sign-in.
    expect(budgets.signInJs).toBe(100 * KiB);
    expect(result.signIn.en.js).toBeLessThanOrEqual(budgets.signInJs);
    expect(result.signIn.km.js).toBeLessThanOrEqual(budgets.signInJs);
  });

  it("the service worker's registration is not on the first screen's path (loaded after the page's load event)", () => {
    // src/main.tsx imports lib/pwa.tsx (workbox-window with it) dynamically, once the page has loaded.
    for (const page of [result.signIn.en, result.dashboard.en])
      expect(page.files.filter((f) => /\/(?:pwa|workbox-window)/.test(f))).toEqual([]);
    expect(existsSync(join(dist, "sw.js"))).toBe(true);
  });

  it("the signed-in dashboard in English is at most 150 KiB in all", () => {
    expect(result.dashboard.en.total).toBeLessThanOrEqual(budgets.dashboardTotal);
  });

  it("Khmer adds at most 30 KiB to the first load, its catalog and the bold font included", () => {
    expect(result.signIn.km.js - result.signIn.en.js).toBeGreaterThan(0);
    expect(result.signIn.km.total - result.signIn.en.total).toBeLessThanOrEqual(budgets.khmerAddsJs);
  });

  it("the first screen carries only the core of the English catalog", () => {
    // A string of a signed-in page only (the tasks section) is not in the entry's chunks.
    const entryJs = result.signIn.en.files.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(dist, f), "utf8"));
    expect(entryJs.some((code) => code.includes("Sign in"))).toBe(true);
    expect(entryJs.some((code) => code.includes("statementStatus"))).toBe(false);
  });
});
