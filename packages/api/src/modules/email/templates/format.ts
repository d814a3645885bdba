import { formatDateTime as format } from "@samakki/shared/i18n/format";
import type { Language } from "@samakki/shared/i18n/index";

/**
 * A date and time in the recipient's language and the coalition's (or person's) time zone, through
 * the shared formatter (Khmer digits, 24-hour clock), with the zone's offset so there is no doubt
 * which clock it is. An unknown zone falls back to Phnom Penh (the offset says so) rather than failing the email.
 */
export function formatDateTime(iso: string, lang: Language, timeZone: string): string {
  return format(iso, lang, timeZone, { month: "long", zone: true });
}
