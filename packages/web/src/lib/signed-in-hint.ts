/**
 * Whether this browser may be signed in: the server sets a readable hint cookie beside the session
 * cookie, which scripts cannot see, and clears it with it (docs/security.md §2). Without it nobody
 * is signed in, and `/api/me` is not asked only to answer 401, which the browser logs as an error.
 */
export function maybeSignedIn(): boolean {
  return typeof document !== "undefined" && /(?:^|;\s*)(?:__Host-)?samakki_signed_in=/.test(document.cookie);
}
