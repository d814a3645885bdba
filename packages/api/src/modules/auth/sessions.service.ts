import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { type Config, publicUrlOf } from "../../config.ts";
import type { AppEnv, CurrentPerson, CurrentSession, PrefetchedAccess } from "../../lib/context.ts";
import { readCookie } from "../../lib/cookies.ts";
import { generateToken, hashToken } from "../../lib/crypto.ts";
import { coalitionOfPath } from "../../lib/params.ts";
import { MINUTE } from "../../lib/time.ts";
import type { Executor } from "../../lib/transaction.ts";
import * as repo from "./sessions.repository.ts";

/**
 * Sessions after Lucia's guide: a 20-byte random token in the cookie, only its SHA-256 in the
 * database, an idle expiry extended while in use, and an absolute lifetime that never moves.
 */

/** `__Host-` (the cookie's prefix) needs Secure, which browsers honour on https and on localhost only. */
function secureCookies(config: Config): boolean {
  const url = publicUrlOf(config);
  return url.protocol === "https:" || url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
}

export async function createSession(db: Executor, config: Config, personId: string, userAgent: string) {
  const token = generateToken(20);
  const now = new Date();
  const absoluteExpiresAt = new Date(now.getTime() + config.session.absoluteMs);
  const expiresAt = new Date(Math.min(now.getTime() + config.session.idleMs, absoluteExpiresAt.getTime()));
  const { public_id } = await repo.insertSession(db, { id: hashToken(token), personId, expiresAt, absoluteExpiresAt, userAgent, now });
  return { token, publicId: public_id, expiresAt, absoluteExpiresAt };
}

type ValidatedSession = { session: CurrentSession; person: CurrentPerson; prefetched: PrefetchedAccess | undefined };

/**
 * Look a token up; expired sessions and those of disabled people are deleted and yield null. Given
 * the coalition of the route asked for, the person's access to it comes with the session, in the
 * same query, for the route's policy (policy.ts) to use instead of asking again.
 */
export async function validateSessionToken(
  db: Executor,
  config: Config,
  token: string,
  coalitionId?: string,
): Promise<ValidatedSession | null> {
  const id = hashToken(token);
  let row: Awaited<ReturnType<typeof repo.findSessionWithPerson>>;
  let prefetched: PrefetchedAccess | undefined;
  if (coalitionId === undefined) row = await repo.findSessionWithPerson(db, id);
  else {
    const found = await repo.findSessionWithAccess(db, id, coalitionId);
    row = found?.row;
    if (found) prefetched = { personId: found.row.person_id, coalitionId, access: found.access };
  }
  if (!row) return null;
  const now = Date.now();
  if (row.disabled_at || now >= row.expires_at.getTime() || now >= row.absolute_expires_at.getTime()) {
    await repo.deleteSession(db, id);
    return null;
  }
  // Extend the idle expiry and the "last used" time at most once a minute, to spare writes.
  if (now - row.last_used_at.getTime() > MINUTE) {
    const expiresAt = new Date(Math.min(now + config.session.idleMs, row.absolute_expires_at.getTime()));
    await repo.touchSession(db, id, new Date(now), expiresAt);
  }
  return {
    session: {
      id,
      publicId: row.public_id,
      personId: row.person_id,
      createdAt: row.created_at,
      recentAuthAt: row.recent_auth_at,
      twoFactor: { required: Boolean(row.two_factor_required), satisfied: Boolean(row.two_factor_satisfied) },
    },
    person: {
      id: row.person_id,
      email: row.email,
      displayName: row.display_name,
      language: row.language,
      emailVerified: row.email_verified_at !== null,
    },
    prefetched,
  };
}

/**
 * The hint cookie: `1`, readable by the web app's scripts, set with the session cookie and cleared
 * with it. It says only that this browser holds a session cookie, which scripts cannot see
 * (HttpOnly): without it the web app knows nobody is signed in and does not ask `/api/me` for a 401
 * that the browser would log as an error on every signed-out page. A session cookie from before the
 * hint gets it with the next page (`ensureSessionHint`). No secret: it never stands for a session.
 */
const HINT = "samakki_signed_in";

/**
 * What the session, hint and device cookies share: `Path=/`, `SameSite=Lax`, and `Secure` with the
 * `__Host-` prefix wherever browsers take them (secureCookies).
 */
function cookieAttributes(config: Config) {
  const secure = secureCookies(config);
  return { path: "/", secure, sameSite: "Lax" as const, ...(secure ? { prefix: "host" as const } : {}) };
}

/** One of these cookies as the browser sends it back: `__Host-` prefixed where Secure (Hono's `prefix: "host"`). */
function readOurCookie(c: Context<AppEnv>, name: string): string | undefined {
  const config = c.get("deps").config;
  return readCookie(c.req.header("cookie"), secureCookies(config) ? `__Host-${name}` : name);
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date) {
  const attributes = cookieAttributes(c.get("deps").config);
  setCookie(c, "samakki_session", token, { ...attributes, httpOnly: true, expires: expiresAt });
  setCookie(c, HINT, "1", { ...attributes, expires: expiresAt });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  const attributes = cookieAttributes(c.get("deps").config);
  deleteCookie(c, "samakki_session", attributes);
  deleteCookie(c, HINT, attributes);
}

/** The page of a browser that holds a session cookie but not the hint (set before there was one): the hint, for this browser session. */
export function ensureSessionHint(c: Context<AppEnv>): void {
  if (readOurCookie(c, HINT)) return;
  setCookie(c, HINT, "1", cookieAttributes(c.get("deps").config));
}

/** Whether the request carries a session cookie at all (not whether it is valid: no database read). */
export function hasSessionCookie(c: Context<AppEnv>): boolean {
  return Boolean(readOurCookie(c, "samakki_session"));
}

/** Reads the session cookie on every API request and sets `person`/`session` (or null); request-pipeline.ts. */
export async function loadSession(c: Context<AppEnv>): Promise<void> {
  c.set("session", null);
  c.set("person", null);
  const { config, db } = c.get("deps");
  const token = readOurCookie(c, "samakki_session");
  if (token && token.length <= 64) {
    const validated = await validateSessionToken(db, config, token, coalitionOfPath(c.req.path));
    if (validated) {
      c.set("session", validated.session);
      c.set("person", validated.person);
      if (validated.prefetched) c.set("prefetchedAccess", validated.prefetched);
    } else {
      clearSessionCookie(c);
    }
  }
}

/** loadSession as a middleware of its own, for an app of a few routes (tests of policies). */
export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  await loadSession(c);
  await next();
});

/** The device cookie (see device.ts): the name a browser sends back, `__Host-` prefixed where Secure. */
export function readDeviceCookie(c: Context<AppEnv>): string | undefined {
  return readOurCookie(c, "samakki_device");
}

export function setDeviceCookie(c: Context<AppEnv>, value: string, maxAgeSeconds: number) {
  setCookie(c, "samakki_device", value, { ...cookieAttributes(c.get("deps").config), httpOnly: true, maxAge: maxAgeSeconds });
}
