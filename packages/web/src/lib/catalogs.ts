import en from "@samakki/shared/i18n/en.json";
import { type Catalog, formatMessage, type Language, type MessageKey } from "@samakki/shared/i18n/translate";

/**
 * The message catalogs in the browser. English ships with the app (it is also every key's
 * fallback); Khmer is its own file, fetched when the app starts in Khmer or when someone
 * switches, so nobody downloads a language they do not read.
 */
const loaded: Partial<Record<Language, Catalog>> = { en };
const loading: Partial<Record<Language, Promise<void>>> = {};

export function isCatalogLoaded(lang: Language): boolean {
  return loaded[lang] !== undefined;
}

export function loadCatalog(lang: Language): Promise<void> {
  if (loaded[lang]) return Promise.resolve();
  loading[lang] ??= import("@samakki/shared/i18n/km.json").then(
    (module) => {
      loaded.km = module.default as Catalog;
    },
    (error: unknown) => {
      // Offline or a failed download: stay in English rather than break, and let a later switch retry.
      delete loading[lang];
      throw error;
    },
  );
  return loading[lang] ?? Promise.resolve();
}

/** Translate with the catalogs loaded so far (English until the other one has arrived). */
export function translate(lang: Language, key: MessageKey | (string & {}), params?: Record<string, string | number>): string {
  return formatMessage(loaded, lang, key, params);
}
