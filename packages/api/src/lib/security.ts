import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { publicUrlOf } from "../config.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";

const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  // The service worker (/sw.js) and the web app manifests (/manifest.<lang>.webmanifest) of the web app.
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
];
const CSP = DIRECTIVES.join("; ");

/**
 * The public, server-rendered pages (public-site/layout.tsx) draw progress bars with a width in a
 * `style` attribute: they may use style attributes. The Khmer face of a page with Khmer on it comes
 * inside a stylesheet of ours, as a `data:` URL (/public/khmer.css), so that the page is drawn in it
 * from its first paint: they may load a font from a data: URL, which reaches no one. Nothing else
 * differs (still no script, no <style> element, nothing from another origin). The page sets this
 * exact value; any other value a handler set is replaced by the strict policy.
 */
export const PUBLIC_PAGE_CSP = [
  ...DIRECTIVES.map((directive) => (directive === "font-src 'self'" ? "font-src 'self' data:" : directive)),
  "style-src-attr 'unsafe-inline'",
].join("; ");

/** The other response headers of docs/security.md §15, built once: every response gets the same list. */
const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["x-content-type-options", "nosniff"],
  ["referrer-policy", "no-referrer"],
  ["cross-origin-opener-policy", "same-origin"],
  ["cross-origin-resource-policy", "same-origin"],
  ["x-frame-options", "DENY"],
  ["permissions-policy", "camera=(), microphone=(), geolocation=()"],
];
const HSTS = "max-age=31536000; includeSubDomains";

/** Whether the answer gets HSTS (PUBLIC_URL is https) and `no-store` (a signed-in person, or the API). */
function policyOf(c: Context<AppEnv>): { hsts: boolean; noStore: boolean } {
  return {
    hsts: c.get("deps").config.publicUrl.startsWith("https://"),
    // Anything answered to a signed-in person, and every API answer, is never cached.
    noStore: Boolean(c.get("person")) || c.req.path.startsWith("/api/"),
  };
}

/**
 * Writes the response headers of docs/security.md §15 on the answer `c.res`. Called once per
 * request by closeRequest (request-log.ts), after the handler, together with the request id:
 * one pass over the answer's headers instead of a middleware of its own.
 */
export function secureResponse(c: Context<AppEnv>, h: Headers = c.res.headers): void {
  h.set("content-security-policy", h.get("content-security-policy") === PUBLIC_PAGE_CSP ? PUBLIC_PAGE_CSP : CSP);
  for (const [name, value] of SECURITY_HEADERS) h.set(name, value);
  const { hsts, noStore } = policyOf(c);
  if (hsts) h.set("strict-transport-security", HSTS);
  if (noStore) h.set("cache-control", "no-store");
}

type HeaderRecord = Readonly<Record<string, string>>;

/** The same headers as secureResponse writes, for an answer that sets none of its own, made once per case. */
const recordOf = (hsts: boolean, noStore: boolean): HeaderRecord =>
  Object.freeze({
    "content-security-policy": CSP,
    ...Object.fromEntries(SECURITY_HEADERS),
    ...(hsts ? { "strict-transport-security": HSTS } : {}),
    ...(noStore ? { "cache-control": "no-store" } : {}),
  });
const RECORDS: readonly [readonly [HeaderRecord, HeaderRecord], readonly [HeaderRecord, HeaderRecord]] = [
  [recordOf(false, false), recordOf(false, true)],
  [recordOf(true, false), recordOf(true, true)],
];

/**
 * secureResponse's headers as a plain record, for an answer whose own headers are only its
 * `content-type` and `vary` (lib/light-response.ts): none of them is one that secureResponse reads
 * or replaces, so adding this record gives the same headers.
 */
export function securityRecord(c: Context<AppEnv>): HeaderRecord {
  const { hsts, noStore } = policyOf(c);
  return RECORDS[hsts ? 1 : 0][noStore ? 1 : 0];
}

/** The same headers as a middleware of its own, for an app without the request pipeline (tests of one router). */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  secureResponse(c);
});

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * CSRF defence for the API (docs/security.md §7; ASVS 3.5.1): a mutation must come from our own origin, the
 * one of PUBLIC_URL (the Origin header, falling back to Sec-Fetch-Site) and, when it carries a body, a JSON
 * content type, which a cross-site form cannot send without a CORS preflight that we never grant (a form
 * always sends a type, so one without a type and without a body is no form; the origin check holds for it).
 */
export function refuseCrossSite(c: Context<AppEnv>): void {
  if (!UNSAFE.has(c.req.method)) return;
  const origin = c.req.header("origin");
  // PUBLIC_URL alone: the request's own URL comes from its Host header, which the sender chooses.
  const allowed = publicUrlOf(c.get("deps").config).origin;
  if (origin ? origin !== allowed : c.req.header("sec-fetch-site") !== "same-origin") {
    throw new AppError("csrf_rejected", `origin ${origin ?? "missing"}`);
  }
  const contentType = c.req.header("content-type");
  // A request with nothing in it (a DELETE, a publish) may say no type: the API document gives it no
  // body, so a client generated from it sends none. Anything that carries a body says it is JSON.
  if (contentType === undefined && !hasBody(c)) return;
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new AppError("unsupported_media_type");
}

/**
 * Whether the request carries a body. Over HTTP/1.1 a body comes with a Content-Length or a
 * Transfer-Encoding (none: no body); a request made in-process (tests) has neither header and says so itself.
 */
function hasBody(c: Context<AppEnv>): boolean {
  if (c.req.header("transfer-encoding") !== undefined) return true;
  const length = c.req.header("content-length");
  if (length !== undefined) return length.trim() !== "0";
  return (c.env as { incoming?: unknown } | undefined)?.incoming === undefined && c.req.raw.body !== null;
}
