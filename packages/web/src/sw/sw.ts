/// <reference lib="webworker" />
import { clientsClaim, type WorkboxPlugin } from "workbox-core";
import { cleanupOutdatedCaches, createHandlerBoundToURL, type PrecacheEntry, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";
import { API_CACHE, isAuthMutation, isReadableOffline, isStampedWhenKept, STORED_AT_HEADER } from "./offline-rules.ts";

/**
 * The service worker (docs/security/offline.md). It keeps the app itself (every built file: code,
 * catalogs, fonts, icons) so Samakki opens without a network, and the answers of a short list of
 * read-only API calls (dashboard, tasks, campaigns, statements) so the last-seen pages stay
 * readable. It never keeps an answer across two sessions, never keeps sign-in answers, and never
 * queues an action: a POST, PATCH, PUT or DELETE goes to the network or fails, as without it.
 */
declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

const forget = () => caches.delete(API_CACHE);

// A sign-in, sign-out, accepted invitation or first setup starts or ends a session: forget the
// previous person's answers first, even when the request then fails for want of a network.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin === self.location.origin && isAuthMutation(event.request.method, url.pathname)) {
    event.respondWith(forget().then(() => fetch(event.request)));
  }
});

// A new release takes over (the person's "reload", below): the answers an older one kept have the
// shapes of the API that release was built against, which this one may no longer read. A page would
// fail on them offline, so they go; each page is kept again the next time it is seen online.
self.addEventListener("activate", (event) => event.waitUntil(forget()));

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// The first worker serves the page that installed it at once; a later one waits for the prompt.
clientsClaim();

// The app's own pages (not the API, not the server-rendered public pages and feeds) open from the
// kept index.html, online or not; a new release is picked up by the update prompt.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/index.html"), {
    denylist: [/^\/(?:api|statements|coalitions|public|dev|healthz|readyz|calendar)(?:\/|$)/],
  }),
);

/** Reads the person of a kept or fresh `/api/me` answer, or null. */
async function personOf(response: Response | undefined): Promise<string | null> {
  if (!response) return null;
  try {
    const body = (await response.clone().json()) as { person?: { id?: unknown } };
    return typeof body.person?.id === "string" ? body.person.id : null;
  } catch {
    return null;
  }
}

const sessionBound: WorkboxPlugin = {
  // The session ended or was revoked elsewhere: nothing kept may be shown again.
  fetchDidSucceed: async ({ response }) => {
    if (response.status === 401) await forget();
    return response;
  },
  cacheWillUpdate: async ({ request, response }) => {
    if (response.status !== 200 || !response.headers.get("content-type")?.includes("json")) return null;
    // Another person than the one whose answers are kept: start again from nothing.
    if (new URL(request.url).pathname === "/api/me") {
      const cache = await caches.open(API_CACHE);
      const before = await personOf(await cache.match("/api/me", { ignoreVary: true }));
      if (before && before !== (await personOf(response))) await forget();
    }
    // When it was fetched, for the banner "shown as it was on …" (src/lib/pwa.tsx).
    const headers = new Headers(response.headers);
    if (isStampedWhenKept(new URL(request.url).pathname)) headers.set(STORED_AT_HEADER, String(Date.now()));
    return new Response(await response.blob(), { status: 200, statusText: response.statusText, headers });
  },
};

registerRoute(
  ({ url, request, sameOrigin }) => sameOrigin && request.method === "GET" && isReadableOffline(url.pathname),
  new NetworkFirst({
    cacheName: API_CACHE,
    // A weak network: after 5 seconds show the kept answer (the fresh one still replaces it).
    networkTimeoutSeconds: 5,
    matchOptions: { ignoreVary: true },
    plugins: [sessionBound],
  }),
);

// Updates wait for the person's "reload" (registerType "prompt" in vite.config.ts).
self.addEventListener("message", (event) => {
  if ((event.data as { type?: unknown } | null)?.type === "SKIP_WAITING") void self.skipWaiting();
});
