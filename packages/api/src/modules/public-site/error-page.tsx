/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../lib/context.ts";
import type { AppError } from "../../lib/errors.ts";
import { PUBLIC_PAGE_CSP } from "../../lib/security.ts";
import { publicLanguage, publicT, renderPageNow } from "./layout.tsx";
import { ErrorPage, NotFoundPage } from "./pages.tsx";

/** Paths that answer machines, never a person's browser: their errors stay problem+json. */
const MACHINE_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/** Errors of the address or the request itself: to a person, the address leads to no page. */
const NOT_A_PAGE = new Set([400, 404, 405, 415]);

/**
 * The answer to a browser for an error outside the API (problem.ts asks here first, through
 * AppDeps.errorPage): a page of the public site in the reader's language, with the error's
 * status, instead of problem+json a person cannot read. A malformed escape or a NUL in a public
 * page's address, or the database out of reach while someone opens a petition on a phone, used to
 * show them raw JSON. Undefined, and so problem+json, under /api, on the probes and /metrics, and
 * for a client that does not ask for HTML (`Accept` without text/html).
 */
export function errorPage(c: Context<AppEnv>, error: AppError): Response | undefined {
  const path = c.req.path;
  if (path === "/api" || path.startsWith("/api/") || MACHINE_PATHS.has(path)) return undefined;
  if (!c.req.header("accept")?.includes("text/html")) return undefined;
  const lang = publicLanguage(c);
  const t = publicT(lang);
  const html = renderPageNow(
    c,
    NOT_A_PAGE.has(error.status) ? (
      <NotFoundPage lang={lang} path={path} />
    ) : (
      <ErrorPage lang={lang} path={path} title={t(`errors.${error.code}.title`)} message={t(`errors.${error.code}.detail`)} />
    ),
  );
  if (html === undefined) return undefined;
  // Through the context, as problem+json is: headers set before the error are kept.
  return c.newResponse(html, error.status as ContentfulStatusCode, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": PUBLIC_PAGE_CSP,
    ...error.headers,
  });
}
