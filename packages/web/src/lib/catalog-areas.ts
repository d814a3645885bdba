import { useEffect, useState } from "react";
import { addCatalogArea } from "./catalogs.ts";
import { type Language, useLanguage } from "./i18n.tsx";

/**
 * Catalog areas a lazy page or card fetches for itself when it renders (catalog-split.ts,
 * LAZY_AREAS), so the first screen and the dashboard do not carry them. Vite resolves only
 * literal import specifiers, hence one pair of imports per area. English first: the fallback.
 */
const AREAS = {
  auditLog: {
    en: () => import("virtual:samakki-catalog/en/area/auditLog"),
    km: () => import("virtual:samakki-catalog/km/area/auditLog"),
  },
  calendarFeed: {
    en: () => import("virtual:samakki-catalog/en/area/calendarFeed"),
    km: () => import("virtual:samakki-catalog/km/area/calendarFeed"),
  },
  statements: {
    en: () => import("virtual:samakki-catalog/en/area/statements"),
    km: () => import("virtual:samakki-catalog/km/area/statements"),
  },
  votes: {
    en: () => import("virtual:samakki-catalog/en/area/votes"),
    km: () => import("virtual:samakki-catalog/km/area/votes"),
  },
  petitions: {
    en: () => import("virtual:samakki-catalog/en/area/petitions"),
    km: () => import("virtual:samakki-catalog/km/area/petitions"),
  },
  letters: {
    en: () => import("virtual:samakki-catalog/en/area/letters"),
    km: () => import("virtual:samakki-catalog/km/area/letters"),
  },
  signups: {
    en: () => import("virtual:samakki-catalog/en/area/signups"),
    km: () => import("virtual:samakki-catalog/km/area/signups"),
  },
} satisfies Record<string, Record<Language, () => Promise<{ default: Record<string, unknown> }>>>;

export type LazyArea = keyof typeof AREAS;

const loaded = new Set<string>();

async function loadArea(area: LazyArea, lang: Language): Promise<void> {
  for (const l of lang === "en" ? (["en"] as const) : (["en", lang] as const)) {
    if (loaded.has(`${area}/${l}`)) continue;
    addCatalogArea(l, (await AREAS[area][l]()).default);
    loaded.add(`${area}/${l}`);
  }
}

/** Start loading areas' strings before the page that needs them renders (src/app/preload.ts). */
export function preloadCatalogAreas(areas: readonly LazyArea[], lang: Language): void {
  for (const area of areas) loadArea(area, lang).catch(() => undefined);
}

/** Whether the area's strings in the current language have arrived (re-renders when they do). */
export function useCatalogArea(area: LazyArea): boolean {
  return useCatalogAreas([area]);
}

/** Whether all these areas' strings in the current language have arrived (re-renders when they do). */
export function useCatalogAreas(areas: readonly LazyArea[]): boolean {
  const { lang } = useLanguage();
  const wanted = areas.map((area) => `${area}/${lang}`).join(",");
  const [arrived, setArrived] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const done = () => live && setArrived(wanted);
    // Offline and not cached: show the keys rather than nothing.
    Promise.all(wanted.split(",").map((key) => loadArea(...(key.split("/") as [LazyArea, Language])))).then(done, done);
    return () => {
      live = false;
    };
  }, [wanted]);
  return arrived === wanted || wanted.split(",").every((key) => loaded.has(key));
}

/** Load every lazy area of `lang` (tests that render a page without its route). */
export function loadAllCatalogAreas(lang: Language): Promise<void> {
  return Promise.all((Object.keys(AREAS) as LazyArea[]).map((area) => loadArea(area, lang))).then(() => undefined);
}
