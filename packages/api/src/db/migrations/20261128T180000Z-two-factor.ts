import { type Kysely, sql } from "kysely";

/**
 * Two-factor authentication with TOTP (security.md, "Accounts and sessions"): the person's secret,
 * their single-use recovery codes, and the short-lived challenges between password and code.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  // The TOTP secret, base32. Like any TOTP secret it must be readable to check codes, so whoever
  // can read the database can read it (it is not hashed); it is never sent again after setup.
  // While totp_enabled_at is null it is a pending secret from setup, not yet confirmed.
  `ALTER TABLE person ADD COLUMN totp_key text`,
  `ALTER TABLE person ADD COLUMN totp_enabled_at timestamptz`,
  // The last accepted 30-second counter (Unix time / 30, about 5.9e7 today: an integer lasts
  // until the year 4000), so a code is never accepted twice.
  `ALTER TABLE person ADD COLUMN totp_last_counter integer`,
  `ALTER TABLE person ADD CONSTRAINT person_totp_enabled_check CHECK (totp_enabled_at IS NULL OR totp_key IS NOT NULL)`,

  `CREATE TABLE recovery_code (
    id uuid CONSTRAINT recovery_code_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id uuid NOT NULL CONSTRAINT recovery_code_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  // Codes are looked up by person and hash; the index also serves "the person's codes".
  `CREATE UNIQUE INDEX recovery_code_person_code_hash_key ON recovery_code (person_id, code_hash)`,

  `CREATE TABLE two_factor_challenge (
    id uuid CONSTRAINT two_factor_challenge_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash text NOT NULL CONSTRAINT two_factor_challenge_token_hash_key UNIQUE,
    person_id uuid NOT NULL CONSTRAINT two_factor_challenge_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    user_agent text NOT NULL DEFAULT '',
    attempts integer NOT NULL DEFAULT 0 CONSTRAINT two_factor_challenge_attempts_check CHECK (attempts >= 0),
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX two_factor_challenge_person_idx ON two_factor_challenge (person_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
