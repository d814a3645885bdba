import { describe, expect, it } from "vitest";
import { matchesQuery } from "../../../components/Combobox.tsx";
import { toMentionMarkup } from "./people.ts";

const DARA = { id: "c858619a-0b1e-4c7e-9f53-1b2f3c4d5e6f", displayName: "Sok Dara" };
const SOK = { id: "0a0b0c0d-1111-4222-8333-444455556666", displayName: "Sok" };
const KHMER = { id: "9f8e7d6c-5b4a-4392-8a1b-0c1d2e3f4a5b", displayName: "សុខ ដារា" };

describe("toMentionMarkup", () => {
  it("turns the picked names into the API's markup and leaves the rest as typed", () => {
    expect(toMentionMarkup("Thanks @Sok Dara, see you.", [DARA])).toBe(`Thanks @[Sok Dara](${DARA.id}), see you.`);
    expect(toMentionMarkup("@Sok Dara", [DARA])).toBe(`@[Sok Dara](${DARA.id})`);
    expect(toMentionMarkup("Nobody picked @Sok Dara", [])).toBe("Nobody picked @Sok Dara");
  });

  it("prefers the longer name, and a name followed by more letters is another word", () => {
    expect(toMentionMarkup("@Sok and @Sok Dara", [SOK, DARA])).toBe(`@[Sok](${SOK.id}) and @[Sok Dara](${DARA.id})`);
    expect(toMentionMarkup("@Sokha and @Sok Darany", [DARA])).toBe("@Sokha and @Sok Darany");
    expect(toMentionMarkup("@Sokha", [SOK])).toBe("@Sokha");
    expect(toMentionMarkup("mail sok@Sok Dara", [DARA])).toBe("mail sok@Sok Dara");
  });

  it("works on Khmer names, whose vowel signs belong to the word", () => {
    expect(toMentionMarkup("សូមជួយ @សុខ ដារា។", [KHMER])).toBe(`សូមជួយ @[សុខ ដារា](${KHMER.id})។`);
    expect(toMentionMarkup("@សុខ ដារាំ", [KHMER])).toBe("@សុខ ដារាំ");
  });

  it("drops brackets from a name, which would end the markup early", () => {
    const odd = { id: DARA.id, displayName: "Dara [CCHR]" };
    expect(toMentionMarkup("@Dara [CCHR] ok", [odd])).toBe(`@[Dara CCHR](${DARA.id}) ok`);
  });
});

describe("matchesQuery", () => {
  it("matches part of a label in any case, and Khmer as typed", () => {
    expect(matchesQuery("Cambodian League for the Promotion of Human Rights (LICADHO)", "PROMOTION")).toBe(true);
    expect(matchesQuery("Cambodian League (LICADHO)", "licadho")).toBe(true);
    expect(matchesQuery("Cambodian League (LICADHO)", "cchr")).toBe(false);
    expect(matchesQuery("សុខ ដារា", "ដារា")).toBe(true);
    expect(matchesQuery("Dara Kim", "ដារា")).toBe(false);
    expect(matchesQuery("Dara Kim", "  ")).toBe(true);
  });

  it("matches whatever Unicode form the text was typed in", () => {
    expect(matchesQuery("Ren\u00e9", "rene\u0301")).toBe(true);
  });
});
