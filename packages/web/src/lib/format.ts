import { DEFAULT_TIME_ZONE } from "@samakki/shared/common";
import { useCallback } from "react";
import { type Language, useLanguage } from "./i18n.tsx";

const KHMER_MONTHS = ["មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ"] as const;

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

/**
 * Khmer dates without the browser's locale data: many builds (desktop Chromium among them) ship
 * no km-KH data and would silently print US English. Numbers come from Intl in the right zone.
 */
export function khmerDate(date: Date, timeZone: string, withTime: boolean): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    year: "numeric",
    month: "numeric",
    day: "numeric",
    ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : {}),
    timeZone: safeZone(timeZone),
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const month = KHMER_MONTHS[Number(part("month")) - 1] ?? part("month");
  const day = `${Number(part("day"))} ${month} ${part("year")}`;
  return withTime ? `${day} ម៉ោង ${part("hour")}:${part("minute")}` : day;
}

let khmerSupported: boolean | undefined;
function hasKhmerLocale(): boolean {
  khmerSupported ??= Intl.DateTimeFormat.supportedLocalesOf(["km-KH"]).length > 0;
  return khmerSupported;
}

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Language, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${withTime}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "km" ? "km-KH" : "en-GB", {
      dateStyle: "medium",
      ...(withTime ? { timeStyle: "short" } : {}),
      timeZone: safeZone(timeZone),
    });
    cache.set(key, f);
  }
  return f;
}

function format(iso: string, lang: Language, timeZone: string, withTime: boolean): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (lang === "km" && !hasKhmerLocale()) return khmerDate(date, timeZone, withTime);
  return formatter(lang, timeZone, withTime).format(date);
}

/** A date and time in the coalition's zone, in the UI language (km-KH for Khmer). */
export function formatDateTime(iso: string, lang: Language, timeZone: string = DEFAULT_TIME_ZONE): string {
  return format(iso, lang, timeZone, true);
}

export function formatDate(iso: string, lang: Language, timeZone: string = DEFAULT_TIME_ZONE): string {
  return format(iso, lang, timeZone, false);
}

export function formatNumber(value: number, lang: Language): string {
  return new Intl.NumberFormat(lang === "km" ? "km-KH" : "en-GB").format(value);
}

export function useDateFormat(timeZone: string | undefined) {
  const { lang } = useLanguage();
  const zone = timeZone ?? DEFAULT_TIME_ZONE;
  return {
    dateTime: useCallback((iso: string) => formatDateTime(iso, lang, zone), [lang, zone]),
    date: useCallback((iso: string) => formatDate(iso, lang, zone), [lang, zone]),
  };
}
