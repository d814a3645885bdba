import { existsSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { etag } from "hono/etag";
import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { policies } from "../../lib/policy.ts";
import { ensureSessionHint, hasSessionCookie } from "../auth/sessions.service.ts";
import { pageHints, startsInKhmer } from "./page-hints.ts";

function findWebDist(configured: string | undefined): string | undefined {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const candidates = [
    configured,
    join(here, "../../../../web/dist"),
    join(here, "../../web/dist"),
    join(process.cwd(), "packages/web/dist"),
    join(process.cwd(), "../web/dist"),
  ];
  return candidates.find((dir): dir is string => Boolean(dir) && existsSync(join(dir as string, "index.html")));
}

const IMMUTABLE = "public, max-age=31536000, immutable";
/** Files with a fixed name (favicon, manifest): short caching, so a new release shows within minutes. */
const SHORT = "public, max-age=300";
/**
 * Hashed assets for a year; index.html and the service worker (`/sw.js`, packages/web/src/sw/sw.ts)
 * revalidated on every request, so a release is seen at once and the browser's update check always
 * reaches the server (a cached worker would hold the old release); other fixed names for minutes.
 */
function cacheControl(path: string): string {
  if (path.startsWith("/assets/")) return IMMUTABLE;
  return path.endsWith(".html") || path === "/sw.js" ? "no-cache" : SHORT;
}
/** Types the build precompresses (see packages/web/vite.config.ts): their answer depends on Accept-Encoding. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt)$/;

/**
 * Serves the built web app. Files come from `@hono/node-server`'s `serveStatic`, which picks the
 * `.br` or `.gz` twin the build wrote next to each file from Accept-Encoding (`precompressed`), with
 * Content-Length of the bytes sent and `Vary: Accept-Encoding`. Hashed assets (`/assets/`) are
 * cached for a year; every other path without an extension gets index.html with an ETag (304 on a
 * revisit) and `private, no-cache`, so a new release is picked up at once.
 */
export function staticRoutes(deps: AppDeps) {
  const router = new Hono<AppEnv>();
  const dist = findWebDist(deps.config.webDist);
  const indexHtml = dist ? readFileSync(join(dist, "index.html"), "utf8") : undefined;
  const page = dist && indexHtml ? pageHints(dist, indexHtml) : undefined;

  const notApi = createMiddleware<AppEnv>(async (c, next) => {
    // The app's own answer for a path no route takes (app.ts: 404, or 405 where another method has a route).
    if (c.req.path.startsWith("/api/")) return c.notFound();
    // Dot folders of the build (Vite's manifest in .vite/) are for the build, not for browsers.
    if (c.req.path.includes("/.")) throw new AppError("not_found", "asset");
    if (!dist || !indexHtml) return c.text("The web app is not built. Run `pnpm start` (or `pnpm --filter @samakki/web build`).", 503);
    await next();
  });

  const serve = dist
    ? serveStatic<AppEnv>({
        root: dist,
        precompressed: true,
        // Directories (and `/` itself) are the app's routes: index.html below, with its ETag.
        rewriteRequestPath: (path) => (extname(path) ? path : "/.not-a-file"),
      })
    : undefined;

  const files = createMiddleware<AppEnv>(async (c, next) => {
    if (!serve) return next();
    let fellThrough = false;
    const res = await serve(c, async () => {
      fellThrough = true;
      await next();
    });
    if (fellThrough || !res) return res;
    // index.html by its name: revalidated like the app's routes, so a release is seen at once.
    res.headers.set("cache-control", cacheControl(c.req.path));
    // serveStatic says Vary only when it sent a compressed twin; a shared cache must also know
    // that the plain answer is only for clients that asked for no encoding.
    if (COMPRESSIBLE.test(c.req.path)) res.headers.set("vary", "Accept-Encoding");
    return res;
  });

  const app = createMiddleware<AppEnv>(async (c) => {
    if (extname(c.req.path)) throw new AppError("not_found", "asset");
    // The same address gets the hints for its reader's language and session (page-hints.ts).
    const signedIn = hasSessionCookie(c);
    if (signedIn) ensureSessionHint(c);
    const html = page?.({
      path: c.req.path,
      khmer: startsInKhmer(getCookie(c, "samakki-language"), c.req.header("accept-language")),
      signedIn,
    });
    // `private`: the page depends on the cookies, and a shared cache may not honour `Vary: Cookie`.
    return c.html(html ?? "", 200, { "cache-control": "private, no-cache", vary: "Accept-Language, Cookie" });
  });

  // The service worker with an ETag as well: the browser revalidates it on every page load and at
  // each update check (lib/pwa.tsx), and serveStatic answers no conditional request, so without it
  // each check downloaded the whole worker (about 8 KB compressed) to learn that nothing changed.
  const workerTag = etag();
  const revalidatedWorker = createMiddleware<AppEnv>((c, next) => (c.req.path === "/sw.js" ? workerTag(c, next) : next()));

  // Browsers, feed readers and link previews ask for /favicon.ico whatever the page says: the app's icon.
  router.get("/favicon.ico", policies.public(), (c) => c.redirect("/favicon.svg", 301));
  router.get("*", policies.public(), notApi, revalidatedWorker, files, etag(), app);
  return router;
}
