import { isLanguage, type Language, type MessageKey } from "@samakki/shared/i18n/translate";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { useLocation } from "wouter";
import { setRequestLanguage } from "./api-client.ts";
import { isCatalogLoaded, loadCatalog, partsFor, translate } from "./catalogs.ts";

export type { Language, MessageKey };
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const STORAGE_KEY = "samakki.language";
/**
 * The same choice as a cookie, for the server only: it names the chosen language's catalog in the
 * page (packages/api/src/modules/web/static.routes.ts) so that it downloads with the app's code. A
 * preference, not an identifier: the same two values for everyone.
 */
const COOKIE = "samakki-language";

function rememberLanguage(lang: Language): void {
  storage()?.setItem(STORAGE_KEY, lang);
  if (typeof document === "undefined") return;
  const secure = location.protocol === "https:" ? "; Secure" : "";
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from older phone browsers, and the value is one of two fixed words.
  document.cookie = `${COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled (private mode, policy)
  }
}

/** The remembered choice, if the person made one on this device. */
function storedLanguage(): Language | null {
  const value = storage()?.getItem(STORAGE_KEY) ?? cookieLanguage();
  return isLanguage(value) ? value : null;
}

/** The cookie's copy: the choice where storage is blocked (the server reads the same cookie). */
function cookieLanguage(): string | undefined {
  if (typeof document === "undefined") return undefined;
  return document.cookie
    .split("; ")
    .find((pair) => pair.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
}

/** Remembered choice, else the browser's preference, else English. */
export function initialLanguage(): Language {
  const stored = storedLanguage();
  if (stored) return stored;
  const preferred = typeof navigator === "undefined" ? [] : navigator.languages;
  // Khmer ("km", "km-KH") anywhere in the list; not a language whose code merely starts so ("kmr").
  // The API names the Khmer catalog in the page by the same rule (startsInKhmer in packages/api/src/modules/web/static.routes.ts).
  return preferred.some((tag) => /^km(?:-|$)/i.test(tag)) ? "km" : "en";
}

/** A translator bound to one language (pure; the hook below memoises it per language). */
export function makeT(lang: Language): Translate {
  return (key, params) => translate(lang, key, params);
}

/** For keys built at run time (an API enum value, a notification's messageKey). */
export function translateDynamic(lang: Language, key: string, params?: Params): string {
  return translate(lang, key, params);
}

type LanguageState = { lang: Language; setLang: (lang: Language) => void; chosen: boolean };
const LanguageContext = createContext<LanguageState | null>(null);

export function LanguageProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [lang, setLangState] = useState<Language>(() => initial ?? initialLanguage());
  const [chosen, setChosen] = useState(() => storedLanguage() !== null);
  setRequestLanguage(lang);

  // The latest choice wins: catalogs load at their own pace, and a quick second choice (or a choice
  // taken back when the server refused it) must not be overtaken by the first one's late catalog.
  const latest = useRef<Language | null>(null);
  const setLang = useCallback((next: Language) => {
    latest.current = next;
    rememberLanguage(next);
    setChosen(true);
    // Switch once the catalog is here, so the page never shows a mix of languages. Once the rest
    // is in use (a signed-in frame, whatever its address: `/` draws one for a person without a
    // coalition), the new language's rest comes too.
    const needed = isCatalogLoaded("en", ["core", "rest"]) ? (["core", "rest"] as const) : partsFor(window.location.pathname);
    loadCatalog(next, [...needed]).then(
      () => {
        if (latest.current !== next) return;
        setRequestLanguage(next);
        setLangState(next);
      },
      () => undefined,
    );
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // A choice made before the cookie existed: give the server its copy.
  useEffect(() => {
    const stored = storedLanguage();
    if (stored && !document.cookie.split("; ").includes(`${COOKIE}=${stored}`)) rememberLanguage(stored);
  }, []);

  const value = useMemo(() => ({ lang, setLang, chosen }), [lang, setLang, chosen]);
  return (
    <LanguageContext.Provider value={value}>
      {typeof window === "undefined" ? children : <CatalogGate lang={lang}>{children}</CatalogGate>}
    </LanguageContext.Provider>
  );
}

/**
 * Signed-in pages need the whole catalog; the first screens ship with its core only. Going from
 * one to the other, render nothing for the moment the rest takes to arrive, rather than keys.
 */
function CatalogGate({ lang, children }: { lang: Language; children: ReactNode }) {
  const [location] = useLocation();
  return (
    <PartsGate lang={lang} needed={partsFor(location)} fallback={null}>
      {children}
    </PartsGate>
  );
}

/**
 * What needs the whole catalog wherever it is drawn (the signed-in frame: its bell, menu and tabs
 * use areas of the rest), also at an address whose page otherwise needs the core only: `/` draws
 * the frame for a person without a coalition, and its bell's label showed its raw key.
 */
export function WholeCatalog({ children, fallback = null }: { children: ReactNode; fallback?: ReactNode }) {
  const { lang } = useLanguage();
  return (
    <PartsGate lang={lang} needed={["core", "rest"]} fallback={fallback}>
      {children}
    </PartsGate>
  );
}

function PartsGate({
  lang,
  needed,
  fallback,
  children,
}: {
  lang: Language;
  needed: ReturnType<typeof partsFor>;
  fallback: ReactNode;
  children: ReactNode;
}) {
  const [failed, setFailed] = useState(false);
  const [, setArrived] = useState(0);
  const ready = failed || isCatalogLoaded(lang, needed);
  const withRest = needed.includes("rest");
  useEffect(() => {
    if (ready) return;
    loadCatalog(lang, withRest ? ["core", "rest"] : ["core"]).then(
      () => setArrived((n) => n + 1),
      // Offline: show the page with what we have (the core, then keys) rather than nothing.
      () => setFailed(true),
    );
  }, [ready, lang, withRest]);
  return ready ? children : fallback;
}

export function useLanguage(): LanguageState {
  const state = useContext(LanguageContext);
  if (!state) throw new Error("useLanguage outside LanguageProvider");
  return state;
}

/** `t(key, params)` over the shared catalogs, in the current UI language. */
export function useT(): Translate {
  const { lang } = useLanguage();
  return useMemo(() => makeT(lang), [lang]);
}

/** Translate an enum value the API sends (`status.active`, `role.admin`), falling back to the raw value. */
export function useEnumLabel(): (prefix: "status" | "role", value: string) => string {
  const { lang } = useLanguage();
  return useCallback(
    (prefix, value) => {
      const key = `${prefix}.${value}`;
      const text = translate(lang, key);
      return text === key ? value : text;
    },
    [lang],
  );
}
