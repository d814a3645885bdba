import { z } from "zod";
import { LanguageSchema } from "./common.ts";
import type { Language } from "./i18n/translate.ts";

export { localName, type Named } from "./local-name.ts";

/**
 * Bilingual names (issue 10, item 10). An organisation, a campaign (its title) and a metric keep
 * their name as the primary one, and may carry a second name in the other language, tagged with
 * that language. Readers in the second name's language see it; everyone else sees the primary.
 */
export const SecondName = z.object({ language: LanguageSchema, name: z.string() });
export type SecondName = z.infer<typeof SecondName>;

/**
 * The input of a second name, bounded like the primary name it stands beside (`max`): null removes it.
 * The language is that of the second name, not of the primary.
 */
export const secondNameInput = (max: number) =>
  z.strictObject({ language: LanguageSchema, name: z.string().trim().min(1).max(max) }).nullable();

/** A row's two second-name columns as the API's `SecondName` (null unless both are set). */
export function secondNameOf(name: string | null, language: Language | null): SecondName | null {
  return name !== null && language !== null ? { language, name } : null;
}
