import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { z } from "zod";
import { AppError } from "../../lib/errors.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute } from "../../lib/route.ts";
import { khmerFaceCss, SITE_CSS } from "./site.css.ts";

const require = createRequire(import.meta.url);
/** The Khmer subset of Noto Sans Khmer, served by us (no third-party font host). */
const fontFiles: Record<string, () => Buffer> = {
  "noto-sans-khmer-400.woff2": () =>
    readFileSync(require.resolve("@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-400-normal.woff2")),
  "noto-sans-khmer-700.woff2": () =>
    readFileSync(require.resolve("@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-700-normal.woff2")),
};

/** Built on the first request that wants it. */
let khmerCss: string | undefined;

const tags = ["Public pages"];
const text = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string() } } });
const cssHeaders = { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=86400, stale-while-revalidate=604800" };

/** The public pages' assets: the stylesheet (also under its old name), the Khmer face in a stylesheet and the Khmer font subset. */
export const publicSiteAssetRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/public/site.css",
      tags,
      summary: "The stylesheet of the public pages",
      responses: { 200: text("text/css", "The stylesheet") },
    }),
    (c) => c.body(SITE_CSS, 200, cssHeaders),
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/public/statement.css",
      tags,
      summary: "The stylesheet of the public pages, under the name the statement pages first used",
      responses: { 200: text("text/css", "The stylesheet") },
    }),
    (c) => c.body(SITE_CSS, 200, cssHeaders),
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/public/khmer.css",
      tags,
      summary: "The Khmer face of the public pages, inside a stylesheet (Khmer pages link it)",
      responses: { 200: text("text/css", "The stylesheet") },
    }),
    (c) => {
      khmerCss ??= khmerFaceCss((fontFiles["noto-sans-khmer-400.woff2"] as () => Buffer)());
      return c.body(khmerCss, 200, cssHeaders);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/public/fonts/{file}",
      tags,
      summary: "The Khmer subset of Noto Sans Khmer (woff2), served by us",
      request: { params: z.object({ file: z.string() }) },
      responses: { 200: text("font/woff2", "The font file") },
    }),
    (c) => {
      const file = c.req.valid("param").file;
      // Own keys only: "__proto__" or "constructor" must be a 404, not a call of Object's prototype.
      const load = Object.hasOwn(fontFiles, file) ? fontFiles[file] : undefined;
      if (!load) throw new AppError("not_found", "font");
      return c.body(new Uint8Array(load()), 200, { "content-type": "font/woff2", "cache-control": "public, max-age=31536000, immutable" });
    },
  );
