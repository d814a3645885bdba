#!/usr/bin/env node
// What each page downloads from the built app (packages/web/dist), in bytes as sent by the API:
// the brotli twin of each text file (what a browser that accepts `br` receives, see
// packages/api/src/modules/web/static.routes.ts) and fonts as they are (woff2 is compressed).
// The chunks of a page come from Vite's manifest: the entry and its static imports, plus the lazy
// modules the page renders at once. Run `pnpm --filter @samakki/web size` after a build
// (`-- --identity` for the uncompressed sizes).
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const KiB = 1024;

/** Budgets of issue 10 (item 3), in bytes as sent. */
export const BUDGETS = {
  signInJs: 100 * KiB,
  dashboardTotal: 150 * KiB,
  khmerAddsJs: 30 * KiB,
  // The public statement page (60 KiB) is server-rendered: packages/api/src/modules/web/__tests__/public-page-budget.test.ts.
};

/**
 * Lazy chunks each page renders on its first paint: manifest keys, or `chunk:<name>` for a chunk
 * the build groups under a name. Keep in step with src/app/router.tsx and src/app/pages.ts.
 * The sign-in page is in the entry (SignInPage.tsx is not a lazy chunk); the signed-in frame and
 * the dashboard are the `signed-in` chunk (signed-in-chunk.ts).
 */
export const PAGES = {
  signIn: { catalog: ["core"], lazy: [] },
  // In Khmer, a visit that starts signed in loads the whole catalog as one file (src/lib/catalogs.ts);
  // English has no such file (its core is in the entry, its rest in the signed-in chunk).
  dashboard: { catalog: ["whole"], lazy: ["chunk:signed-in"] },
};

/** The manifest keys of a PAGES entry; one that the build does not have is an error, not a page that got lighter. */
function keysOf(manifest, lazy) {
  return lazy.flatMap((key) => {
    const keys = key.startsWith("chunk:")
      ? Object.keys(manifest).filter((k) => manifest[k].name === key.slice("chunk:".length))
      : [key].filter((k) => manifest[k]);
    if (keys.length === 0) throw new Error(`bundle-size: ${key} is not in the build's manifest (update PAGES)`);
    return keys;
  });
}

/** Catalog parts (catalog-split.ts, src/lib/catalogs.ts); English core is in the entry. */
const catalogChunk = (lang, part) => `virtual:samakki-catalog/${lang}/${part}`;
const KHMER_FONT = /noto-sans-khmer-khmer-(400|700)-normal/;

/**
 * Bytes sent for one built file: its `.br` twin if the build wrote one, else the file itself
 * (`identity`: the file itself, as a server without compression sends it).
 */
export function sentBytes(dist, file, identity = false) {
  const br = join(dist, `${file}.br`);
  return statSync(!identity && existsSync(br) ? br : join(dist, file)).size;
}

function closure(manifest, keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    for (const child of manifest[key].imports ?? []) visit(child);
  };
  for (const key of keys) visit(key);
  return seen;
}

/** Files (relative to dist) and bytes per page and language. */
export function measure(dist, { identity = false } = {}) {
  const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entryKey) throw new Error("no entry in the Vite manifest");
  const fontOf = (weight) => Object.values(manifest).find((c) => KHMER_FONT.test(c.file) && c.file.includes(`-${weight}-`))?.file;

  const page = ({ lazy, catalog }, lang) => {
    // The catalog parts the page waits for before its first render (main.tsx), English under the other.
    const catalogs = catalog.flatMap((part) => [catalogChunk("en", part), ...(lang === "km" ? [catalogChunk("km", part)] : [])]);
    const chunks = closure(
      manifest,
      [entryKey, ...keysOf(manifest, lazy), ...catalogs].filter((k) => manifest[k]),
    );
    const js = new Set();
    const css = new Set();
    for (const key of chunks) {
      const chunk = manifest[key];
      if (chunk.file.endsWith(".js")) js.add(chunk.file);
      for (const file of chunk.css ?? []) css.add(file);
    }
    // Khmer text (the language switcher's "ខ្មែរ" in English too) loads the regular weight; in
    // Khmer, headings and buttons load the bold one as well (unicode-range in styles.css).
    const fonts = [fontOf(400), ...(lang === "km" ? [fontOf(700)] : [])].filter(Boolean);
    const sum = (files) => [...files].reduce((n, f) => n + sentBytes(dist, f, identity), 0);
    const jsBytes = sum(js);
    const cssBytes = sum(css);
    const htmlBytes = sentBytes(dist, "index.html", identity);
    const fontBytes = sum(fonts);
    return {
      js: jsBytes,
      css: cssBytes,
      html: htmlBytes,
      fonts: fontBytes,
      total: jsBytes + cssBytes + htmlBytes + fontBytes,
      files: [...js, ...css, ...fonts],
    };
  };

  return {
    signIn: { en: page(PAGES.signIn, "en"), km: page(PAGES.signIn, "km") },
    dashboard: { en: page(PAGES.dashboard, "en"), km: page(PAGES.dashboard, "km") },
  };
}

const kib = (n) => `${(n / KiB).toFixed(1)} KiB`;

export function report(result) {
  const rows = [];
  for (const [name, langs] of Object.entries(result)) {
    for (const [lang, m] of Object.entries(langs)) {
      rows.push(
        `${`${name} (${lang})`.padEnd(18)} JS ${kib(m.js).padStart(10)}  CSS ${kib(m.css).padStart(9)}  fonts ${kib(m.fonts).padStart(9)}  total ${kib(m.total).padStart(10)}`,
      );
    }
  }
  return rows.join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");
  const identity = process.argv.includes("--identity");
  const result = measure(dist, { identity });
  console.log(identity ? "Uncompressed (as a server without compression sends them):" : "As sent, brotli:");
  console.log(report(result));
  console.log(
    `Khmer adds on first load: JS ${kib(result.signIn.km.js - result.signIn.en.js)}, in all ${kib(result.signIn.km.total - result.signIn.en.total)}`,
  );
}
