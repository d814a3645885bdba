import { DEFAULT_TIME_ZONE } from "@samakki/shared/constants";
import { formatDate, formatDateTime, formatNumber, formatTime } from "@samakki/shared/i18n/format";
import { useCallback } from "react";
import { useLanguage } from "./i18n.tsx";

/** Dates, times and numbers come from the one shared module (GLOSSARY.md, "Numerals"): the same text as the emails and public pages. */
export { formatDate, formatDateTime, formatNumber };

export function useDateFormat(timeZone: string | undefined) {
  const { lang } = useLanguage();
  const zone = timeZone ?? DEFAULT_TIME_ZONE;
  return {
    dateTime: useCallback((iso: string) => formatDateTime(iso, lang, zone), [lang, zone]),
    date: useCallback((iso: string) => formatDate(iso, lang, zone), [lang, zone]),
    time: useCallback((iso: string) => formatTime(iso, lang, zone), [lang, zone]),
  };
}
