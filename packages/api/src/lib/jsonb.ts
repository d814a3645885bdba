import { type RawBuilder, sql } from "kysely";

/**
 * A value for a jsonb column that both drivers store the same way: sent as text and parsed by
 * PostgreSQL. (postgres.js would store a JSON string as a JSON *string*, and a JS array as a
 * PostgreSQL array.)
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`${JSON.stringify(value ?? null)}::text::jsonb`;
}
