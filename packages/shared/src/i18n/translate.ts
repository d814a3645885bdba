/**
 * Translation without the catalogs: the API binds both (i18n/index.ts); the web app loads only
 * the language in use (the other one is fetched when someone switches), to keep pages light.
 */
// A type-only import: the catalog itself is never bundled through this module.
import type en from "./en.json";
import { formatNumber } from "./numbers.ts";

export const LANGUAGES = ["en", "km"] as const;
export type Language = (typeof LANGUAGES)[number];

export type Catalog = typeof en;

/** Dotted keys of the English catalog, e.g. "errors.not_found.title". */
type Join<K, P> = K extends string ? (P extends string ? `${K}.${P}` : never) : never;
type Leaves<T> = T extends string ? never : { [K in keyof T]: T[K] extends string ? K : Join<K, Leaves<T[K]>> }[keyof T];
export type MessageKey = Leaves<Catalog>;

export function isLanguage(value: unknown): value is Language {
  return value === "en" || value === "km";
}

function lookup(catalog: unknown, key: string): string | undefined {
  let node: unknown = catalog;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/**
 * Translate `key` from the catalogs at hand into `lang`, falling back to English, then to the key;
 * `{name}` placeholders are filled. A param that is a JS number is a count, written in the reader's
 * digits (Khmer ២៣); grouping starts at five digits, so a year passed as a number stays "2026".
 * Ids, codes and anything already written go in as strings and are left as they are.
 */
export function formatMessage(
  catalogs: Partial<Record<Language, unknown>>,
  lang: Language,
  key: MessageKey | (string & {}),
  params: Record<string, string | number> = {},
): string {
  const template = lookup(catalogs[lang], key) ?? lookup(catalogs.en, key) ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? param(params[name], lang) : whole));
}

function param(value: string | number | undefined, lang: Language): string {
  return typeof value === "number" ? formatNumber(value, lang, { useGrouping: "min2" }) : String(value);
}

/** Pick the best supported language from an Accept-Language header. */
export function negotiateLanguage(header: string | undefined | null): Language {
  if (!header) return "en";
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", ...rest] = part.trim().split(";");
      const q = rest.find((p) => p.trim().startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.split("=")[1]) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}
