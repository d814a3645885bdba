import { describe, expect, it } from "vitest";
import { formatDateTime, khmerDate } from "./format.ts";

describe("dates", () => {
  const iso = "2026-11-28T17:30:00Z"; // 29 November, 00:30 in Phnom Penh (UTC+7)

  it("shows the coalition's time zone, not the device's", () => {
    expect(formatDateTime(iso, "en", "Asia/Phnom_Penh")).toContain("29 Nov 2026");
    expect(formatDateTime(iso, "en", "UTC")).toContain("28 Nov 2026");
  });

  it("writes Khmer month names even where the browser has no Khmer locale data", () => {
    expect(khmerDate(new Date(iso), "Asia/Phnom_Penh", true)).toBe("29 វិច្ឆិកា 2026 ម៉ោង 00:30");
    expect(khmerDate(new Date(iso), "Asia/Phnom_Penh", false)).toBe("29 វិច្ឆិកា 2026");
  });

  it("falls back to Phnom Penh for an unknown zone and leaves bad input as is", () => {
    expect(khmerDate(new Date(iso), "Mars/Olympus", false)).toBe("29 វិច្ឆិកា 2026");
    expect(formatDateTime("not a date", "km")).toBe("not a date");
  });
});
