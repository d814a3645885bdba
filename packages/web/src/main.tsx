import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { preloadRoute } from "./app/preload.ts";
import { Providers } from "./app/providers.tsx";
import { AppRoutes } from "./app/router.tsx";
import { setRequestLanguage } from "./lib/api-client.ts";
import { loadCatalog, partsFor } from "./lib/catalogs.ts";
import { initialLanguage, type Language } from "./lib/i18n.tsx";
import "./styles.css";

/**
 * A Khmer page's faces, fetched with its catalog, the page waiting for them (3 s at most, then
 * drawn in whatever face there is). Drawn first in a fallback face (empty boxes where the device
 * has no Khmer face), its text changed width when they arrived and moved the tabs and buttons
 * beside it under a finger. Where the device has Noto Sans Khmer (most Android phones), nothing
 * is downloaded and nothing waits; without it, over "Slow 4G" the first paint comes about 0.7 s
 * later, with the text readable (e2e/performance.e2e.test.ts reports it). An English page draws
 * one Khmer word (the language switcher's) and does not wait. A face that fails (offline, not
 * cached) is not waited for.
 */
function khmerFaces(lang: Language): Promise<unknown> {
  const fonts = document.fonts;
  if (lang !== "km" || !fonts?.load) return Promise.resolve();
  const loaded = Promise.all(["400", "700"].map((weight) => fonts.load(`${weight} 1em "Samakki Khmer"`, "ក"))).catch(() => undefined);
  return Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, 3000))]);
}

const root = document.getElementById("root");
if (root) {
  const render = () =>
    createRoot(root).render(
      <StrictMode>
        <Providers>
          <AppRoutes />
        </Providers>
      </StrictMode>,
    );
  // Start in the reader's language: fetch the catalog parts this page needs first (the core of
  // English is built in; signed-in pages need the rest); on failure, English. The page's code and
  // first data start downloading at the same time (app/preload.ts).
  const lang = initialLanguage();
  const path = window.location.pathname;
  setRequestLanguage(lang);
  const catalog = loadCatalog(lang, partsFor(path)).catch(() => undefined);
  Promise.all([catalog, khmerFaces(lang)]).then(render, render);
  // After the catalog's request is out: the first paint needs it before anything else.
  queueMicrotask(() => preloadRoute(path, lang));
  // The service worker, the manifest's language and the offline/update bar (lib/pwa.tsx), once the
  // page has loaded: a chunk of its own, off the first screen's path.
  addEventListener("load", () => void import("./lib/pwa.tsx").then((m) => m.registerApp()));
}
