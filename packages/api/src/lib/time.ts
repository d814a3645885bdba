export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const PAD2 = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0"));
const PAD3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, "0"));

/**
 * `date.toISOString()`, about three times faster: "2026-12-03T09:51:17.123Z". Every timestamp of
 * every answer goes through it; V8's own took a microsecond each, 15 µs of a 20-row list's CPU.
 * Years outside 1000–9999 (and an invalid date, which throws) go to toISOString itself; the
 * test compares the two on 200,000 instants.
 */
export function isoTime(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  return `${year}-${PAD2[date.getUTCMonth() + 1]}-${PAD2[date.getUTCDate()]}T${PAD2[date.getUTCHours()]}:${PAD2[date.getUTCMinutes()]}:${PAD2[date.getUTCSeconds()]}.${PAD3[date.getUTCMilliseconds()]}Z`;
}

export const isoOrNull = (date: Date | null): string | null => (date ? isoTime(date) : null);

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date (YYYY-MM-DD) at `at` in `timeZone`: a coalition's "today". A zone the runtime
 * does not know (coalitions' zones are checked when set) gives the UTC date.
 */
export function localDate(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    try {
      // en-CA writes dates as YYYY-MM-DD.
      format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    } catch {
      return isoTime(at).slice(0, 10);
    }
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}
