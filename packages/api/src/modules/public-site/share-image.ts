import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { xmlText } from "../statements/atom.ts";

const require = createRequire(import.meta.url);
/**
 * Noto Sans Khmer as TrueType (resvg does not read woff2), with its Latin glyphs: one font for
 * both scripts. resvg shapes complex scripts (HarfBuzz-like shaping in rustybuzz), so Khmer
 * subscripts and vowels that are written before their consonant come out right.
 */
const FONT_DIR = dirname(require.resolve("@expo-google-fonts/noto-sans-khmer/package.json"));
const FONT_FILES = [join(FONT_DIR, "400Regular/NotoSansKhmer_400Regular.ttf"), join(FONT_DIR, "700Bold/NotoSansKhmer_700Bold.ttf")];

interface ShareCard {
  title: string;
  coalition: string;
  /** e.g. "1,200 / 5,000 ribbons" */
  progressLabel?: string;
  /** 0..1 */
  progress?: number;
  footer: string;
}

const WIDTH = 1200;
const HEIGHT = 630;

/** Words (Khmer has no spaces: ICU's dictionary finds the words) for line breaking. */
function words(text: string): string[] {
  const segmenter = new Intl.Segmenter(["km", "en"], { granularity: "word" });
  return [...segmenter.segment(text)].map((s) => s.segment);
}

/** Rough advance of a string in em: Khmer clusters are wider than Latin letters. */
function widthEm(text: string): number {
  let w = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x1780 && code <= 0x17ff) {
      // Subscripts (coeng + consonant), vowel signs and diacritics take no width of their own.
      w += code >= 0x17b6 && code <= 0x17d3 ? 0.05 : 0.62;
    } else w += ch === " " ? 0.26 : 0.56;
  }
  return w;
}

/** Breaks text into at most `maxLines` lines of `maxEm` width, the last ending in "…" when cut. */
function wrapText(text: string, maxEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = "";
  const parts = words(text.replace(/\s+/g, " ").trim());
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? "";
    if (widthEm(current + part) <= maxEm || current === "") {
      current += part;
      continue;
    }
    lines.push(current.trimEnd());
    current = part.trimStart();
    if (lines.length === maxLines) {
      current = "";
      const last = lines[maxLines - 1] ?? "";
      lines[maxLines - 1] = `${[...last].slice(0, Math.max(1, [...last].length - 2)).join("")}…`;
      return lines;
    }
  }
  if (current) lines.push(current.trimEnd());
  return lines;
}

function shareSvg(card: ShareCard): string {
  const titleSize = 64;
  const titleLines = wrapText(card.title, (WIDTH - 160) / titleSize, 3);
  const lineHeight = titleSize * 1.45;
  const titleTop = 210;
  const title = titleLines
    .map((line, i) => `<text x="80" y="${titleTop + i * lineHeight}" font-size="${titleSize}" font-weight="700">${xmlText(line)}</text>`)
    .join("");
  const coalition = wrapText(card.coalition, (WIDTH - 160) / 36, 1)[0] ?? "";
  const progress =
    card.progress !== undefined
      ? `<rect x="80" y="500" width="1040" height="28" rx="14" fill="#e8e2d0"/><rect x="80" y="500" width="${Math.max(28, Math.round(1040 * Math.min(1, Math.max(0, card.progress))))}" height="28" rx="14" fill="#b8860b"/>`
      : "";
  const progressLabel = card.progressLabel
    ? `<text x="80" y="480" font-size="34" fill="#1b1f23">${xmlText(wrapText(card.progressLabel, 1040 / 34, 1)[0] ?? "")}</text>`
    : "";
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Noto Sans Khmer" fill="#1b1f23">` +
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fffdf7"/><rect width="${WIDTH}" height="16" fill="#b8860b"/>` +
    `<text x="80" y="110" font-size="36" fill="#5a4a1a">${xmlText(coalition)}</text>${title}${progressLabel}${progress}` +
    `<text x="80" y="590" font-size="26" fill="#555">${xmlText(card.footer)}</text></svg>`
  );
}

/** Rendered images by the hash of their SVG: a card is drawn once per content (bounded). */
const cache = new Map<string, Uint8Array>();
const CACHE_SIZE = 200;

/** The 1200×630 PNG of a card, and its content hash (the ETag). */
export function renderSharePng(card: ShareCard): { png: Uint8Array; hash: string } {
  const svg = shareSvg(card);
  const hash = createHash("sha256").update(svg).digest("base64url").slice(0, 27);
  const hit = cache.get(hash);
  if (hit) return { png: hit, hash };
  const png = new Resvg(svg, {
    fitTo: { mode: "width", value: WIDTH },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: "Noto Sans Khmer" },
  })
    .render()
    .asPng();
  const bytes = new Uint8Array(png);
  if (cache.size >= CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(hash, bytes);
  return { png: bytes, hash };
}
