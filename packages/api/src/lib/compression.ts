import { compress } from "hono/compress";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context.ts";

/** Below this, compression costs more than it saves (and the answer fits in one packet anyway). */
export const COMPRESS_THRESHOLD = 1024;

/**
 * Answers that carry a credential (2FA secret and recovery codes, passkey challenges, the session
 * list) are never compressed. BREACH needs a secret and attacker-chosen text in the same
 * compressed body, sent many times with the victim's cookie while the attacker watches sizes; our
 * session cookie is SameSite=Lax and mutations need our Origin, so a cross-site page cannot make
 * those requests anyway. Still, these answers are small: leaving them plain costs nothing and
 * removes the question. Everything else (lists, dashboards, public pages) has no secret in it.
 */
const CREDENTIAL_PATHS = /^\/api\/(?:auth|me)(?:\/|$)/;

/** Bodies we build in memory (JSON, problem+json, server-rendered HTML): safe to measure. */
const MEASURABLE = /^(?:application\/(?:[\w.+-]+\+)?json|text\/html)\b/i;

/** What hono/compress looks for in Accept-Encoding before it compresses. */
const ACCEPTS_GZIP = /gzip/i;

const gzip = compress({ encoding: "gzip", threshold: COMPRESS_THRESHOLD });

/**
 * gzip for dynamic answers above 1 KB (hono/compress; Node 20's CompressionStream has no brotli,
 * and the static files are precompressed with brotli at build time instead). Hono's JSON and HTML
 * answers carry no Content-Length, which hono/compress needs to apply its threshold: we set it from
 * the body first. Streams of unknown length (CSV, calendars) are compressed as they go.
 */
export const compression = createMiddleware<AppEnv>(async (c, next) => {
  // Never compressed: a credential. Nothing to buffer for a client that takes no gzip, but a cache
  // must still know that this answer depends on Accept-Encoding (a CDN keeps the public pages).
  if (CREDENTIAL_PATHS.test(c.req.path)) return next();
  if (!ACCEPTS_GZIP.test(c.req.header("accept-encoding") ?? "")) {
    await next();
    if (MEASURABLE.test(c.res.headers.get("content-type") ?? "")) c.res.headers.append("vary", "accept-encoding");
    return;
  }
  return gzip(c, async () => {
    await next();
    const res = c.res;
    if (!res.body || res.headers.has("content-length") || res.headers.has("content-encoding")) return;
    if (!MEASURABLE.test(res.headers.get("content-type") ?? "")) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    headers.set("content-length", String(body.byteLength));
    c.res = undefined;
    c.res = new Response(body, { status: res.status, statusText: res.statusText, headers });
  });
});
