/**
 * What the sign-in page and the dashboard download, in English and Khmer, measured in Chromium
 * from the bytes on the wire (CDP Network events, headers included), and their Largest Contentful
 * Paint under DevTools' "Slow 4G" network with a 4× slower CPU. The figures go to
 * packages/web/artifacts/performance.{md,json} (git-ignored): a report, not a timed assertion.
 * The assertions are on what was sent (compressed, which catalog parts), which timing cannot flake.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Language } from "@samakki/shared/i18n/translate";
import type { CDPSession } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, launchBrowser, PHONE, setupCoalition, signIn, startServer, type TestBrowser, type TestServer } from "./harness.ts";

const coordinator = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const organisation = { name: "Cambodian Center for Human Rights", shortName: "CCHR" };
const KiB = 1024;

/** Chrome DevTools' "Slow 4G" preset (throughput in bytes per second), and its usual 4× CPU slowdown. */
const SLOW_4G = { latency: 150 * 3.75, downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9, uploadThroughput: ((750 * 1000) / 8) * 0.9 };
const CPU_SLOWDOWN = 4;

type Kind = "js" | "css" | "font" | "html" | "api" | "other";
type Measurement = {
  page: string;
  lang: Language;
  bytes: Record<Kind, number>;
  total: number;
  /** Each response, with when its request was sent and when it finished (ms after navigation). */
  files: { url: string; kind: Kind; bytes: number; encoding: string | null; startMs: number; endMs: number }[];
  lcpMs: number;
};

let server: TestServer;
let browser: TestBrowser;
let coalitionId = "";
const results: Measurement[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ coalitionId } = await setupCoalition(new ApiClient(server.url), { coordinator, organisation }));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (results.length === 0) return;
  const dir = join(import.meta.dirname, "../artifacts");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "performance.json"), `${JSON.stringify(results, null, 2)}\n`);
  const kib = (n: number) => `${(n / KiB).toFixed(1)} KiB`;
  const rows = results.map(
    (r) =>
      `| ${r.page} | ${r.lang} | ${kib(r.bytes.js)} | ${kib(r.bytes.css)} | ${kib(r.bytes.font)} | ${kib(r.bytes.html)} | ${kib(r.bytes.api)} | ${kib(r.total)} | ${(r.lcpMs / 1000).toFixed(2)} s |`,
  );
  const report = [
    "# Performance report (browser tests)",
    "",
    `Chromium, ${PHONE.width}×${PHONE.height}, empty cache, DevTools "Slow 4G" (${SLOW_4G.latency} ms, ${Math.round((SLOW_4G.downloadThroughput * 8) / 1000)} kbit/s down) and a ${CPU_SLOWDOWN}× slower CPU.`,
    "Bytes as transferred (compressed bodies plus headers), from CDP Network.loadingFinished. Target LCP: 2.5 s.",
    "Reproduce: `pnpm --filter @samakki/web build && pnpm --filter @samakki/api build && cd packages/web && pnpm exec vitest run -c vitest.e2e.config.ts e2e/performance.e2e.test.ts`.",
    "",
    "| page | language | JS | CSS | fonts | HTML | API | total | LCP |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    // The waterfall shows the round trips that stand between a visit and its first useful paint.
    ...results.flatMap((r) => [
      `## ${r.page}, ${r.lang}: requests (sent → finished, ms after navigation)`,
      "",
      ...r.files.toSorted((a, b) => a.startMs - b.startMs).map((f) => `- ${f.startMs} → ${f.endMs}: ${f.url} (${kib(f.bytes)})`),
      "",
    ]),
  ].join("\n");
  await writeFile(join(dir, "performance.md"), report);
  console.log(report);
});

function kindOf(type: string, url: string): Kind {
  if (url.includes("/api/")) return "api";
  if (type === "Script") return "js";
  if (type === "Stylesheet") return "css";
  if (type === "Font") return "font";
  if (type === "Document") return "html";
  return "other";
}

async function throttle(cdp: CDPSession) {
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, ...SLOW_4G });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
}

