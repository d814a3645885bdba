import { describe, expect, it } from "vitest";
import { hasKhmer } from "./khmer-text.ts";

describe("hasKhmer", () => {
  it("finds a Khmer letter, sign or symbol anywhere in a text", () => {
    expect(hasKhmer("Yellow ribbons ខ្សែបូ")).toBe(true);
    expect(hasKhmer("១២៣")).toBe(true);
    expect(hasKhmer("\u19E0")).toBe(true);
  });

  it("finds none in Latin text, nor in the joiners and dotted circle other scripts share", () => {
    expect(hasKhmer("Yellow ribbons, 1,234 — ok")).toBe(false);
    expect(hasKhmer("\u200C\u200D\u25CC")).toBe(false);
    expect(hasKhmer("")).toBe(false);
  });
});
