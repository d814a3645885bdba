import { describe, expect, it } from "vitest";
import { formatMessage, negotiateLanguage } from "./translate.ts";

describe("negotiateLanguage", () => {
  it("picks the best supported language by quality, else English", () => {
    expect(negotiateLanguage("km-KH,km;q=0.9,en;q=0.8")).toBe("km");
    expect(negotiateLanguage("fr;q=1, en;q=0.5, km;q=0.7")).toBe("km");
    expect(negotiateLanguage("fr, de")).toBe("en");
    expect(negotiateLanguage(undefined)).toBe("en");
  });
});

describe("formatMessage", () => {
  const catalogs = { en: { a: { hello: "Hello {name}", only: "English only" } }, km: { a: { hello: "សួស្តី {name}" } } };

  it("fills placeholders, falls back to English, then to the key", () => {
    expect(formatMessage(catalogs, "km", "a.hello", { name: "Sokha" })).toBe("សួស្តី Sokha");
    expect(formatMessage(catalogs, "km", "a.only")).toBe("English only");
    expect(formatMessage(catalogs, "km", "a.missing")).toBe("a.missing");
    expect(formatMessage(catalogs, "en", "a.hello")).toBe("Hello {name}");
  });
});
