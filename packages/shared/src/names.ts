import { SecondName, secondNameInput } from "./common.ts";
import type { Language } from "./i18n/translate.ts";

/**
 * Bilingual names (issue 10, item 10). An organisation, a campaign (its title) and a metric keep
 * their name as the primary one, and may carry a second name in the other language, tagged with
 * that language. Readers in the second name's language see it (localName); everyone else sees the
 * primary. The schemas live in common.ts; this module gathers what the API and the web use.
 */
export { localName, localUnit } from "./local-name.ts";
export { SecondName, secondNameInput };

/** A row's two second-name columns as the API's `SecondName` (null unless both are set). */
export function secondNameOf(name: string | null, language: Language | null): SecondName | null {
  return name !== null && language !== null ? { language, name } : null;
}
