/** "YYYY-MM-DDTHH:mm" of `date` on the wall clock of `timeZone` (what a datetime-local input holds). */
export function localDateTime(date: Date, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-GB", {
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone,
    }).formatToParts(date);
  } catch {
    return date.toISOString().slice(0, 16);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}`;
}

/** A sensible default closing time: `days` ahead at 17:00 in the coalition's zone. */
export function defaultClosingTime(now: Date, timeZone: string, days = 3): string {
  const later = localDateTime(new Date(now.getTime() + days * 24 * 3600_000), timeZone);
  return `${later.slice(0, 10)}T17:00`;
}

/** Whether a local closing time is at least one hour after `now` (both on the coalition's wall clock). */
export function isAtLeastAnHourAhead(value: string, now: Date, timeZone: string): boolean {
  return value >= localDateTime(new Date(now.getTime() + 3600_000), timeZone);
}
