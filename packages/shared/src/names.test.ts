import { describe, expect, it } from "vitest";
import { localName, localUnit, secondNameInput, secondNameOf } from "./names.ts";

describe("bilingual names", () => {
  it("localName shows the second name to readers of its language, the primary to everyone else", () => {
    const org = { name: "Licadho", secondName: { language: "km" as const, name: "លីកាដូ" } };
    expect(localName(org, "km")).toBe("លីកាដូ");
    expect(localName(org, "en")).toBe("Licadho");
    expect(localName({ name: "Licadho", secondName: null }, "km")).toBe("Licadho");
    expect(localName({ name: "Licadho" }, "km")).toBe("Licadho");
    const campaign = { title: "ការពារព្រៃឈើ", secondTitle: { language: "en" as const, name: "Protect the forest" } };
    expect(localName(campaign, "en")).toBe("Protect the forest");
    expect(localName(campaign, "km")).toBe("ការពារព្រៃឈើ");
  });

  it("localUnit goes with the second name: its reader sees the second unit when there is one, everyone else the unit", () => {
    const metric = { unit: "ribbons", secondUnit: "ខ្សែបូ", secondName: { language: "km" as const, name: "ខ្សែបូដែលបានចែក" } };
    expect(localUnit(metric, "km")).toBe("ខ្សែបូ");
    expect(localUnit(metric, "en")).toBe("ribbons");
    expect(localUnit({ ...metric, secondUnit: null }, "km")).toBe("ribbons");
    expect(localUnit({ ...metric, secondUnit: "" }, "km")).toBe("ribbons");
    expect(localUnit({ unit: "ribbons", secondUnit: "ខ្សែបូ", secondName: null }, "km")).toBe("ribbons");
  });

  it("secondNameOf needs both columns", () => {
    expect(secondNameOf("លីកាដូ", "km")).toEqual({ language: "km", name: "លីកាដូ" });
    expect(secondNameOf("លីកាដូ", null)).toBeNull();
    expect(secondNameOf(null, "km")).toBeNull();
  });

  it("secondNameInput trims, bounds, refuses other languages, and takes null to remove it", () => {
    const input = secondNameInput(5);
    expect(input.parse({ language: "km", name: "  ក  " })).toEqual({ language: "km", name: "ក" });
    expect(input.parse(null)).toBeNull();
    expect(input.safeParse({ language: "km", name: "   " }).success).toBe(false);
    expect(input.safeParse({ language: "km", name: "abcdef" }).success).toBe(false);
    expect(input.safeParse({ language: "fr", name: "abc" }).success).toBe(false);
    expect(input.safeParse({ language: "km", name: "abc", extra: 1 }).success).toBe(false);
  });
});
