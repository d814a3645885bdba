import { type Kysely, sql } from "kysely";

/**
 * Account protection (issue 7, security.md "Accounts and sessions"): a server secret for signed
 * device cookies, a queue of password-reset requests (answered the same way for every address;
 * a job decides), and email changes with their undo link.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  // Secrets the server generates at first use (e.g. the HMAC key of device cookies), shared by
  // every instance. Readable by the application role only, like the rest of the database.
  `CREATE TABLE server_secret (
    name text CONSTRAINT server_secret_pkey PRIMARY KEY,
    secret text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,

  // A password-reset request as typed, before anyone knows whether the address has an account:
  // the request inserts one row whatever the address, and a job resolves it and sends or drops.
  `CREATE TABLE password_reset_request (
    id uuid CONSTRAINT password_reset_request_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX password_reset_request_created_at_idx ON password_reset_request (created_at)`,

  // An applied email change; the old address gets a single-use undo link valid 7 days
  // (only its SHA-256 is stored). A reset to the new address is refused for 24 hours.
  `CREATE TABLE email_change (
    id uuid CONSTRAINT email_change_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id uuid NOT NULL CONSTRAINT email_change_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    old_email text NOT NULL,
    new_email text NOT NULL,
    undo_token_hash text NOT NULL CONSTRAINT email_change_undo_token_hash_key UNIQUE,
    undo_expires_at timestamptz NOT NULL,
    undone_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX email_change_person_idx ON email_change (person_id, created_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
