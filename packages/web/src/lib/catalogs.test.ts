import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import enCalendarFeed from "virtual:samakki-catalog/en/area/calendarFeed";
import kmCalendarFeed from "virtual:samakki-catalog/km/area/calendarFeed";
import kmCore from "virtual:samakki-catalog/km/core";
import kmRest from "virtual:samakki-catalog/km/rest";
import kmWhole from "virtual:samakki-catalog/km/whole";
import { catalogs } from "@samakki/shared/i18n/index";
import { describe, expect, it } from "vitest";
import { FIRST_SCREEN_AREAS, LAZY_AREAS, SERVER_ONLY_AREAS } from "../../catalog-split.ts";
import { addCatalogArea, isCatalogLoaded, loadCatalog, partsFor, translate } from "./catalogs.ts";

describe("catalogs in two parts", () => {
  it("ships the first screens' areas only; the rest arrives with the first signed-in page", async () => {
    expect(translate("en", "signIn.title")).toBe(catalogs.en.signIn.title);
    expect(translate("en", "statementStatus.draft")).toBe("statementStatus.draft");
    expect(isCatalogLoaded("en", ["core", "rest"])).toBe(false);
    await loadCatalog("en", partsFor("/c/123/statements"));
    expect(translate("en", "statementStatus.draft")).toBe(catalogs.en.statementStatus.draft);
    await loadCatalog("km", partsFor("/sign-in"));
    expect(isCatalogLoaded("km")).toBe(true);
    expect(isCatalogLoaded("km", ["core", "rest"])).toBe(false);
    expect(translate("km", "signIn.title")).toBe(catalogs.km.signIn.title);
    // Until the Khmer rest arrives, its keys fall back to English, never to a mix within one area.
    expect(translate("km", "statementStatus.draft")).toBe(catalogs.en.statementStatus.draft);
  });

  it("has the two Khmer parts in one file too, for a visit that starts on a signed-in page (the e2e performance test sees it asked for alone)", () => {
    expect(Object.keys(kmWhole).sort()).toEqual([...Object.keys(kmCore), ...Object.keys(kmRest)].sort());
    expect(kmWhole).toEqual({ ...kmCore, ...kmRest });
    expect(Object.keys(kmCore).length).toBeGreaterThan(0);
    expect(Object.keys(kmRest).length).toBeGreaterThan(0);
  });

  it("needs only the core on the signed-out pages and `/`, everything elsewhere", () => {
    for (const path of ["/", "/sign-in", "/forgot-password", "/reset-password", "/verify-email", "/undo-email-change", "/invitations/abc"])
      expect(partsFor(path), path).toEqual(["core"]);
    for (const path of ["/c/1", "/c/1/tasks", "/account", "/notifications", "/organisations/1", "/setup", "/c/1/statements/2"])
      expect(partsFor(path), path).toEqual(["core", "rest"]);
  });

  it("cuts by areas that exist in both catalogs", () => {
    for (const area of FIRST_SCREEN_AREAS) {
      expect(Object.keys(catalogs.en), area).toContain(area);
      expect(Object.keys(catalogs.km), area).toContain(area);
    }
  });

  it("leaves out the areas only the server renders, which no web source uses", async () => {
    await loadCatalog("en", ["core", "rest"]);
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [readFileSync(join(dir, e.name), "utf8")] : [],
      );
    const code = sources(join(import.meta.dirname, "..")).join("\n");
    for (const area of SERVER_ONLY_AREAS) {
      expect(Object.keys(catalogs.en), area).toContain(area);
      expect(code, area).not.toMatch(new RegExp(`["'\`]${area}\\.`));
      const [first] = Object.keys((catalogs.en as Record<string, Record<string, unknown>>)[area] ?? {});
      expect(translate("en", `${area}.${first}`), area).toBe(`${area}.${first}`);
    }
  });

  it("leaves the lazy areas out of both parts: the page that needs one loads it, in its own file", async () => {
    await loadCatalog("km", ["core", "rest"]);
    for (const area of LAZY_AREAS) {
      expect(Object.keys(catalogs.en), area).toContain(area);
      const [first] = Object.keys((catalogs.en as Record<string, Record<string, unknown>>)[area] ?? {});
      expect(translate("en", `${area}.${first}`), area).toBe(`${area}.${first}`);
      expect(translate("km", `${area}.${first}`), area).toBe(`${area}.${first}`);
    }
    expect(Object.keys(enCalendarFeed)).toEqual(["calendarFeed"]);
    expect(Object.keys(kmCalendarFeed)).toEqual(["calendarFeed"]);
    addCatalogArea("en", enCalendarFeed);
    addCatalogArea("km", kmCalendarFeed);
    expect(translate("km", "calendarFeed.title")).toBe(catalogs.km.calendarFeed.title);
    expect(translate("en", "calendarFeed.title")).toBe(catalogs.en.calendarFeed.title);
    // The parts loaded before keep their areas.
    expect(translate("km", "signIn.title")).toBe(catalogs.km.signIn.title);
  });

  it("uses a lazy area only in the pages that load it (app/router.tsx gates them, with the lists in app/pages.ts)", () => {
    const loadedBy: Record<string, string[]> = {
      auditLog: ["features/audit/"],
      calendarFeed: ["features/account/components/CalendarFeedCard.tsx"],
      statements: ["features/statements/"],
      votes: ["features/statements/"],
      petitions: ["features/petitions/", "features/campaigns/"],
      letters: ["features/letters/", "features/campaigns/", "features/coalition-members/", "features/audit/"],
      signups: ["features/signups/"],
    };
    expect(Object.keys(loadedBy).sort()).toEqual([...LAZY_AREAS].sort());
    const root = join(import.meta.dirname, "..");
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    for (const file of files(root)) {
      const path = file.slice(root.length + 1);
      const code = readFileSync(file, "utf8");
      for (const [area, allowed] of Object.entries(loadedBy))
        if (new RegExp(`["'\`]${area}\\.[a-zA-Z]`).test(code))
          expect(
            allowed.some((p) => path.startsWith(p)),
            `${area} in ${path}`,
          ).toBe(true);
    }
  });
});
