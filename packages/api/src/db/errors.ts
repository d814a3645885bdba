/** Constraint names the services map to domain errors (see the migrations). */
export const Constraint = {
  personEmail: "person_email_key",
  coalitionSlug: "coalition_slug_key",
  coalitionMember: "coalition_member_pkey",
  membership: "membership_pkey",
  coordinator: "coordinator_pkey",
} as const;

interface PgErrorShape {
  code?: unknown;
  severity?: unknown;
  constraint_name?: unknown;
  constraint?: unknown;
}

/** The name of the unique constraint a database error violated, from postgres.js or PGlite. */
export function uniqueViolation(error: unknown): string | undefined {
  if (error === null || typeof error !== "object") return undefined;
  const e = error as PgErrorShape;
  if (e.code !== "23505") return undefined;
  const name = e.constraint_name ?? e.constraint;
  return typeof name === "string" ? name : undefined;
}

/** True for serialization failures and deadlocks, which a caller may retry. */
export function isRetryableTransactionError(error: unknown): boolean {
  if (error === null || typeof error !== "object") return false;
  const code = (error as PgErrorShape).code;
  return code === "40001" || code === "40P01";
}

/**
 * The database cannot be reached, or has closed the connection: postgres.js's own connection
 * errors (the server gone, a connection terminated, a query with no answer by its timeout), the
 * socket's, and PostgreSQL's connection exceptions (class 08), its shutdowns (57P01 to 57P03) and
 * its "too many connections" (53300). Answered 503 with Retry-After (lib/problem.ts): the request
 * may succeed in a moment, unlike a bug's 500. The socket codes are anyone's: no request path
 * connects anywhere but to the database today; one that did would need its errors told apart.
 */
const UNAVAILABLE_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
  "QUERY_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  // PostgreSQL's connection exceptions, but not 08P01 (protocol violation), which a bug on a
  // working connection raises (a bind with the wrong number of parameters): that is a 500.
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/**
 * Also any error PostgreSQL sends as FATAL: it ends the connection, whatever its code (a database
 * that does not accept connections, 55000; one that is gone, 3D000; a password refused, 28P01).
 * Those came back as 500s while the database was closed to connections.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== "object") return false;
  const { code, severity } = error as PgErrorShape;
  return (typeof code === "string" && UNAVAILABLE_CODES.has(code)) || severity === "FATAL";
}

/**
 * The database stopped a statement for taking too long: the statement timeout (57014) or the lock
 * timeout (55P03, a row another transaction holds). The transaction is rolled back; the request
 * may succeed in a moment (503 `database_busy` with Retry-After, lib/problem.ts).
 */
export function isDatabaseBusy(error: unknown): boolean {
  if (error === null || typeof error !== "object") return false;
  const code = (error as PgErrorShape).code;
  return code === "57014" || code === "55P03";
}
