import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * index.html, naming the files the page at the address will need for its first paint so that the
 * browser downloads them with the app's code rather than a round trip after it (on a slow mobile
 * network, half a second each). The web app starts the rest itself (packages/web/src/app/preload.ts);
 * these are the files it would otherwise ask for only after its code has run:
 * - the Khmer catalog's first-screen part, when the app will start in Khmer;
 * - on the page people land on after signing in (`/c/:coalitionId`), when a session cookie is
 *   present: the whole Khmer catalog in one file instead of its first-screen part (the English one
 *   is in the chunk), the signed-in frame's and the dashboard's code (one chunk, and what it
 *   imports), and the
 *   dashboard's first API reads (`rel=preload as=fetch`; the app's `fetch` of the same path takes
 *   the answer, so none is asked twice). The reads name only a well-formed coalition id.
 * - the Khmer faces, when the app will start in Khmer: it waits for them before drawing
 *   (khmerFaceReady in packages/web/src/lib/khmer-face.ts), and asked for by the app they would
 *   start a round trip after its code. An English page asks for them with its first answer that
 *   has Khmer in it, and shows that answer once they are there. A phone with its own Noto Sans
 *   Khmer downloads them too (the service worker keeps them for offline use in any case).
 * The chunk files come from the build's manifest (packages/web/vite.config.ts `build.manifest`);
 * a build without one gets index.html as it is.
 */
export type PageRequest = { path: string; khmer: boolean; signedIn: boolean };

type Manifest = Record<string, { file: string; name?: string; imports?: string[]; isEntry?: boolean; assets?: string[] }>;

const DASHBOARD = /^\/c\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/;
/** The dashboard's first reads, as its queries ask for them (packages/web/src/app/preload.ts); /api/me carries the two-factor requirement. */
const dashboardReads = (coalitionId: string) => ["/api/me", `/api/coalitions/${coalitionId}/dashboard`];
/** The signed-in frame and the dashboard: the build puts them in one chunk of this name (packages/web/signed-in-chunk.ts). */
const SIGNED_IN_CHUNK = "signed-in";
const dashboardKeys = (manifest: Manifest) => Object.keys(manifest).filter((key) => manifest[key]?.name === SIGNED_IN_CHUNK);
const catalog = (lang: "km", part: "core" | "whole") => `virtual:samakki-catalog/${lang}/${part}`;

/** The files of `keys` and of the chunks they import, the entry excepted (the page loads it already). */
function chunkFiles(manifest: Manifest, keys: string[]): string[] {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (seen.has(key) || !chunk || chunk.isEntry) return;
    seen.add(key);
    files.add(chunk.file);
    for (const child of chunk.imports ?? []) visit(child);
  };
  for (const key of keys) visit(key);
  return [...files];
}

export function pageHints(dist: string, indexHtml: string): (request: PageRequest) => string {
  const path = join(dist, ".vite/manifest.json");
  const manifest: Manifest = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Manifest) : {};
  const tag = (kind: string, href: string) => `  <link ${kind} crossorigin href="${href}">\n`;
  const code = new Map<string, string>();
  return ({ path: pagePath, khmer, signedIn }) => {
    const coalitionId = signedIn ? DASHBOARD.exec(pagePath)?.[1] : undefined;
    const key = `${khmer}/${Boolean(coalitionId)}`;
    let modules = code.get(key);
    if (modules === undefined) {
      // The catalog first: nothing is drawn before it has arrived.
      const keys = [
        // In Khmer, a visit starting on the dashboard loads both parts as one file (packages/web/src/lib/catalogs.ts).
        ...(khmer ? [catalog("km", coalitionId ? "whole" : "core")] : []),
        // The English rest, every key's fallback, is inside the signed-in chunk (packages/web/signed-in-chunk.ts).
        ...(coalitionId ? dashboardKeys(manifest) : []),
      ];
      // The faces the entry's stylesheet names (the Khmer ones, each limited to Khmer by its unicode-range).
      const faces = khmer ? Object.values(manifest).flatMap((chunk) => (chunk.isEntry ? (chunk.assets ?? []) : [])) : [];
      modules =
        chunkFiles(manifest, keys)
          .map((file) => tag('rel="modulepreload"', `/${file}`))
          .join("") +
        faces
          .filter((file) => file.endsWith(".woff2"))
          .map((file) => tag('rel="preload" as="font" type="font/woff2"', `/${file}`))
          .join("");
      code.set(key, modules);
    }
    // The API reads ahead of the code: small, and the browser opens only a few connections at once.
    const reads = coalitionId
      ? dashboardReads(coalitionId)
          .map((read) => tag('rel="preload" as="fetch"', read))
          .join("")
      : "";
    return reads || modules ? indexHtml.replace("</head>", `${reads}${modules}</head>`) : indexHtml;
  };
}

/**
 * Whether the web app will start in Khmer: the language chosen on this device (the
 * `samakki-language` cookie, a copy of the choice the app keeps), else a browser that lists Khmer
 * among its languages (initialLanguage in packages/web/src/lib/i18n.tsx).
 */
export function startsInKhmer(chosen: string | undefined, acceptLanguage: string | undefined): boolean {
  if (chosen === "km" || chosen === "en") return chosen === "km";
  return (acceptLanguage ?? "").split(",").some((range) => {
    const [tag = "", ...params] = range.trim().toLowerCase().split(";");
    return (tag === "km" || tag.startsWith("km-")) && !params.some((p) => /^\s*q=0(?:\.0*)?\s*$/.test(p));
  });
}
