import { localName, localUnit, type Named } from "@samakki/shared/local-name";
import { useCallback } from "react";
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
