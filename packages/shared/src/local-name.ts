import type { Language } from "./i18n/translate.ts";

/** A second name in the other language (the shape of `SecondName` in names.ts; no zod here, so the web's pages can import it cheaply). */
export interface SecondNameValue {
  language: Language;
  name: string;
}

/** A named thing: an organisation or a metric (`name`), or a campaign (`title`), each with an optional second name. */
export type Named =
  | { name: string; secondName?: SecondNameValue | null | undefined }
  | { title: string; secondTitle?: SecondNameValue | null | undefined };

/** The name to show a reader of `lang`: the second name when it is in that language, else the primary. */
export function localName(entity: Named, lang: Language): string {
  if ("title" in entity) return entity.secondTitle?.language === lang && entity.secondTitle.name ? entity.secondTitle.name : entity.title;
  return entity.secondName?.language === lang && entity.secondName.name ? entity.secondName.name : entity.name;
}

/** A metric's unit for a reader of `lang`: its second unit when the reader sees its second name and it has one, else its unit. */
export function localUnit(
  metric: { unit: string; secondUnit?: string | null | undefined; secondName?: SecondNameValue | null | undefined },
  lang: Language,
): string {
  return metric.secondName?.language === lang && metric.secondUnit ? metric.secondUnit : metric.unit;
}
