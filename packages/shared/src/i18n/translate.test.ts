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

describe("formatMessage plurals", () => {
  const catalogs = {
    en: {
      p: {
        new: "{count, plural, one {# new notification} other {# new notifications}}",
        of: "{cast} of {eligible, plural, one {# organisation} other {# organisations}}",
        exact: "{count, plural, =0 {No rows} one {# row} other {# rows}}",
        two: "{valid, plural, one {# row can} other {# rows can}}; {invalid, plural, one {# row has} other {# rows have}} errors.",
        broken: "{count, plural, one {# thing}}",
      },
    },
    km: { p: { new: "{count, plural, other {ការជូនដំណឹងថ្មីចំនួន #}}" } },
  };

  it("picks English one and other by the count, and writes # in the reader's digits", () => {
    expect(formatMessage(catalogs, "en", "p.new", { count: 1 })).toBe("1 new notification");
    expect(formatMessage(catalogs, "en", "p.new", { count: 0 })).toBe("0 new notifications");
    expect(formatMessage(catalogs, "en", "p.new", { count: 2 })).toBe("2 new notifications");
    expect(formatMessage(catalogs, "en", "p.new", { count: 1234 })).toBe("1,234 new notifications");
  });

  it("gives Khmer the other branch, for one as for many, in Khmer digits", () => {
    expect(new Intl.PluralRules("km").resolvedOptions().pluralCategories).toEqual(["other"]);
    expect(formatMessage(catalogs, "km", "p.new", { count: 1 })).toBe("ការជូនដំណឹងថ្មីចំនួន ១");
    expect(formatMessage(catalogs, "km", "p.new", { count: 1234 })).toBe("ការជូនដំណឹងថ្មីចំនួន ១.២៣៤");
    // A Khmer message missing: the English one, in English plural rules but Khmer digits.
    expect(formatMessage(catalogs, "km", "p.exact", { count: 1 })).toBe("១ row");
  });

  it("fills other placeholders, prefers an exact branch, and handles two plurals in one message", () => {
    expect(formatMessage(catalogs, "en", "p.of", { cast: "1", eligible: 1 })).toBe("1 of 1 organisation");
    expect(formatMessage(catalogs, "en", "p.of", { cast: "3", eligible: 5 })).toBe("3 of 5 organisations");
    expect(formatMessage(catalogs, "en", "p.exact", { count: 0 })).toBe("No rows");
    expect(formatMessage(catalogs, "en", "p.exact", { count: 1 })).toBe("1 row");
    expect(formatMessage(catalogs, "en", "p.two", { valid: 1, invalid: 3 })).toBe("1 row can; 3 rows have errors.");
  });

  it("takes other for a count given as a string, and leaves a plural without other as text", () => {
    expect(formatMessage(catalogs, "en", "p.new", { count: "1" })).toBe("1 new notifications");
    expect(formatMessage(catalogs, "en", "p.broken", { count: 1 })).toBe("{count, plural, one {# thing}}");
  });
});
