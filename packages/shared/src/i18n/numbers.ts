/**
 * Numbers for readers, one rule per language (GLOSSARY.md, "Numerals"): English in Latin digits with
 * English separators; Khmer in Khmer digits (០១២…) with the Khmer separators of CLDR (1.234,5).
 * Kept apart from format.ts and tiny: translate() uses it, and it ships with the first screen.
 */
import type { Language } from "./translate.ts";

const KHMER_ZERO = 0x17e0;

/** Latin digits 0-9 in `text` written as Khmer digits; other characters are kept. */
export function khmerDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(KHMER_ZERO + d.charCodeAt(0) - 48));
}

/**
 * Browsers without Khmer locale data (Chromium among them) answer "km" with US English, so Khmer
 * is built from a locale every engine has ("en-US") and its parts are swapped: same output in
 * Node (emails, public pages) and in every browser.
 */
export function formatNumber(value: number, lang: Language, options?: Intl.NumberFormatOptions): string {
  if (lang === "en") return new Intl.NumberFormat("en-GB", options).format(value);
  return khmerDigits(
    new Intl.NumberFormat("en-US", options)
      .formatToParts(value)
      .map((p) => (p.type === "group" ? "." : p.type === "decimal" ? "," : p.value))
      .join(""),
  );
}
