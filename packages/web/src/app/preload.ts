import { parse } from "regexparam";
import { fetchEarly, withQuery } from "../lib/api-client.ts";
import { preloadCatalogAreas } from "../lib/catalog-areas.ts";
import type { Language } from "../lib/i18n.tsx";
import { maybeSignedIn } from "../lib/signed-in-hint.ts";
import { LazyShell } from "./pages.ts";
import { ROUTES } from "./router.tsx";

/**
 * What a page needs before it can show anything: its code, its catalog areas and its first API
 * reads (the route table's `page`, `areas` and `reads`, router.tsx). Left to render, each part is
 * asked for only once the part before it has arrived (the entry, then the shell, then the session,
 * then the page, then its data): on a slow mobile network that is a round trip of half a second
 * each. Started here together, they take one. The API names some of them in index.html already
 * (packages/api/src/modules/web/page-hints.ts); those requests are not made twice.
 */
const patterns = ROUTES.map((route) => ({ route, ...parse(route.path) }));

/** The route the router draws at `path` (the first that matches, as <Switch> picks), with its parameters. */
function match(path: string) {
  for (const { route, pattern, keys } of patterns) {
    const found = pattern.exec(path);
    if (found) return { route, params: Object.fromEntries(keys.map((key, i) => [key, found[i + 1]])) };
  }
  return undefined;
}

/** Start everything the page at `path` needs (called once, before the first render). */
export function preloadRoute(path: string, lang: Language): void {
  // Every page asks who is signed in, the sign-in page too (it sends a signed-in person on), when
  // someone may be (lib/signed-in-hint.ts).
  if (maybeSignedIn()) fetchEarly("/api/me");
  // `/` sends to setup, sign-in or the dashboard, once it knows whether setup is done.
  if (path === "/") {
    fetchEarly("/api/setup");
    return;
  }
  const found = match(path);
  if (!found) return;
  const { route, params } = found;
  // In the order the page needs them: a browser opens only a few connections at a time.
  // The two-factor gate reads /api/me's `twoFactorRequirement`: no request of its own.
  if (!route.public) LazyShell.preload().catch(() => undefined);
  route.page?.preload().catch(() => undefined);
  if (route.areas) preloadCatalogAreas(route.areas, lang);
  for (const read of route.reads?.(params) ?? []) fetchEarly(read);
  if (!route.public) fetchEarly(withQuery("/api/notifications", { limit: 1, unread: "true" }));
}
