import { type Kysely, sql } from "kysely";

/**
 * Requests sent with an `Idempotency-Key` (modules/idempotency): a phone on a slow network that
 * sends a task, a comment or a letter again because the answer never came back gets the first
 * answer again, and nothing is created twice. A key is a person's own: the row is claimed inside
 * the transaction that makes the change, so it exists exactly when the change does; the answer is
 * kept beside it once sent, for a day (the prune job), and goes with the coalition it was for.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE TABLE idempotent_request (
    person_id uuid NOT NULL CONSTRAINT idempotent_request_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    key text NOT NULL CONSTRAINT idempotent_request_key_check CHECK (length(key) BETWEEN 1 AND 255),
    -- The coalition the request was for: its answer goes with the coalition when that is erased.
    coalition_id uuid CONSTRAINT idempotent_request_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    fingerprint text NOT NULL,
    status integer,
    body text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT idempotent_request_pkey PRIMARY KEY (person_id, key),
    CONSTRAINT idempotent_request_answer_check CHECK ((status IS NULL) = (body IS NULL))
  )`,
  `CREATE INDEX idempotent_request_created_idx ON idempotent_request (created_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
