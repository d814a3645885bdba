import en from "./en.json" with { type: "json" };
import km from "./km.json" with { type: "json" };
import { type Catalog, formatMessage, type Language, type MessageKey } from "./translate.ts";

export { isLanguage, type Language, type MessageKey, negotiateLanguage } from "./translate.ts";

/** Both catalogs, for the API (emails, problem details, public pages) and for tests. */
export const catalogs: Record<Language, Catalog> = { en, km };

/** Translate `key` into `lang`, falling back to English, replacing `{name}` placeholders. */
export function translate(lang: Language, key: MessageKey | (string & {}), params: Record<string, string | number> = {}): string {
  return formatMessage(catalogs, lang, key, params);
}
