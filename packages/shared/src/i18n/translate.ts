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
 *
 * A count that changes the words around it is a plural, ICU style:
 * `{count, plural, one {# new notification} other {# new notifications}}`. The branch is chosen by
 * the number's plural category in `lang` (an `=0`-style exact branch first), `#` is the number in
 * the reader's digits with the usual grouping ("1,234"), and other `{name}` placeholders work inside
 * a branch. Khmer has no grammatical plural: its messages carry `other` only. The param must be a
 * JS number: a string (already written) always takes `other`.
 */
export function formatMessage(
  catalogs: Partial<Record<Language, unknown>>,
  lang: Language,
  key: MessageKey | (string & {}),
  params: Record<string, string | number> = {},
): string {
  const own = lookup(catalogs[lang], key);
  // An English fallback keeps English plural rules (its branches are English), in the reader's digits.
  return render(own ?? lookup(catalogs.en, key) ?? key, lang, own === undefined ? "en" : lang, params);
}

function param(value: string | number | undefined, lang: Language): string {
  return typeof value === "number" ? formatNumber(value, lang, { useGrouping: "min2" }) : String(value);
}

/**
 * Fill `template` for a reader of `lang`, choosing plural branches by the rules of `wording` (the
 * template's language); `hash` is what `#` stands for inside a branch (outside one, `#` is text).
 */
function render(template: string, lang: Language, wording: Language, params: Record<string, string | number>, hash?: string): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const ch = template.charAt(i);
    if (ch === "#" && hash !== undefined) {
      out += hash;
      i++;
      continue;
    }
    if (ch !== "{") {
      out += ch;
      i++;
      continue;
    }
    const simple = /^\{(\w+)\}/.exec(template.slice(i));
    if (simple) {
      const name = simple[1] ?? "";
      out += name in params ? param(params[name], lang) : simple[0];
      i += simple[0].length;
      continue;
    }
    const plural = /^\{\s*(\w+)\s*,\s*plural\s*,/.exec(template.slice(i));
    const end = plural ? closingBrace(template, i) : -1;
    const branches = plural && end > 0 ? pluralBranches(template.slice(i + plural[0].length, end)) : undefined;
    if (!plural || !branches) {
      // Not a message placeholder: a brace of the text.
      out += ch;
      i++;
      continue;
    }
    const value = params[plural[1] ?? ""];
    const branch = typeof value === "number" ? (branches.get(`=${value}`) ?? branches.get(pluralCategory(value, wording))) : undefined;
    const chosen = branch ?? branches.get("other") ?? "";
    out += render(chosen, lang, wording, params, typeof value === "number" ? formatNumber(value, lang) : String(value ?? "#"));
    i = end + 1;
  }
  return out;
}

/** The index of the `}` that closes the `{` at `open`, or -1. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** `one {…} other {…}` as selector → branch; undefined when it is not that shape or has no `other`. */
function pluralBranches(text: string): Map<string, string> | undefined {
  const branches = new Map<string, string>();
  let i = 0;
  for (;;) {
    const selector = /^\s*(=\d+|\w+)\s*\{/.exec(text.slice(i));
    if (!selector) break;
    const open = i + selector[0].length - 1;
    const close = closingBrace(text, open);
    if (close < 0) return undefined;
    branches.set(selector[1] ?? "", text.slice(open + 1, close));
    i = close + 1;
  }
  return text.slice(i).trim() === "" && branches.has("other") ? branches : undefined;
}

const englishPlurals = new Intl.PluralRules("en");

/**
 * The CLDR plural category of `value` in `lang`. Khmer has one, "other"; it is fixed here rather than
 * asked of Intl, because engines without Khmer locale data (Chromium) would answer with English rules.
 */
function pluralCategory(value: number, lang: Language): string {
  return lang === "en" ? englishPlurals.select(value) : "other";
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
