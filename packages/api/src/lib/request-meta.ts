import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "./context.ts";

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } };

/** The address of the TCP peer (the proxy, when there is one); undefined for in-process requests. */
function socketAddress(c: Context<AppEnv>): string | undefined {
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
}

/**
 * The client's address: the socket's, or, behind a trusted proxy, the last X-Forwarded-For hop —
 * the one that proxy added. Earlier hops are whatever the client chose to send, so trusting the
 * first would let anyone pick a fresh address for each sign-in attempt.
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get("deps").config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  return socketAddress(c) ?? "unknown";
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** A request from this machine (or in-process, as in tests); never decided by headers. */
function isLocalRequest(c: Context<AppEnv>): boolean {
  const address = socketAddress(c);
  return address === undefined || LOOPBACK.test(address);
}

/**
 * Headers a proxy adds (or a client forges to look like one did). Their presence means the
 * request did not come straight from a browser on this machine, whatever the socket says.
 */
const FORWARDING_HEADER =
  /^(forwarded|via|x-forwarded(-[\w-]+)?|x-real-ip|x-client-ip|x-cluster-client-ip|client-ip|cf-connecting-ip|true-client-ip|fastly-client-ip|x-original-forwarded-for|x-original-host|x-host)$/i;

/** localhost, 127.0.0.1 or [::1], with any port. */
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

/**
 * For dev-only routes (docs/security.md §9): a request from this machine (the socket), that
 * went through no proxy (no forwarding header), addressed to a local name (Host, and the URL the
 * server built from it). A foreign Host is how DNS rebinding lets a web page read a local server.
 */
export function isDirectLocalRequest(c: Context<AppEnv>): boolean {
  if (!isLocalRequest(c)) return false;
  for (const name of c.req.raw.headers.keys()) if (FORWARDING_HEADER.test(name)) return false;
  const host = c.req.header("host");
  if (host !== undefined && !LOCAL_HOST.test(host)) return false;
  return LOCAL_HOST.test(new URL(c.req.url).host);
}

export function requestMeta(c: Context<AppEnv>) {
  return { userAgent: c.req.header("user-agent") ?? "", address: clientAddress(c) };
}

/**
 * The pattern of the route that answered (`/api/coalitions/:coalitionId`), never the path: for
 * metrics labels, trace spans and log lines (a route whose path holds a token). A request refused
 * before its route ran (the CSRF check, the body limit, the input guard: request-pipeline.ts) gets
 * the pattern of the route it was for; a path no route has, the pattern that caught it (`/*`).
 */
export function routePattern(c: Context<AppEnv>): string {
  const routes = matchedRoutes(c);
  const last = routes[c.req.routeIndex];
  // "ALL" is a middleware mounted with app.use (the pipeline, tracing); a route has its method.
  if (last && last.method !== "ALL") return last.path;
  return routes.find((route) => route.method !== "ALL")?.path ?? last?.path ?? "";
}
