import { timeZoneName } from "@samakki/shared/i18n/format";
import { useCallback, useEffect, useState } from "react";
import { useDrawnOnce } from "./drawn-once.ts";
import { useLanguage, useT } from "./i18n.tsx";

/**
 * Time zones by name in the reader's language, with the IANA id (a code-like value, kept) after it:
 * "Asia/Phnom Penh (Indochina Time)" / "Asia/Phnom Penh (ម៉ោងនៅឥណ្ឌូចិន)". Browsers know the English
 * names; Chromium has no Khmer ones, so those come from a file made with Node's ICU data
 * (scripts/time-zone-names.mjs), fetched only when a Khmer page shows a zone.
 */
let khmer: Record<string, string> | undefined;
let loading: Promise<void> | undefined;
function loadKhmer(): Promise<void> {
  loading ??= import("./time-zone-names.km.json").then((m) => {
    khmer = m.default;
  });
  return loading;
}

const english = new Map<string, string | null>();
function englishName(zone: string): string | null {
  let name = english.get(zone);
  if (name === undefined) {
    name = timeZoneName(zone, "en-GB");
    english.set(zone, name);
  }
  return name;
}

/** Whether the zones' names in the reader's language are in, asking for them on a Khmer page. */
function useNamesIn(): boolean {
  const { lang } = useLanguage();
  const [ready, setReady] = useState(khmer !== undefined);
  useEffect(() => {
    if (lang !== "km" || khmer) return;
    let live = true;
    // Not found (offline, not cached): drawn with the zones' ids.
    const done = () => live && setReady(true);
    loadKhmer().then(done, done);
    return () => {
      live = false;
    };
  }, [lang]);
  return lang !== "km" || ready;
}

/**
 * Whether a page that names a zone may be drawn: once the zones' names in the reader's language are
 * in. A page waits for them before it is first drawn (StatementPage, CampaignPage, SetupPage), so its
 * text does not grow under the reader when they arrive. Once true, it stays true: a reader who
 * switches to Khmer keeps the page and what they typed in it (drawn again as <Loading />, a form
 * would lose it), and the names fill in when they come.
 */
export function useTimeZoneNamesReady(): boolean {
  return useDrawnOnce(useNamesIn());
}

export function useTimeZoneLabel(): (zone: string) => string {
  const { lang } = useLanguage();
  const t = useT();
  const ready = useNamesIn();
  return useCallback(
    (zone: string) => {
      const name = lang === "km" ? (ready ? khmer?.[zone] : undefined) : englishName(zone);
      const id = zone.replaceAll("_", " ");
      return name ? t("timeZones.option", { zone: id, name }) : id;
    },
    [lang, t, ready],
  );
}
