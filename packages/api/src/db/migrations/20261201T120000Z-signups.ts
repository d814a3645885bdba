import { type Kysely, sql } from "kysely";

/**
 * Sign-ups of the public for activities and march stages (issue 11 §4).
 * `signup` holds the person's minimal data until the deletion job erases it after the event
 * (name, email, phone, contact key and tokens nulled; unconfirmed sign-ups deleted), keeping
 * only what the counts need. `signup_stage` says which march stages a sign-up is for (none:
 * the whole activity); it refers to a stage by position, without a foreign key, because
 * editing an activity rewrites its stages.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE TABLE signup (
    id uuid CONSTRAINT signup_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    activity_id uuid NOT NULL CONSTRAINT signup_activity_fkey REFERENCES activity (id) ON DELETE CASCADE,
    name text,
    email text,
    phone text,
    contact_key text,
    guests integer NOT NULL DEFAULT 0 CONSTRAINT signup_guests_check CHECK (guests BETWEEN 0 AND 50),
    language text NOT NULL DEFAULT 'km' CONSTRAINT signup_language_check CHECK (language IN ('km', 'en')),
    status text NOT NULL DEFAULT 'pending' CONSTRAINT signup_status_check CHECK (status IN ('pending', 'confirmed')),
    confirmed_via text CONSTRAINT signup_confirmed_via_check CHECK (confirmed_via IN ('email', 'phone')),
    confirmed_by uuid CONSTRAINT signup_confirmed_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    confirmed_at timestamptz,
    confirm_token_hash text,
    confirm_expires_at timestamptz,
    cancel_token_hash text,
    erased_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT signup_contact_check CHECK (erased_at IS NOT NULL OR ((email IS NOT NULL OR phone IS NOT NULL) AND contact_key IS NOT NULL AND name IS NOT NULL)),
    CONSTRAINT signup_confirmed_check CHECK ((status = 'confirmed') = (confirmed_via IS NOT NULL AND confirmed_at IS NOT NULL)),
    CONSTRAINT signup_activity_contact_key UNIQUE (activity_id, contact_key),
    CONSTRAINT signup_confirm_token_hash_key UNIQUE (confirm_token_hash),
    CONSTRAINT signup_cancel_token_hash_key UNIQUE (cancel_token_hash)
  )`,
  `CREATE INDEX signup_activity_id_idx ON signup (activity_id) WHERE erased_at IS NULL`,
  `CREATE TABLE signup_stage (
    signup_id uuid NOT NULL CONSTRAINT signup_stage_signup_fkey REFERENCES signup (id) ON DELETE CASCADE,
    position integer NOT NULL CONSTRAINT signup_stage_position_check CHECK (position >= 1),
    CONSTRAINT signup_stage_pkey PRIMARY KEY (signup_id, position)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
