import { type Kysely, sql } from "kysely";

/**
 * Passkeys (WebAuthn) as a second factor, their single-use registration and authentication
 * challenges, and a coalition setting requiring two-factor authentication of its coordinators
 * and representatives (security.md, "Accounts and sessions").
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `ALTER TABLE coalition ADD COLUMN require_two_factor boolean NOT NULL DEFAULT false`,

  `CREATE TABLE passkey (
    id uuid CONSTRAINT passkey_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id uuid NOT NULL CONSTRAINT passkey_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    credential_id text NOT NULL CONSTRAINT passkey_credential_id_key UNIQUE,
    public_key text NOT NULL,
    counter bigint NOT NULL DEFAULT 0 CONSTRAINT passkey_counter_check CHECK (counter >= 0),
    transports text[] NOT NULL DEFAULT '{}',
    device_type text NOT NULL CONSTRAINT passkey_device_type_check CHECK (device_type IN ('singleDevice', 'multiDevice')),
    backed_up boolean NOT NULL DEFAULT false,
    name text NOT NULL CONSTRAINT passkey_name_check CHECK (char_length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz
  )`,
  `CREATE INDEX passkey_person_idx ON passkey (person_id)`,

  // The COSE public key is stored base64url-encoded (text reads the same on both engines).
  // A challenge is handed out for one ceremony and taken (deleted) when the answer arrives.
  // Sign-in challenges (purpose 'sign_in') belong to a two-factor sign-in challenge instead of a session.
  `CREATE TABLE webauthn_challenge (
    id uuid CONSTRAINT webauthn_challenge_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id uuid NOT NULL CONSTRAINT webauthn_challenge_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    challenge text NOT NULL CONSTRAINT webauthn_challenge_challenge_key UNIQUE,
    purpose text NOT NULL CONSTRAINT webauthn_challenge_purpose_check CHECK (purpose IN ('register', 'authenticate', 'sign_in')),
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX webauthn_challenge_person_idx ON webauthn_challenge (person_id)`,
  `CREATE INDEX webauthn_challenge_expires_at_idx ON webauthn_challenge (expires_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
