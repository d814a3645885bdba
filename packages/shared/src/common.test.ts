import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Email, isMemberOf, NewPassword, TimeZone } from "./common.ts";

describe("common schemas", () => {
  it("normalises emails to lower case and refuses malformed ones", () => {
    expect(Email.parse("  Sok.Chea@Example.ORG ")).toBe("sok.chea@example.org");
    expect(Email.safeParse("not an email").success).toBe(false);
  });

  it("accepts real time zones only", () => {
    expect(TimeZone.safeParse("Asia/Phnom_Penh").success).toBe(true);
    expect(TimeZone.safeParse("Mars/Olympus_Mons").success).toBe(false);
  });

  it("asks for passwords of 12 to 256 characters", () => {
    expect(NewPassword.safeParse("short").success).toBe(false);
    expect(NewPassword.safeParse("a".repeat(257)).success).toBe(false);
    expect(NewPassword.safeParse("twelve chars!").success).toBe(true);
  });
});

describe("isMemberOf", () => {
  it("accepts the enum's values only, so every() narrows a list of strings to the enum", () => {
    const Colour = z.enum(["red", "green"]);
    const isColour = isMemberOf(Colour);
    const list: string[] = ["red", "green"];
    expect(list.every(isColour)).toBe(true);
    expect(["red", "blue"].every(isColour)).toBe(false);
    expect(isColour(undefined)).toBe(false);
    if (list.every(isColour)) {
      const typed: z.infer<typeof Colour>[] = list;
      expect(typed).toEqual(["red", "green"]);
    }
  });
});
