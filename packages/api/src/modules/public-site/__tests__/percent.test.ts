import { describe, expect, it } from "vitest";
import { percentReached } from "../public-site.service.ts";

/** The percent of a target the public pages show: the campaign's progress and the petition's section agree. */
describe("percentReached", () => {
  it("rounds down, so 56.9% is 56% and the target is 100% only when reached", () => {
    expect(percentReached(56_900, 100_000)).toBe(56);
    expect(percentReached(99_999, 100_000)).toBe(99);
    expect(percentReached(100_000, 100_000)).toBe(100);
    expect(percentReached(120, 100)).toBe(120);
  });

  it("is exact where dividing first is not: 57 of 100 is 57%, not 56", () => {
    // (57 / 100) * 100 is 56.99999999999999 in floating point.
    for (const total of [57, 29, 58, 113]) expect(percentReached(total, 100)).toBe(total);
    expect(percentReached(7, 700)).toBe(1);
  });

  it("is 0 without a target", () => {
    expect(percentReached(5, 0)).toBe(0);
  });
});
