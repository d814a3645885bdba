import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Providers } from "./app/providers.tsx";
import { AppRoutes } from "./app/router.tsx";
import { loadCatalog, partsFor } from "./lib/catalogs.ts";
import { initialLanguage } from "./lib/i18n.tsx";
import "./styles.css";

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
  // English is built in; signed-in pages need the rest); on failure, English.
  loadCatalog(initialLanguage(), partsFor(window.location.pathname)).then(render, render);
  // The service worker, the manifest's language and the offline/update bar (lib/pwa.tsx), once the
  // page has loaded: a chunk of its own, off the first screen's path.
  addEventListener("load", () => void import("./lib/pwa.tsx").then((m) => m.registerApp()));
}
