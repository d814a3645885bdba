import type { Language } from "@samakki/shared/i18n/index";

const LOCALES: Record<Language, string> = { en: "en-GB", km: "km-KH" };

/**
 * A date and time in the recipient's language and the coalition's (or person's) time zone,
 * with the zone's offset so there is no doubt which clock it is. An unknown zone falls back
 * to UTC rather than failing the email.
 */
export function formatDateTime(iso: string, lang: Language, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  };
  try {
    return new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone: "UTC" }).format(date);
  }
}
