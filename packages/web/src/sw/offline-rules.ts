/**
 * What the service worker keeps for reading offline, as plain functions (unit-tested in
 * offline-rules.test.ts). Only read-only answers the offline pages need: the person and their
 * coalitions (/api/me), the dashboard, tasks, campaigns and statements with the names they show.
 * Never anything under /api/auth/ (sessions, challenges), the account's secrets (/api/me/…: sessions,
 * passkeys, recovery codes), ballot receipts and verification (/vote/), audit logs, or exports (.csv).
 */
export const API_CACHE = "samakki-api";
export const STORED_AT_HEADER = "x-samakki-stored-at";

const COALITION_READS = /^\/api\/coalitions\/[^/]+\/(?:dashboard|members|directory|(?:tasks|campaigns|statements)(?:\/[^.]*)?)$/;
const EXACT = new Set(["/api/me", "/api/setup", "/api/notifications"]);

/**
 * Whether a kept answer carries the time it was kept, which the offline bar shows ("shown as on
 * <time>"). Not the first setup's status: the same for everyone and kept after sign-out, its time
 * would tell whoever picks up the phone when the app was last used.
 */
export function isStampedWhenKept(pathname: string): boolean {
  return pathname !== "/api/setup";
}

export function isReadableOffline(pathname: string): boolean {
  if (EXACT.has(pathname)) return true;
  return COALITION_READS.test(pathname) && !/\/vote(?:\/|$)/.test(pathname);
}

/** Where a request can start or end a session: sign-in and sign-out, accepting an invitation, the first setup. */
const SESSION_PATHS = /^\/api\/(?:auth|invitations|setup)(?:\/|$)/;

/** A request that can start or end a session: the kept answers go before it is sent. */
export function isAuthMutation(method: string, pathname: string): boolean {
  return method !== "GET" && method !== "HEAD" && SESSION_PATHS.test(pathname);
}
