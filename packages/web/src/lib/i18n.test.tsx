import { catalogs } from "@samakki/shared/i18n/index";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { isCatalogLoaded, loadCatalog, translate } from "./catalogs.ts";
import { initialLanguage, LanguageProvider, type MessageKey, makeT, useT } from "./i18n.tsx";

function Greeting({ k }: { k: MessageKey }) {
  const t = useT();
  return <p>{t(k, { name: "Sokha" })}</p>;
}

function leaves(node: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof node === "string") out.set(prefix, node);
  else if (node && typeof node === "object")
    for (const [key, value] of Object.entries(node)) for (const [k, v] of leaves(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  return out;
}

/** `{name}` placeholders and plural arguments (`{count, plural, …}`), each name once. */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:\}|\s*,\s*plural\s*,)/g)].map((m) => m[1]))].sort();
/** The selectors of each plural in `text` (`one`, `other`, `=0`), in order. */
const pluralSelectors = (text: string) =>
  [...text.matchAll(/\{\s*\w+\s*,\s*plural\s*,((?:\s*(?:=\d+|\w+)\s*\{[^{}]*(?:\{\w+\}[^{}]*)*\})+)\s*\}/g)].map((m) =>
    [...(m[1] ?? "").matchAll(/(=\d+|\w+)\s*\{[^{}]*(?:\{\w+\}[^{}]*)*\}/g)].map((b) => b[1]),
  );

describe("the first language", () => {
  it("is Khmer when the browser lists Khmer anywhere, and English otherwise", () => {
    const cases: [string[], string][] = [
      [["km-KH", "en"], "km"],
      [["en-US", "KM"], "km"],
      [["en-US", "en"], "en"],
      [["kmr", "en"], "en"],
      [[], "en"],
    ];
    for (const [languages, expected] of cases) {
      vi.stubGlobal("navigator", { languages });
      expect(initialLanguage(), languages.join()).toBe(expected);
    }
    vi.unstubAllGlobals();
  });
});

describe("catalog loading", () => {
  // First in the file, before any test loads Khmer.
  it("ships English only; Khmer arrives on demand, and until then text falls back to English", async () => {
    expect(isCatalogLoaded("en")).toBe(true);
    expect(isCatalogLoaded("km")).toBe(false);
    expect(translate("km", "nav.signOut")).toBe(catalogs.en.nav.signOut);
    await loadCatalog("km");
    expect(isCatalogLoaded("km")).toBe(true);
    expect(translate("km", "nav.signOut")).toBe(catalogs.km.nav.signOut);
    expect(translate("km", "no.such.key")).toBe("no.such.key");
  });
});

describe("useT", () => {
  beforeAll(() => loadCatalog("km"));
  it("translates in the provider's language with parameters", () => {
    expect(
      renderToString(
        <LanguageProvider initial="km">
          <Greeting k="dashboard.welcome" />
        </LanguageProvider>,
      ),
    ).toContain("សូមស្វាគមន៍ Sokha។");
    expect(
      renderToString(
        <LanguageProvider initial="en">
          <Greeting k="dashboard.welcome" />
        </LanguageProvider>,
      ),
    ).toContain("Welcome, Sokha.");
  });

  it("throws outside the provider, so a missing provider cannot go unnoticed", () => {
    expect(() => renderToString(<Greeting k="app.name" />)).toThrow(/LanguageProvider/);
  });

  it("falls back to the key for unknown keys instead of crashing", () => {
    const t = makeT("km");
    expect(t("no.such.key" as MessageKey)).toBe("no.such.key");
  });
});

describe("catalogs", () => {
  const en = leaves(catalogs.en);
  const km = leaves(catalogs.km);

  it("have the same keys", () => {
    expect([...km.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it("use the same placeholders in both languages and no empty strings", () => {
    for (const [key, text] of en) {
      const other = km.get(key) ?? "";
      expect(other.trim(), key).not.toBe("");
      expect(placeholders(other), key).toEqual(placeholders(text));
    }
  });

  it("write plurals with an other branch, and Khmer ones (no grammatical plural) with other only", () => {
    for (const [key, text] of en) for (const selectors of pluralSelectors(text)) expect(selectors, key).toContain("other");
    for (const [key, text] of km) for (const selectors of pluralSelectors(text)) expect(selectors, key).toEqual(["other"]);
    expect(pluralSelectors(en.get("letters.import.confirm") ?? "")).toEqual([["one", "other"]]);
    expect(pluralSelectors(km.get("letters.import.summary") ?? "")).toEqual([["other"], ["other"]]);
  });

  it("write the interface in Khmer script, not left in English", () => {
    // Placeholders ("{total} {unit}") are not words: a pattern of placeholders alone needs no translation.
    const untranslated = [...en].filter(
      ([key, text]) => !key.startsWith("errors.") && km.get(key) === text && /[a-z]{3}/i.test(text.replace(/\{\w+\}/g, "")),
    );
    expect(untranslated).toEqual([]);
    for (const key of ["nav.signOut", "nav.members", "dashboard.myTasksTitle", "organisation.representative"])
      expect(km.get(key)).toMatch(/[\u1780-\u17FF]/);
  });

  it("translate every notification key the API writes", () => {
    for (const key of ["organisation_joined", "member_status", "coordinator_appointed", "role_changed", "representative_named"]) {
      expect(en.has(`notifications.${key}`), key).toBe(true);
      expect(km.get(`notifications.${key}`)).toMatch(/[\u1780-\u17FF]/);
    }
  });
});
