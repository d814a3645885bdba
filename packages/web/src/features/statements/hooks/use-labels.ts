import { useCallback } from "react";
import { translateDynamic, useLanguage } from "../../../lib/i18n.tsx";

type Prefix = "statementStatus" | "choice" | "threshold" | "outcome";

/** The translated label of an API enum value (`choice.endorse`), falling back to the raw value. */
export function useStatementLabel(): (prefix: Prefix, value: string) => string {
  const { lang } = useLanguage();
  return useCallback(
    (prefix, value) => {
      const key = `${prefix}.${value}`;
      const text = translateDynamic(lang, key);
      return text === key ? value : text;
    },
    [lang],
  );
}
