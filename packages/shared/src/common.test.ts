import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InviteOrganisationInput } from "./coalitions.ts";
import { DisplayName, Email, isMemberOf, NewPassword, singleLine, TimeZone } from "./common.ts";
import { CreateTaskInput } from "./tasks.ts";

describe("common schemas", () => {
  it("normalises emails to lower case and refuses malformed ones", () => {
    expect(Email.parse("  Sok.Chea@Example.ORG ")).toBe("sok.chea@example.org");
    expect(Email.safeParse("not an email").success).toBe(false);
  });

  it("a name or title: no control characters or bidirectional overrides, something visible; Khmer with its zero-width spaces is fine", () => {
    const name = singleLine(1, 120);
    const codes = (value: string) => (name.safeParse(value).error?.issues ?? []).map((i) => i.message);
    expect(name.parse("  សម្ព័ន្ធ\u200bសេរីភាព  ")).toBe("សម្ព័ន្ធ\u200bសេរីភាព");
    expect(name.parse("Alliance for Freedom of Expression (AFEC)")).toBe("Alliance for Freedom of Expression (AFEC)");
    for (const bad of ["Evil\u202Egnp.exe", "a\u2066b", "bell\u0007", "esc\u001b[31m", "c1\u0085", "del\u007f", "two\nlines", "tab\there"])
      expect(codes(bad), JSON.stringify(bad)).toEqual(["validation.invalid_characters"]);
    for (const invisible of ["\u200b", "\u200b\u200c\u200d", " \u2060 \ufeff "])
      expect(codes(invisible), JSON.stringify(invisible)).toEqual(["validation.required"]);
    // An empty one is only "too short": one error per field.
    expect(codes("")).toHaveLength(1);
    expect(singleLine(0, 20).parse("")).toBe("");
    // The schemas of names and titles use it.
    expect(DisplayName.safeParse("Dara\u202E").success).toBe(false);
    expect(
      InviteOrganisationInput.safeParse({ organisationName: "\u200b\u200b", contactEmail: "a@example.org", language: "en" }).success,
    ).toBe(false);
    expect(CreateTaskInput.safeParse({ title: "Print\u001b leaflets" }).success).toBe(false);
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
