import { type Kysely, sql } from "kysely";

/**
 * The database clock the vote rules read: `app_now()` is `clock_timestamp()` moved by the offset in
 * `app_clock` (one row, 0 in production). Tests move the offset instead of waiting for time to pass.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE TABLE app_clock (
    singleton boolean CONSTRAINT app_clock_pkey PRIMARY KEY DEFAULT true CONSTRAINT app_clock_singleton_check CHECK (singleton),
    offset_ms bigint NOT NULL DEFAULT 0
  )`,
  `INSERT INTO app_clock (singleton, offset_ms) VALUES (true, 0)`,
  `CREATE FUNCTION app_now() RETURNS timestamptz LANGUAGE sql VOLATILE AS $$
    SELECT clock_timestamp() + coalesce((SELECT offset_ms FROM app_clock WHERE singleton), 0) * interval '1 millisecond'
  $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
