import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { policies } from "../../lib/policy.ts";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain; charset=utf-8",
};

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

/** Serves the built web app: hashed assets cached for a year, every other path gets index.html. */
export function staticRoutes(deps: AppDeps) {
  const router = new Hono<AppEnv>();
  const dist = findWebDist(deps.config.webDist);
  const indexHtml = dist ? readFileSync(join(dist, "index.html"), "utf8") : undefined;
  router.get("*", policies.public(), async (c) => {
    if (c.req.path.startsWith("/api/")) throw new AppError("not_found", "route");
    if (!dist || !indexHtml) return c.text("The web app is not built. Run `pnpm start` (or `pnpm --filter @samakki/web build`).", 503);
    const path = decodeURIComponent(c.req.path);
    const file = resolve(dist, `.${normalize(path)}`);
    if (file.startsWith(resolve(dist)) && extname(file) && existsSync(file)) {
      const body = await readFile(file);
      const immutable = path.startsWith("/assets/");
      return c.body(body, 200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=300",
      });
    }
    if (extname(path)) throw new AppError("not_found", "asset");
    return c.html(indexHtml, 200, { "cache-control": "no-cache" });
  });
  return router;
}
