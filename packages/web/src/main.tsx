import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { preloadRoute } from "./app/preload.ts";
import { Providers } from "./app/providers.tsx";
import { AppRoutes } from "./app/router.tsx";
import { setRequestLanguage } from "./lib/api-client.ts";
import { loadCatalog, partsFor } from "./lib/catalogs.ts";
import { initialLanguage, type Language } from "./lib/i18n.tsx";
import { khmerFaceReady } from "./lib/khmer-face.ts";
import "./styles.css";

/** A Khmer page waits for its face before its first paint (lib/khmer-face.ts). */
const khmerFaces = (lang: Language): Promise<unknown> => (lang === "km" ? khmerFaceReady() : Promise.resolve());

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
