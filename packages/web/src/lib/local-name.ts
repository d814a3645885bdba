import { localName, localUnit, type Named, type SecondNameValue } from "@samakki/shared/local-name";
import { useCallback, useMemo } from "react";
import { useLanguage } from "./i18n.tsx";

/** The name of an organisation, campaign or metric in the reader's language (its second name when that is theirs, else its name). */
export function useLocalName(): (entity: Named) => string {
  const { lang } = useLanguage();
  return useCallback((entity: Named) => localName(entity, lang), [lang]);
}

/** A metric's unit in the reader's language (its second unit when they see its second name, else its unit). */
export function useLocalUnit(): (metric: Parameters<typeof localUnit>[0]) => string {
  const { lang } = useLanguage();
  return useCallback((metric: Parameters<typeof localUnit>[0]) => localUnit(metric, lang), [lang]);
}

/** An organisation as lists show it: its name (localName's, so a second name in the reader's language) and its short name. */
type OrganisationNamed = { name: string; shortName: string | null; secondName?: SecondNameValue | null | undefined };

/**
 * An organisation's name for the reader: `full` is its name in the reader's language with its short
 * name in brackets, `short` its short name alone when it has one (an acronym, the same in both
 * languages), else its name in the reader's language.
 */
export function useOrganisationName(): { full: (o: OrganisationNamed) => string; short: (o: OrganisationNamed) => string } {
  const { lang } = useLanguage();
  return useMemo(
    () => ({
      full: (o) => (o.shortName ? `${localName(o, lang)} (${o.shortName})` : localName(o, lang)),
      short: (o) => o.shortName || localName(o, lang),
    }),
    [lang],
  );
}
