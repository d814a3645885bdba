import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoOrNull, isoTime } from "../time.ts";

describe("isoTime", () => {
  it("writes what toISOString writes, for any instant", () => {
    // ±275,000 years: four-digit years, the extended six-digit ones and the BC ones.
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        const date = new Date(ms);
        expect(isoTime(date)).toBe(date.toISOString());
      }),
      { numRuns: 200_000 },
    );
  });

  it("the edges: midnight, a leap day, the last millisecond of a year, four-digit years' bounds", () => {
    for (const text of [
      "2026-12-03T00:00:00.000Z",
      "2024-02-29T23:59:59.999Z",
      "1999-12-31T23:59:59.999Z",
      "1000-01-01T00:00:00.000Z",
      "9999-12-31T23:59:59.999Z",
    ])
      expect(isoTime(new Date(text))).toBe(text);
    expect(isoTime(new Date("0999-12-31T23:59:59.999Z"))).toBe("0999-12-31T23:59:59.999Z");
    expect(isoTime(new Date(Date.UTC(10_000, 0, 1)))).toBe("+010000-01-01T00:00:00.000Z");
  });

  it("throws on an invalid date, as toISOString does; isoOrNull keeps null", () => {
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(isoOrNull(null)).toBeNull();
    expect(isoOrNull(new Date(0))).toBe("1970-01-01T00:00:00.000Z");
  });
});
