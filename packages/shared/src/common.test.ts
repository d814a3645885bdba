import { describe, expect, it } from "vitest";
import { Email, NewPassword, TimeZone } from "./common.ts";

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
