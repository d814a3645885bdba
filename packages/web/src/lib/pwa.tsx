import { registerSW } from "virtual:pwa-register";
import { isLanguage, type Language } from "@samakki/shared/i18n/translate";
import { useEffect, useState, useSyncExternalStore } from "react";
import { createRoot } from "react-dom/client";
import { Button } from "../components/Button.tsx";
import { setChangeNotFoundHandler } from "./api-client.ts";
import { isCatalogLoaded, loadCatalog, translate } from "./catalogs.ts";
import { formatDateTime } from "./format.ts";

/**
 * Installable and readable offline (docs/security/offline.md), loaded by main.tsx after the page
 * has loaded so the first screen's JS does not grow. It registers the service worker (src/sw/sw.ts),
 * points the manifest link at the page's language, and draws a bar above the page for:
 * - answers the service worker served from what it kept (api-client.ts writes their time in
 *   `data-stored-at` on <html>): "Offline: shown as on <time>", in the coalition's time zone
 *   (`data-time-zone`, written by the signed-in layout);
 * - a new release waiting: "A new version is ready — reload", applied only when the person says so.
 *   The browser looks for one when a page is loaded; a tab left open (a phone's, for days) also looks
 *   when it is shown again and every hour while shown, at most every 15 minutes, and at once when a
 *   change it sends answers 404 (an endpoint may have moved in the new release).
 * It reads the page through attributes of <html> (`lang` from LanguageProvider), so the app's
 * first-screen code carries only those few writes.
 */
const html = document.documentElement;

function subscribeHtml(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(html, { attributes: true, attributeFilter: ["lang", "data-stored-at", "data-time-zone"] });
  return () => observer.disconnect();
}
const useHtmlAttribute = (name: string) => useSyncExternalStore(subscribeHtml, () => html.getAttribute(name) ?? "");

let reload: (() => void) | null = null;
const reloadListeners = new Set<() => void>();
function subscribeReload(onChange: () => void): () => void {
  reloadListeners.add(onChange);
  return () => reloadListeners.delete(onChange);
}

/** "Shown as on <time>": the time an answer was kept, in the coalition's zone and the page's language. */
function storedAtText(lang: Language, storedAt: string, timeZone: string): string | null {
  const at = Number(storedAt);
  if (!storedAt || !Number.isFinite(at)) return null;
  const time = formatDateTime(new Date(at).toISOString(), lang, timeZone || undefined);
  return translate(lang, "pwa.offlineBanner", { time });
}

function AppStatusBar() {
  const attribute = useHtmlAttribute("lang");
  const lang: Language = isLanguage(attribute) ? attribute : "en";
  const storedAt = useHtmlAttribute("data-stored-at");
  const timeZone = useHtmlAttribute("data-time-zone");
  const onReload = useSyncExternalStore(subscribeReload, () => reload);
  // The bar's strings are in the rest of the catalog, which a first screen has not loaded yet.
  const [, setLoaded] = useState(0);
  const ready = isCatalogLoaded(lang, ["core", "rest"]);
  const shown = Boolean(storedAt) || onReload !== null;
  useEffect(() => {
    if (shown && !ready)
      loadCatalog(lang).then(
        () => setLoaded((n) => n + 1),
        () => undefined,
      );
  }, [shown, ready, lang]);
  if (!shown || !ready) return null;
  const offline = storedAtText(lang, storedAt, timeZone);
  return (
    <div className="app-status">
      {offline ? (
        <p className="app-status-offline" role="status" data-testid="offline-banner">
          {offline}
        </p>
      ) : null}
      {onReload ? (
        <p className="app-status-update" role="status">
          <span>{translate(lang, "pwa.updateReady")}</span>{" "}
          <Button small variant="secondary" onClick={onReload}>
            {translate(lang, "pwa.reload")}
          </Button>
        </p>
      ) : null}
    </div>
  );
}

/** The manifest in the page's language (public/manifest.<lang>.webmanifest): its name is what an installed app shows. */
function followLanguage() {
  const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
  if (!link) return;
  const update = () => {
    const lang = isLanguage(html.lang) ? html.lang : "en";
    const href = `/manifest.${lang}.webmanifest`;
    if (link.getAttribute("href") !== href) link.setAttribute("href", href);
  };
  update();
  subscribeHtml(update);
}

const UPDATE_EVERY_MS = 60 * 60_000;
const UPDATE_AT_MOST_EVERY_MS = 15 * 60_000;

/**
 * Looks for a new release in the background, as the browser does on a page load: a request for
 * sw.js, which the server answers with its ETag (304 when unchanged). `now` skips the rate limit.
 */
function watchForReleases(registration: ServiceWorkerRegistration): void {
  let lastAt = Date.now();
  let checking = false;
  const check = (now = false) => {
    if (checking || !navigator.onLine || (!now && Date.now() - lastAt < UPDATE_AT_MOST_EVERY_MS)) return;
    checking = true;
    lastAt = Date.now();
    registration
      .update()
      .catch(() => undefined)
      .finally(() => {
        checking = false;
      });
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") check();
  });
  setInterval(() => {
    if (document.visibilityState === "visible") check();
  }, UPDATE_EVERY_MS);
  setChangeNotFoundHandler(() => check(true));
}

export function registerApp(): void {
  followLanguage();
  const container = document.createElement("div");
  container.id = "app-status";
  document.body.prepend(container);
  createRoot(container).render(<AppStatusBar />);
  if (!("serviceWorker" in navigator)) return;
  const updateSW = registerSW({
    // After the page's load: register now.
    immediate: true,
    onRegisteredSW(_url, registration) {
      if (registration) watchForReleases(registration);
    },
    onNeedRefresh() {
      reload = () => void updateSW(true);
      for (const listener of reloadListeners) listener();
    },
  });
}
