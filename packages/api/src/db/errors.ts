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
