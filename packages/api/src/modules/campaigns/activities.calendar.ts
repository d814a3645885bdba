import { formatNumber } from "@samakki/shared/i18n/format";
import { translate } from "@samakki/shared/i18n/index";
import type { Language } from "@samakki/shared/i18n/translate";
import { createEvents, type EventAttributes, type HeaderAttributes } from "ics";

/**
 * The one iCalendar writer (the `ics` library) behind the members' campaign calendar
 * (activities.ics) and each person's calendar feed (calendar-feeds): activity and stage events
 * with the same stable UIDs in both, so a calendar app updates them instead of duplicating.
 */
export type { EventAttributes };

export const EMPTY_CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:samakki\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n";

export const utcParts = (d: Date): [number, number, number, number, number] => [
  d.getUTCFullYear(),
  d.getUTCMonth() + 1,
  d.getUTCDate(),
  d.getUTCHours(),
  d.getUTCMinutes(),
];

/** A calendar date (YYYY-MM-DD) as an all-day date, `plusDays` later. */
export const dayParts = (date: string, plusDays = 0): [number, number, number] => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
};

interface CalendarActivity {
  id: string;
  kind: string;
  title: string;
  description: string;
  location: string;
  starts_at: Date;
  ends_at: Date | null;
}

interface CalendarStage {
  activity_id: string;
  position: number;
  stage_date: string;
  from_place: string;
  to_place: string;
  distance_km: string | number;
}

/**
 * One event per activity (times in UTC) and one all-day event per march stage, named in the
 * reader's language. Activities first, then stages.
 */
export function activityEvents(
  activities: CalendarActivity[],
  stages: CalendarStage[],
  opts: { language: Language; calName: string; url: string },
): EventAttributes[] {
  const { language, calName, url } = opts;
  const events: EventAttributes[] = activities.map((r) => ({
    uid: `${r.id}@samakki`,
    title: r.title,
    description: r.description,
    ...(r.location ? { location: r.location } : {}),
    start: utcParts(r.starts_at),
    startInputType: "utc",
    startOutputType: "utc",
    ...(r.ends_at ? { end: utcParts(r.ends_at), endInputType: "utc" as const, endOutputType: "utc" as const } : { duration: { hours: 1 } }),
    calName,
    url,
    categories: [r.kind],
  }));
  // A march's stages are days of their own: one all-day event each.
  for (const s of stages) {
    const march = activities.find((r) => r.id === s.activity_id);
    if (!march) continue;
    events.push({
      uid: `${s.activity_id}-stage-${s.position}@samakki`,
      title: translate(language, "campaigns.icsStage", {
        march: march.title,
        n: s.position,
        from: s.from_place,
        to: s.to_place,
        km: formatNumber(Number(s.distance_km), language),
      }),
      start: dayParts(s.stage_date),
      duration: { days: 1 },
      calName,
      url,
      categories: ["march", "stage"],
    });
  }
  return events;
}

/**
 * The events as iCalendar text. With `stamp`, every DTSTAMP is that instant instead of the clock
 * (`ics` stamps with Date.now()), so the same content gives the same bytes and an ETag holds.
 */
export function calendarText(events: EventAttributes[], opts: { header?: HeaderAttributes; stamp?: Date } = {}): string {
  if (events.length === 0 && !opts.header) return EMPTY_CALENDAR;
  const { error, value } = opts.header ? createEvents(events, opts.header) : createEvents(events);
  if (error || !value) throw error ?? new Error("calendar generation failed");
  if (!opts.stamp) return value;
  const stamp = opts.stamp
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  return value.replace(/^DTSTAMP:[0-9TZ]+/gm, `DTSTAMP:${stamp}`);
}