/** Loads `path` in a fresh context (empty cache) and records every response's transferred size. */
async function measure(name: string, path: string, lang: Language, signedIn: boolean): Promise<Measurement> {
  const context = await browser.newContext({ viewport: PHONE, language: lang });
  try {
    if (signedIn) expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
    // The largest contentful paint so far, kept where the test can read it.
    await context.addInitScript(() => {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) document.documentElement.dataset.lcp = String(entry.startTime);
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await throttle(cdp);
    const responses = new Map<string, { url: string; kind: Kind; encoding: string | null }>();
    const sentAt = new Map<string, number>();
    let navigationStart = Number.NaN;
    cdp.on("Network.requestWillBeSent", (e) => {
      if (Number.isNaN(navigationStart)) navigationStart = e.timestamp;
      sentAt.set(e.requestId, e.timestamp);
    });
    const files: Measurement["files"] = [];
    cdp.on("Network.responseReceived", (e) => {
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      responses.set(e.requestId, {
        url: e.response.url,
        kind: kindOf(e.type, e.response.url),
        encoding: headers["content-encoding"] ?? null,
      });
    });
    cdp.on("Network.loadingFinished", (e) => {
      const response = responses.get(e.requestId);
      if (!response) return;
      const ms = (t: number) => Math.round((t - navigationStart) * 1000);
      const startMs = ms(sentAt.get(e.requestId) ?? navigationStart);
      files.push({ ...response, url: response.url.replace(server.url, ""), bytes: e.encodedDataLength, startMs, endMs: ms(e.timestamp) });
    });
    await page.goto(`${server.url}${path}`, { waitUntil: "networkidle", timeout: 60_000 });
    await page.getByRole("heading", { level: 1 }).first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState("networkidle");
    const lcpMs = Number(await page.evaluate(() => document.documentElement.dataset.lcp ?? "NaN"));
    const bytes: Record<Kind, number> = { js: 0, css: 0, font: 0, html: 0, api: 0, other: 0 };
    for (const f of files) bytes[f.kind] += f.bytes;
    const total = files.reduce((n, f) => n + f.bytes, 0);
    const measurement = { page: name, lang, bytes, total, files, lcpMs };
    results.push(measurement);
    return measurement;
  } finally {
    await context.close();
  }
}

describe("what a phone on a slow network downloads", () => {
  for (const lang of ["en", "km"] as const) {
    it(`the sign-in page in ${lang}: compressed scripts and styles, the core of the catalog only`, async () => {
      const m = await measure("sign-in", "/sign-in", lang, false);
      const scripts = m.files.filter((f) => f.kind === "js" || f.kind === "css");
      expect(scripts.length).toBeGreaterThan(1);
      for (const f of scripts) expect(f.encoding, f.url).toBe("br");
      const catalogs = m.files.filter((f) => f.url.includes("/catalog-")).map((f) => f.url.replace(/^.*\/(catalog-\w+-\w+)-.*$/, "$1"));
      expect(catalogs).toEqual(lang === "km" ? ["catalog-km-core"] : []);
      expect(Number.isFinite(m.lcpMs)).toBe(true);
    });

    it(`the dashboard in ${lang}: its code, the rest of the catalog and its reads are asked for at once`, async () => {
      const m = await measure("dashboard", `/c/${coalitionId}`, lang, true);
      // The page names the code of the signed-in frame and the dashboard (the API's page-hints.ts), so it is asked
      // for before the entry has arrived; and it is one file (signed-in-chunk.ts), not a round trip per shared module.
      const entry = m.files.find((f) => /\/assets\/index-[^/]+\.js$/.test(f.url));
      const shell = m.files.find((f) => /\/assets\/signed-in-[^/]+\.js$/.test(f.url));
      expect(shell?.startMs).toBeLessThan(entry?.endMs ?? 0);
      const early = m.files
        .filter((f) => f.kind === "js" && f.startMs < (entry?.endMs ?? 0))
        // A chunk's hash is 8 characters, which may include "-" and "_".
        .map((f) => f.url.replace(/^\/assets\/(.*)-[\w-]{8}\.js$/, "$1"));
      // In Khmer, the whole catalog in one file: its two parts would be one request more than the six connections.
      expect(early.sort()).toEqual(lang === "km" ? ["catalog-km-whole", "index", "signed-in"] : ["index", "signed-in"]);
      // Its first API reads too (rel=preload as=fetch), and the app's own fetch takes each answer: none is asked twice.
      // The two-factor gate reads /api/me's answer: no request of its own.
      expect(m.files.filter((f) => f.url.startsWith("/api/me/two-factor"))).toEqual([]);
      const reads = m.files.filter((f) => f.kind === "api").map((f) => f.url);
      for (const read of ["/api/me", `/api/coalitions/${coalitionId}/dashboard`]) {
        expect(
          reads.filter((url) => url === read),
          read,
        ).toHaveLength(1);
        expect(m.files.find((f) => f.url === read)?.startMs ?? Number.POSITIVE_INFINITY, read).toBeLessThan(entry?.endMs ?? 0);
      }
      for (const f of m.files.filter((f) => f.kind === "js" || f.kind === "css")) expect(f.encoding, f.url).toBe("br");
      const catalogs = m.files.filter((f) => f.url.includes("/catalog-")).map((f) => f.url.replace(/^.*\/(catalog-\w+-\w+)-.*$/, "$1"));
      // The English rest (every key's fallback) is inside the signed-in chunk; Khmer's catalog comes whole, once.
      expect(catalogs.sort()).toEqual(lang === "km" ? ["catalog-km-whole"] : []);
    });
  }
});
