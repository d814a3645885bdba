import { describe, expect, it } from "vitest";
import { publicationHash, publicationRecord } from "../statement-text.ts";

const text = { title: "On the arrest of journalists", bodyEn: "Release them.", bodyKm: "ដោះលែងពួកគេ។" };
const cchr = { name: "Cambodian Centre for Human Rights", shortName: "CCHR" };
const adhoc = { name: "សមាគមអាដហុក", shortName: null };
const list = [cchr, adhoc];

describe("the publication fingerprint", () => {
  it("covers the text and the signatory list: changing either changes it", () => {
    const base = publicationHash(text, list, 1);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(publicationHash(text, list.slice(0, 1), 1)).not.toBe(base);
    expect(publicationHash(text, [...list, { name: "Another organisation", shortName: null }], 1)).not.toBe(base);
    expect(publicationHash(text, [{ ...cchr, name: "Cambodian Center for Human Rights" }, adhoc], 1)).not.toBe(base);
    expect(publicationHash(text, [{ ...cchr, shortName: "CC" }, adhoc], 1)).not.toBe(base);
    expect(publicationHash(text, list, 2)).not.toBe(base);
    expect(publicationHash({ ...text, bodyEn: "Release them now." }, list, 1)).not.toBe(base);
  });

  it("does not depend on the order the list is read in, nor on the Unicode form of a name", () => {
    const base = publicationHash(text, list, 1);
    expect(publicationHash(text, [...list].reverse(), 1)).toBe(base);
    const nfc = [{ name: "Équipe", shortName: null }];
    const nfd = [{ name: "E\u0301quipe", shortName: null }];
    expect(publicationHash(text, nfd, 0)).toBe(publicationHash(text, nfc, 0));
  });

  it("a name cannot forge a line of the record", () => {
    const forged = [{ name: 'A"]\n["B', shortName: null }];
    const honest = [
      { name: "A", shortName: null },
      { name: "B", shortName: null },
    ];
    expect(publicationRecord(text, forged, 0)).not.toBe(publicationRecord(text, honest, 0));
    expect(
      publicationRecord(text, forged, 0)
        .split("\n")
        .filter((l) => l.startsWith("[")),
    ).toHaveLength(1);
  });
});
