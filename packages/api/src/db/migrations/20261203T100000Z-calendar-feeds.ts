import { type Kysely, sql } from "kysely";

/**
 * A secret, revocable calendar feed per person (issue 10, item 13): calendar apps fetch
 * /api/calendar/<token>.ics without a session. Only the token's SHA-256 is kept (hex, like
 * sessions'); one feed per person, so rotating replaces the hash and revoking deletes the row.
 * Deleting the person deletes their feed.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE TABLE calendar_feed (
    person_id uuid CONSTRAINT calendar_feed_pkey PRIMARY KEY CONSTRAINT calendar_feed_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    token_hash text NOT NULL CONSTRAINT calendar_feed_token_hash_key UNIQUE CONSTRAINT calendar_feed_token_hash_check CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_fetched_at timestamptz
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
