import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CampaignUpdateInput } from "./campaigns.ts";
import { InviteOrganisationInput } from "./coalitions.ts";
import { DisplayName, Email, isMemberOf, NewPassword, singleLine, TimeZone, textBody } from "./common.ts";
import { PublicSignupForm } from "./signups.ts";
import { CreateStatementInput, StatementCommentInput } from "./statements.ts";
import { CreateTaskInput, TaskCommentInput } from "./tasks.ts";

describe("common schemas", () => {
  it("normalises emails to lower case and refuses malformed ones", () => {
    expect(Email.parse("  Sok.Chea@Example.ORG ")).toBe("sok.chea@example.org");
    expect(Email.safeParse("not an email").success).toBe(false);
  });

  it("the public sign-up form's number of guests is decimal digits only, 0 to 50", () => {
    const guests = (value: string) => PublicSignupForm.safeParse({ name: "Dara", guests: value, choices: [`${"0".repeat(36)}:0`] });
    expect(guests("2").data?.guests).toBe(2);
    expect(guests("0").data?.guests).toBe(0);
    for (const bad of ["1e1", "0x2", " 2", "2.5", "-1", "51", ""]) expect(guests(bad).success, bad).toBe(false);
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

  it("a comment, an update or a statement's body must show something: not only invisible characters", () => {
    const body = textBody(100);
    const codes = (value: string) => (body.safeParse(value).error?.issues ?? []).map((i) => i.message);
    // What an outside test posted as comments and updates that looked empty.
    for (const invisible of [
      "\u200b\u200b",
      "\u200e\u200f",
      "\u17b4\u17b5",
      "\u00ad",
      "\u2063\u2064",
      " \n\t\u3164 ",
      "\u2800",
      "\u{e0020}",
      "\ufe0f",
    ])
      expect(codes(invisible), JSON.stringify(invisible)).toEqual(["validation.required"]);
    // An empty one is only "too short": one error per field.
    expect(codes("")).toHaveLength(1);
    // Khmer with its zero-width spaces, and text across lines, are fine.
    expect(body.parse("  ការ\u200bប្រជុំ\nនៅម៉ោង ៧  ")).toBe("ការ\u200bប្រជុំ\nនៅម៉ោង ៧");
    expect(TaskCommentInput.safeParse({ body: "\u200e\u200f" }).success).toBe(false);
    expect(CampaignUpdateInput.safeParse({ body: "\u17b4" }).success).toBe(false);
    expect(StatementCommentInput.safeParse({ body: "\ufeff\u200b" }).success).toBe(false);
    expect(CreateStatementInput.safeParse({ title: "A statement", bodyEn: "\u200b", bodyKm: "\u17b5" }).success).toBe(false);
    // The error goes on the field its author wrote in.
    const field = (input: object) =>
      CreateStatementInput.safeParse({ title: "A statement", ...input }).error?.issues.map((i) => i.path.join("."));
    expect(field({ bodyKm: "\u200b\u200b" })).toEqual(["bodyKm"]);
    expect(field({ bodyEn: "\u200b" })).toEqual(["bodyEn"]);
    expect(field({})).toEqual(["bodyEn"]);
    // Emoji with a variation selector, and Khmer, are visible.
    expect(textBody(10).parse("❤️")).toBe("❤️");
    expect(singleLine(1, 20).safeParse("\u200e\u200f").success).toBe(false);
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
