import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "./format.ts";

describe("dates", () => {
  const iso = "2026-11-28T17:30:00Z"; // 29 November, 00:30 in Phnom Penh (UTC+7)

  it("shows the coalition's time zone, not the device's", () => {
    expect(formatDateTime(iso, "en", "Asia/Phnom_Penh")).toBe("29 Nov 2026, 00:30");
    expect(formatDateTime(iso, "en", "UTC")).toBe("28 Nov 2026, 17:30");
  });

  it("writes Khmer month names and digits even where the browser has no Khmer locale data", () => {
    expect(formatDateTime(iso, "km", "Asia/Phnom_Penh")).toBe("២៩ វិច្ឆិកា ២០២៦ ម៉ោង ០០:៣០");
    expect(formatDate(iso, "km", "Asia/Phnom_Penh")).toBe("២៩ វិច្ឆិកា ២០២៦");
  });

  it("falls back to Phnom Penh for an unknown zone and leaves bad input as is", () => {
    expect(formatDate(iso, "km", "Mars/Olympus")).toBe("២៩ វិច្ឆិកា ២០២៦");
    expect(formatDateTime("not a date", "km")).toBe("not a date");
  });
});
