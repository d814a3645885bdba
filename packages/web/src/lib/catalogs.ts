import enCore from "virtual:samakki-catalog/en/core";
import { formatMessage, type Language, type MessageKey } from "@samakki/shared/i18n/translate";

/**
 * The message catalogs in the browser, each cut in two by area (catalog-split.ts): the "core"
 * areas of the first screens (sign-in, password reset, invitation) and the "rest". English core
 * ships with the app (English is every key's fallback); everything else is its own file, fetched
 * when a page needs it, so the first screen stays small and nobody downloads a language they do
 * not read.
 */
type CatalogPart = "core" | "rest";
type Module = { default: Record<string, unknown> };

const parts: Record<Language, Record<CatalogPart, () => Promise<Module>>> = {
  en: { core: () => Promise.resolve({ default: enCore }), rest: () => import("virtual:samakki-catalog/en/rest") },
  km: { core: () => import("virtual:samakki-catalog/km/core"), rest: () => import("virtual:samakki-catalog/km/rest") },
};
/**
 * Both parts in one file (catalog-split.ts), for a visit that starts on a page needing both: one
 * request instead of two when a slow network's few connections are all in use. English has none:
 * its core is in the entry.
 */
const wholes: Partial<Record<Language, () => Promise<Module>>> = {
  km: () => import("virtual:samakki-catalog/km/whole"),
};

const loaded: Partial<Record<Language, Record<string, unknown>>> = { en: { ...enCore } };
const done = new Set<string>(["en/core"]);
const loading = new Map<string, Promise<void>>();

/** Paths whose pages use only the core areas (signed-out pages, and `/`, which redirects). */
const FIRST_SCREEN = /^\/(?:sign-in|forgot-password|reset-password|verify-email|undo-email-change|invitations\/[^/]+)?\/?$/;

/** The catalog parts the page at `path` needs: the core only on a first screen, else all. */
export function partsFor(path: string): CatalogPart[] {
  return FIRST_SCREEN.test(path) ? ["core"] : ["core", "rest"];
}

/** Loads one file holding the parts `covers` of `lang`: each is loading until it arrives, then done. */
function loadFile(lang: Language, covers: CatalogPart[], load: () => Promise<Module>): Promise<void> {
  const keys = covers.map((part) => `${lang}/${part}`);
  const promise = load().then(
    (module) => {
      // Areas are top-level keys and each lives in one part: a shallow merge is the union.
      loaded[lang] = { ...loaded[lang], ...module.default };
      for (const key of keys) {
        done.add(key);
        loading.delete(key);
      }
    },
    (error: unknown) => {
      // Offline or a failed download: let the caller fall back, and a later attempt retry.
      for (const key of keys) loading.delete(key);
      throw error;
    },
  );
  for (const key of keys) loading.set(key, promise);
  return promise;
}

function loadPart(lang: Language, part: CatalogPart): Promise<void> {
  const key = `${lang}/${part}`;
  if (done.has(key)) return Promise.resolve();
  return loading.get(key) ?? loadFile(lang, [part], parts[lang][part]);
}

/** `lang`'s parts in `needed`: both in one file when there is one and neither part has come or is coming. */
function loadParts(lang: Language, needed: CatalogPart[]): Promise<void>[] {
  const whole = wholes[lang];
  const untouched = (part: CatalogPart) => !done.has(`${lang}/${part}`) && !loading.has(`${lang}/${part}`);
  if (whole && needed.includes("core") && needed.includes("rest") && untouched("core") && untouched("rest")) {
    return [loadFile(lang, ["core", "rest"], whole)];
  }
  return needed.map((part) => loadPart(lang, part));
}

export function isCatalogLoaded(lang: Language, needed: CatalogPart[] = ["core"]): boolean {
  return needed.every((part) => done.has(`${lang}/${part}`));
}

/** Load `lang`'s parts (all by default), with the English ones under them as the fallback. */
export function loadCatalog(lang: Language, needed: CatalogPart[] = ["core", "rest"]): Promise<void> {
  const langs: Language[] = lang === "en" ? ["en"] : ["en", lang];
  return Promise.all(langs.flatMap((l) => loadParts(l, needed))).then(() => undefined);
}

/**
 * Merge an area that a lazy page or card loads for itself (catalog-split.ts, LAZY_AREAS: it imports
 * `virtual:samakki-catalog/<lang>/area/<name>` and hands the module's catalog here before rendering).
 */
export function addCatalogArea(lang: Language, area: Record<string, unknown>): void {
  loaded[lang] = { ...loaded[lang], ...area };
}

/** Translate with the catalogs loaded so far (English until the other one has arrived). */
export function translate(lang: Language, key: MessageKey | (string & {}), params?: Record<string, string | number>): string {
  return formatMessage(loaded, lang, key, params);
}
