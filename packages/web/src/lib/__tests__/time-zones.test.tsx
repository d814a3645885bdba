// @vitest-environment happy-dom
import { act, cleanup, render } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/*
 * The zones' Khmer names come in a file of their own. A page that names a zone waits for them
 * before it is first drawn (its text would grow under the reader when they came), and never goes
 * back to waiting once drawn: a page drawn again as <Loading /> would lose what the reader typed.
 * Each test loads the modules afresh, so that the names are not in yet.
 */

beforeEach(() => vi.resetModules());
afterEach(() => cleanup());

async function probe(initial: "en" | "km") {
  const { LanguageProvider, useLanguage } = await import("../i18n.tsx");
  const { useTimeZoneLabel, useTimeZoneNamesReady } = await import("../time-zones.ts");
  // Both languages' messages, so that the page is drawn at once in either.
  const { loadCatalog } = await import("../catalogs.ts");
  const { loadAllCatalogAreas } = await import("../catalog-areas.ts");
  for (const lang of ["en", "km"] as const) {
    await loadCatalog(lang, ["core", "rest"]);
    await loadAllCatalogAreas(lang);
  }
  const seen: boolean[] = [];
  let switchTo: (lang: "en" | "km") => void = () => undefined;
  // biome-ignore lint/correctness/noComponentHookFactories: its hooks come from the modules loaded afresh for this test, and it is rendered once.
  function Page() {
    const ready = useTimeZoneNamesReady();
    const label = useTimeZoneLabel();
    switchTo = useLanguage().setLang;
    seen.push(ready);
    return <p>{ready ? label("Asia/Phnom_Penh") : "loading"}</p>;
  }
  const view = render(
    <LanguageProvider initial={initial}>
      <Page />
    </LanguageProvider>,
  );
  return { seen, text: () => view.container.textContent, switchTo: (lang: "en" | "km") => act(() => switchTo(lang)) };
}

describe("useTimeZoneNamesReady", () => {
  it("on a Khmer page, is false until the Khmer names are in, then names the zone in Khmer", async () => {
    const page = await probe("km");
    expect(page.seen[0]).toBe(false);
    expect(page.text()).toBe("loading");
    await vi.waitFor(() => expect(page.text()).toMatch(/^[\u1780-\u17ff].* — Asia\/Phnom Penh$/));
  });

  it("once the page is drawn, stays true when the reader switches to Khmer, and the names fill in when they come", async () => {
    const page = await probe("en");
    expect(page.seen.length).toBeGreaterThan(0);
    expect(page.seen.every(Boolean)).toBe(true);
    expect(page.text()).toBe("Asia/Phnom Penh — Indochina Time");
    page.switchTo("km");
    // Drawn again in Khmer before the names are in: still drawn, with the zone's id.
    expect(page.seen.every(Boolean)).toBe(true);
    await vi.waitFor(() => expect(page.text()).toMatch(/[\u1780-\u17ff]/));
    expect(page.seen.every(Boolean)).toBe(true);
  });
});
