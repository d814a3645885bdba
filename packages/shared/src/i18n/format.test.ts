import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDay, formatNumber, formatRelative, formatTime } from "./format.ts";
import { translate } from "./index.ts";

const LATIN_DIGIT = /[0-9]/;
// Every hour of a leap day and around a DST change, in zones east and west, with odd offsets.
const instants = Array.from({ length: 48 }, (_, h) => new Date(Date.UTC(2028, 1, 28, h, 7 * h)));
const zones = ["Asia/Phnom_Penh", "UTC", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham", "Not/AZone"];

describe("Khmer formatting", () => {
  it("writes no Latin digit and no AM/PM in dates, times and numbers", () => {
    for (const zone of zones) {
      for (const at of instants) {
        for (const text of [
          formatDate(at, "km", zone),
          formatDateTime(at, "km", zone),
          formatDateTime(at, "km", zone, { zone: true }),
          formatTime(at, "km", zone),
          formatRelative(at, new Date(Date.UTC(2028, 0, 1)), "km"),
        ]) {
          expect(text, `${zone} ${at.toISOString()}`).not.toMatch(LATIN_DIGIT);
          expect(text).not.toMatch(/AM|PM/);
        }
      }
    }
    for (const n of [0, 7, 42, 1234, 1234567.891, -3.5]) expect(formatNumber(n, "km")).not.toMatch(LATIN_DIGIT);
    expect(formatDay("2026-12-02", "km")).not.toMatch(LATIN_DIGIT);
  });

  it("writes the day as CLDR's Khmer long date (Node's Intl km-u-nu-khmr) and the time on a 24-hour clock", () => {
    const at = new Date("2026-11-30T13:27:00Z");
    const cldr = new Intl.DateTimeFormat("km-u-nu-khmr", { dateStyle: "long", timeZone: "Asia/Phnom_Penh" }).format(at);
    expect(formatDate(at, "km", "Asia/Phnom_Penh")).toBe(cldr);
    expect(formatDateTime(at, "km", "Asia/Phnom_Penh")).toBe("៣០ វិច្ឆិកា ២០២៦ ម៉ោង ២០:២៧");
    expect(formatDateTime(at, "en", "Asia/Phnom_Penh")).toBe("30 Nov 2026, 20:27");
    expect(formatDateTime(at, "en", "Asia/Phnom_Penh", { month: "long", zone: true })).toBe("30 November 2026 at 20:27 GMT+7");
    expect(formatDateTime(at, "km", "Asia/Kathmandu", { zone: true })).toBe("៣០ វិច្ឆិកា ២០២៦ ម៉ោង ១៩:១២ (ម៉ោងសកល +៥:៤៥)");
    expect(formatTime("2026-11-30T17:00:00Z", "km", "Asia/Phnom_Penh")).toBe("០០:០០");
    expect(formatDay("2026-01-05", "en", { month: "long" })).toBe("5 January 2026");
  });

  it("writes Khmer numbers with CLDR's Khmer separators, as Node's Intl does", () => {
    for (const n of [0, 12, 1234, 1234567.891, -3.5]) expect(formatNumber(n, "km")).toBe(new Intl.NumberFormat("km-u-nu-khmr").format(n));
    expect(formatNumber(1234.5, "en")).toBe("1,234.5");
    expect(formatNumber(0.25, "km", { style: "percent" })).toBe("២៥%");
  });

  it("relative times in both languages", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    expect(formatRelative("2026-11-27T11:00:00Z", now, "en")).toBe("3 days ago");
    expect(formatRelative("2026-11-27T11:00:00Z", now, "km")).toBe("៣ ថ្ងៃមុន");
    expect(formatRelative("2026-11-30T14:00:00Z", now, "km")).toBe("២ ម៉ោងទៀត");
  });
});

describe("translate() with numbers", () => {
  it("writes number params in the reader's digits and leaves strings alone", () => {
    expect(translate("km", "statements.versionNumber", { number: 2 })).toBe("កំណែទី ២");
    expect(translate("en", "statements.versionNumber", { number: 12345 })).toBe("Version 12,345");
    expect(translate("km", "statements.versionNumber", { number: 2026 })).toBe("កំណែទី ២០២៦");
    expect(translate("km", "statements.versionNumber", { number: "2" })).toBe("កំណែទី 2");
  });
});
