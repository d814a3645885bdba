/**
 * The one place dates, times and numbers are written for readers: the web app, the emails and the
 * public pages all call these, so a Khmer reader sees one rule everywhere (GLOSSARY.md, "Numerals"):
 *
 *   en  30 Nov 2026 · 30 Nov 2026, 08:27 · 1,234        (en-GB, 24-hour clock)
 *   km  ៣០ វិច្ឆិកា ២០២៦ · ៣០ វិច្ឆិកា ២០២៦ ម៉ោង ០៨:២៧ · ១.២៣៤   (Khmer digits, 24-hour clock)
 *
 * Why not simply Intl with "km-u-nu-khmr": Node has the Khmer data but prints a 12-hour clock with
 * a Latin "AM"/"PM" ("៨:២៧ AM"), and Chromium ships no Khmer locale data at all (it answers "km"
 * with US English). So Intl does the calendar and time-zone arithmetic in "en-GB", which every
 * engine has, and the Khmer words and digits are put in here: the same text in Node and browsers.
 */
import { DEFAULT_TIME_ZONE } from "../constants.ts";
import { formatNumber, khmerDigits } from "./numbers.ts";
import type { Language } from "./translate.ts";

export { formatNumber, khmerDigits };

const DEFAULT_ZONE = DEFAULT_TIME_ZONE;

export const KHMER_MONTHS = ["មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ"] as const;

export type DateInput = Date | string;
export type DateOptions = {
  /** English month: "Nov" (short, the app) or "November" (long, emails and public pages). Khmer always writes the month out. */
  month?: "short" | "long";
  /** Add the zone's offset ("GMT+7" / "ម៉ោងសកល +៧"), for emails read far from the coalition. */
  zone?: boolean;
};

type Parts = Record<"year" | "month" | "day" | "hour" | "minute" | "offset", string>;

const cache = new Map<string, Intl.DateTimeFormat>();
function partsOf(date: Date, timeZone: string): Parts {
  let f = cache.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-GB", {
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        timeZoneName: "shortOffset",
        timeZone,
      });
    } catch {
      // An unknown zone falls back to the default rather than failing a page or an email.
      return partsOf(date, timeZone === DEFAULT_ZONE ? "UTC" : DEFAULT_ZONE);
    }
    cache.set(timeZone, f);
  }
  const out: Parts = { year: "", month: "", day: "", hour: "", minute: "", offset: "" };
  for (const p of f.formatToParts(date)) {
    if (p.type === "timeZoneName") out.offset = p.value.replace(/^GMT/, "");
    else if (p.type in out) out[p.type as keyof Parts] = p.value;
  }
  return out;
}

function toDate(value: DateInput): Date | null {
  const date = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? null : date;
}

const EN_MONTHS = {
  short: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  long: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
} as const;

function day(p: Parts, lang: Language, month: "short" | "long"): string {
  const m = Number(p.month) - 1;
  if (lang === "km") return khmerDigits(`${Number(p.day)} ${KHMER_MONTHS[m] ?? p.month} ${p.year}`);
  return `${Number(p.day)} ${EN_MONTHS[month][m] ?? p.month} ${p.year}`;
}

function time(p: Parts, lang: Language): string {
  const t = `${p.hour === "24" ? "00" : p.hour}:${p.minute}`;
  return lang === "km" ? khmerDigits(t) : t;
}

function zone(p: Parts, lang: Language): string {
  if (lang === "km") return `ម៉ោងសកល ${khmerDigits(p.offset || "+0")}`;
  return `GMT${p.offset}`;
}

/** A day in the coalition's zone: "30 Nov 2026" / "៣០ វិច្ឆិកា ២០២៦". An unreadable value is returned as it came. */
export function formatDate(value: DateInput, lang: Language, timeZone: string = DEFAULT_ZONE, options: DateOptions = {}): string {
  const date = toDate(value);
  if (!date) return String(value);
  return day(partsOf(date, timeZone), lang, options.month ?? "short");
}

/** A calendar date ("YYYY-MM-DD", no zone): a deadline, a day of an activity. */
export function formatDay(ymd: string, lang: Language, options: DateOptions = {}): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(ymd) ? formatDate(`${ymd}T12:00:00Z`, lang, "UTC", options) : ymd;
}

/**
 * A date and time, 24-hour clock: "30 Nov 2026, 08:27" / "៣០ វិច្ឆិកា ២០២៦ ម៉ោង ០៨:២៧"; with
 * `{ month: "long", zone: true }` (emails) "30 November 2026 at 08:27 GMT+7" / "… ម៉ោង ០៨:២៧ (ម៉ោងសកល +៧)".
 */
export function formatDateTime(value: DateInput, lang: Language, timeZone: string = DEFAULT_ZONE, options: DateOptions = {}): string {
  const date = toDate(value);
  if (!date) return String(value);
  const p = partsOf(date, timeZone);
  const d = day(p, lang, options.month ?? "short");
  if (lang === "km") {
    const text = `${d} ម៉ោង ${time(p, lang)}`;
    return options.zone ? `${text} (${zone(p, lang)})` : text;
  }
  // As en-GB's own styles: "30 Nov 2026, 08:27" (medium), "30 November 2026 at 08:27 GMT+7" (long).
  const text = options.month === "long" ? `${d} at ${time(p, lang)}` : `${d}, ${time(p, lang)}`;
  return options.zone ? `${text} ${zone(p, lang)}` : text;
}

/** A time of day, 24-hour clock: "08:27" / "០៨:២៧". */
export function formatTime(value: DateInput, lang: Language, timeZone: string = DEFAULT_ZONE): string {
  const date = toDate(value);
  return date ? time(partsOf(date, timeZone), lang) : String(value);
}

const UNITS = [
  ["year", 31_536_000, "ឆ្នាំ"],
  ["month", 2_592_000, "ខែ"],
  ["week", 604_800, "សប្ដាហ៍"],
  ["day", 86_400, "ថ្ងៃ"],
  ["hour", 3_600, "ម៉ោង"],
  ["minute", 60, "នាទី"],
  ["second", 1, "វិនាទី"],
] as const;

/** "3 days ago" / "៣ ថ្ងៃមុន", "in 2 hours" / "២ ម៉ោងទៀត": the largest whole unit between `value` and `now`. */
export function formatRelative(value: DateInput, now: Date, lang: Language): string {
  const date = toDate(value);
  if (!date) return String(value);
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const [unit, size, km] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? UNITS[6];
  const n = Math.trunc(seconds / size);
  if (lang === "en") return new Intl.RelativeTimeFormat("en-GB", { numeric: "always" }).format(n, unit);
  const count = formatNumber(Math.abs(n), lang);
  return seconds < 0 ? `${count} ${km}មុន` : `${count} ${km}ទៀត`;
}

/**
 * A time zone's name in the reader's language where the engine knows it ("Central European Time",
 * "ម៉ោងនៅអឺរ៉ុបកណ្ដាល"), else null: Chromium has no Khmer names, so the web ships them as data.
 */
export function timeZoneName(timeZone: string, locale: string): string | null {
  try {
    const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "longGeneric" })
      .formatToParts(new Date(Date.UTC(2026, 0, 1)))
      .find((p) => p.type === "timeZoneName");
    return part ? part.value : null;
  } catch {
    return null;
  }
}
