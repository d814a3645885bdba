import { randomFillSync } from "node:crypto";
import { isLanguage, negotiateLanguage } from "@samakki/shared/i18n/index";
import type { Context } from "hono";
import type { AppDeps, AppEnv } from "./context.ts";
import { lightParts, withHeaders } from "./light-response.ts";
import { type Logger, writeRequestLine } from "./logger.ts";
import { routePattern } from "./request-meta.ts";
import { secureResponse, securityRecord } from "./security.ts";

const REQUEST_ID = /^[\w-]{8,64}$/;

/** Random bytes for request ids, drawn 16 at a time and refilled when used up. */
const idBytes = Buffer.alloc(16 * 256);
let idOffset = idBytes.length;

/**
 * A new request id: 128 random bits as 22 characters of base64url. Random, so that ids tell
 * nobody how many requests the server handles; not randomUUID, which builds its string from 16
 * pieces (0.6 KB allocated per request, against one string here).
 */
export function newRequestId(): string {
  if (idOffset === idBytes.length) {
    randomFillSync(idBytes);
    idOffset = 0;
  }
  idOffset += 16;
  return idBytes.toString("base64url", idOffset - 16, idOffset);
}

/**
 * The logger of this request, carrying its id. Made on demand (an error, a warning): a child
 * logger per request cost more than the rest of a /healthz answer.
 */
export function requestLog(c: Context<AppEnv>): Logger | undefined {
  // Undefined only for an error raised before openRequest ran (a router mounted on its own).
  const logger: Logger | undefined = c.get("deps")?.logger;
  const requestId = c.get("requestId");
  return requestId ? logger?.child({ requestId }) : logger;
}

/**
 * Addresses that carry a single-use token in their path (@samakki/shared/paths: invitation,
 * sign-up and petition links), whatever route answers them: the web app's invitation page is
 * served by the catch-all route, and a link's address with another method or a trailing part
 * by none of the token routes.
 */
const TOKEN_ADDRESSES: readonly (readonly [RegExp, string])[] = [
  [/^(\/api)?\/invitations\/[^/]+/, "$1/invitations/:token"],
  [/^\/(signups\/(?:confirm|cancel)|petitions\/(?:confirm|withdraw))\/[^/]+/, "/$1/:token"],
];

/**
 * A path as it may be logged or traced: for a route whose path holds a single-use token
 * (invitation, confirmation and cancellation links), the route's pattern instead of the token;
 * for any other address of such a link, the address with `:token` in the token's place.
 */
export function loggablePath(c: Context<AppEnv>): string {
  const route = routePattern(c);
  if (/[:{]token\b/i.test(route)) return route;
  const path = c.req.path;
  for (const [address, masked] of TOKEN_ADDRESSES) if (address.test(path)) return path.replace(address, masked);
  return path;
}

/** The request's id (the client's `X-Request-Id` when well formed), its dependencies and its language. */
export function openRequest(c: Context<AppEnv>, deps: AppDeps): void {
  const incoming = c.req.header("x-request-id");
  c.set("deps", deps);
  c.set("requestId", incoming && REQUEST_ID.test(incoming) ? incoming : newRequestId());
  // The web app says which language it shows; otherwise the browser's preference.
  const requested = c.req.header("x-samakki-language");
  c.set("lang", isLanguage(requested) ? requested : negotiateLanguage(c.req.header("accept-language")));
}

/**
 * The answer's security headers (docs/security.md §15) and its request id, written in one pass
 * (security.ts; added to the plain record when the answer still is one, see light-response.ts); then
 * one structured line per request: always for a server error (at error), a slow request (at warn,
 * LOG_SLOW_MS) and a refused one (4xx, at info); for the other requests, at info, a share of them
 * (LOG_SAMPLE_RATE, default all). The line is written by the root logger with the request id in
 * it: no child logger per request. `started` is performance.now() when the request came in.
 */
export function closeRequest(c: Context<AppEnv>, deps: AppDeps, started: number): void {
  const requestId = c.get("requestId");
  const light = lightParts(c.res);
  if (light) light[2] = withHeaders(light[2], securityRecord(c), { "x-request-id": requestId });
  else {
    const headers = c.res.headers;
    secureResponse(c, headers);
    headers.set("x-request-id", requestId);
  }
  const ms = Math.round(performance.now() - started);
  const status = c.res.status;
  const { sampleRate, slowMs } = deps.config.requestLog;
  // Never sampled: server errors, slow requests, refused requests; each at its own level.
  const level = status >= 500 ? "error" : ms >= slowMs ? "warn" : status >= 400 ? "info" : undefined;
  if (level === undefined && !(sampleRate >= 1 || (sampleRate > 0 && Math.random() < sampleRate))) return;
  const lvl = level ?? "info";
  // Read per request (a property read): whoever swaps deps.logger (tests that capture the lines) is heard.
  const logger = deps.logger;
  if (logger.isLevelEnabled(lvl)) writeRequestLine(logger, lvl, { requestId, method: c.req.method, path: loggablePath(c), status, ms });
}
