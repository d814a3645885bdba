import { describe, expect, it } from "vitest";
import { percentReached } from "../public-site.service.ts";

/** The percent of a target the public pages show: the campaign's progress and the petition's section agree. */
describe("percentReached", () => {
  it("rounds to the nearest, so 56.9% is 57% and one letter of 125 is 1%", () => {
    expect(percentReached(56_900, 100_000)).toBe(57);
    expect(percentReached(56_400, 100_000)).toBe(56);
    expect(percentReached(1, 125)).toBe(1);
    expect(percentReached(0, 125)).toBe(0);
  });

  it("is 100% only once the target is reached, and more beyond it", () => {
    expect(percentReached(99_999, 100_000)).toBe(99);
    expect(percentReached(99_600, 100_000)).toBe(99);
    expect(percentReached(100_000, 100_000)).toBe(100);
    expect(percentReached(120, 100)).toBe(120);
  });

  it("is exact where dividing first is not: 57 of 100 is 57%", () => {
    // (57 / 100) * 100 is 56.99999999999999 in floating point.
    for (const total of [57, 29, 58, 13]) expect(percentReached(total, 100)).toBe(total);
    expect(percentReached(7, 700)).toBe(1);
  });

  it("is 0 without a target", () => {
    expect(percentReached(5, 0)).toBe(0);
  });
});
