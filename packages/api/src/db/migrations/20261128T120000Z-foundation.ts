import { type Kysely, sql } from "kysely";

/**
 * The foundation: people, sessions, coalitions, organisations, invitations, tokens,
 * rate limits, the email outbox, notifications and the hash-chained audit log.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE TABLE person (
    id uuid CONSTRAINT person_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    display_name text NOT NULL,
    language text NOT NULL DEFAULT 'en' CONSTRAINT person_language_check CHECK (language IN ('en', 'km')),
    password_hash text,
    email_verified_at timestamptz,
    disabled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT person_email_lower_check CHECK (email = lower(email))
  )`,
  `CREATE UNIQUE INDEX person_email_key ON person (email)`,

  `CREATE TABLE session (
    id text CONSTRAINT session_pkey PRIMARY KEY,
    public_id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT session_public_id_key UNIQUE,
    person_id uuid NOT NULL CONSTRAINT session_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL,
    recent_auth_at timestamptz,
    user_agent text NOT NULL DEFAULT ''
  )`,
  // Session lists and "end all sessions" go by person.
  `CREATE INDEX session_person_idx ON session (person_id)`,

  `CREATE TABLE coalition (
    id uuid CONSTRAINT coalition_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    slug text NOT NULL CONSTRAINT coalition_slug_key UNIQUE,
    description text NOT NULL DEFAULT '',
    time_zone text NOT NULL DEFAULT 'Asia/Phnom_Penh',
    default_quorum numeric(4,3) NOT NULL DEFAULT 0.5,
    default_threshold text NOT NULL DEFAULT 'majority'
      CONSTRAINT coalition_default_threshold_check CHECK (default_threshold IN ('majority', 'two_thirds', 'consensus')),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE organisation (
    id uuid CONSTRAINT organisation_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    short_name text,
    description text NOT NULL DEFAULT '',
    website text NOT NULL DEFAULT '',
    contact_email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE coalition_member (
    coalition_id uuid NOT NULL CONSTRAINT coalition_member_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL CONSTRAINT coalition_member_organisation_fkey REFERENCES organisation (id) ON DELETE CASCADE,
    status text NOT NULL CONSTRAINT coalition_member_status_check CHECK (status IN ('invited', 'active', 'observer', 'suspended', 'left')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT coalition_member_pkey PRIMARY KEY (coalition_id, organisation_id)
  )`,
  // "Which coalitions is this organisation in" (every access check walks this way).
  `CREATE INDEX coalition_member_organisation_idx ON coalition_member (organisation_id)`,

  `CREATE TABLE membership (
    organisation_id uuid NOT NULL CONSTRAINT membership_organisation_fkey REFERENCES organisation (id) ON DELETE CASCADE,
    person_id uuid NOT NULL CONSTRAINT membership_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    role text NOT NULL CONSTRAINT membership_role_check CHECK (role IN ('admin', 'member')),
    representative boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT membership_pkey PRIMARY KEY (organisation_id, person_id)
  )`,
  `CREATE INDEX membership_person_idx ON membership (person_id)`,

  `CREATE TABLE coordinator (
    coalition_id uuid NOT NULL CONSTRAINT coordinator_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    person_id uuid NOT NULL CONSTRAINT coordinator_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT coordinator_pkey PRIMARY KEY (coalition_id, person_id)
  )`,
  `CREATE INDEX coordinator_person_idx ON coordinator (person_id)`,

  `CREATE TABLE invitation (
    id uuid CONSTRAINT invitation_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CONSTRAINT invitation_kind_check CHECK (kind IN ('organisation', 'person')),
    token_hash text NOT NULL CONSTRAINT invitation_token_hash_key UNIQUE,
    email text NOT NULL,
    coalition_id uuid CONSTRAINT invitation_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL CONSTRAINT invitation_organisation_fkey REFERENCES organisation (id) ON DELETE CASCADE,
    role text NOT NULL CONSTRAINT invitation_role_check CHECK (role IN ('admin', 'member')),
    invited_by uuid CONSTRAINT invitation_invited_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid CONSTRAINT invitation_accepted_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  // Pending invitations of an organisation or a coalition, newest first.
  `CREATE INDEX invitation_organisation_idx ON invitation (organisation_id, created_at DESC) WHERE accepted_at IS NULL AND revoked_at IS NULL`,
  `CREATE INDEX invitation_coalition_idx ON invitation (coalition_id, created_at DESC) WHERE accepted_at IS NULL AND revoked_at IS NULL`,

  `CREATE TABLE auth_token (
    id uuid CONSTRAINT auth_token_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CONSTRAINT auth_token_kind_check CHECK (kind IN ('password_reset', 'email_verification')),
    token_hash text NOT NULL CONSTRAINT auth_token_token_hash_key UNIQUE,
    person_id uuid NOT NULL CONSTRAINT auth_token_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    email text NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX auth_token_person_idx ON auth_token (person_id, kind)`,

  `CREATE TABLE rate_limit (
    key text CONSTRAINT rate_limit_pkey PRIMARY KEY,
    window_start timestamptz NOT NULL,
    count integer NOT NULL
  )`,

  `CREATE TABLE outbox_email (
    id uuid CONSTRAINT outbox_email_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    to_address text NOT NULL,
    template text NOT NULL,
    language text NOT NULL,
    subject text NOT NULL,
    html text NOT NULL,
    text text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CONSTRAINT outbox_email_status_check CHECK (status IN ('pending', 'sent', 'dead')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    provider_id text,
    coalition_id uuid CONSTRAINT outbox_email_coalition_fkey REFERENCES coalition (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz
  )`,
  // The worker's queue: only rows still to send, by due time.
  `CREATE INDEX outbox_email_due_idx ON outbox_email (next_attempt_at) WHERE status = 'pending'`,

  `CREATE TABLE dev_mailbox (
    id uuid CONSTRAINT dev_mailbox_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    outbox_id uuid NOT NULL CONSTRAINT dev_mailbox_outbox_key UNIQUE,
    to_address text NOT NULL,
    subject text NOT NULL,
    html text NOT NULL,
    text text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX dev_mailbox_created_idx ON dev_mailbox (created_at DESC)`,

  `CREATE TABLE notification (
    id uuid CONSTRAINT notification_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id uuid NOT NULL CONSTRAINT notification_person_fkey REFERENCES person (id) ON DELETE CASCADE,
    coalition_id uuid CONSTRAINT notification_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    kind text NOT NULL,
    message_key text NOT NULL,
    params jsonb NOT NULL DEFAULT '{}',
    link text,
    read_at timestamptz,
    -- Millisecond precision: keyset cursors carry JavaScript (millisecond) timestamps.
    created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
  )`,
  // The list is per person, newest first (keyset on created_at, id); unread count uses the partial index.
  `CREATE INDEX notification_person_idx ON notification (person_id, created_at DESC, id DESC)`,
  `CREATE INDEX notification_unread_idx ON notification (person_id) WHERE read_at IS NULL`,

  `CREATE TABLE audit_event (
    id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT audit_event_pkey PRIMARY KEY,
    coalition_id uuid,
    actor_id uuid,
    action text NOT NULL,
    target_type text NOT NULL,
    target_id text,
    before jsonb,
    after jsonb,
    created_at timestamptz NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL CONSTRAINT audit_event_hash_key UNIQUE
  )`,
  // Coordinators read their coalition's log newest first.
  `CREATE INDEX audit_event_coalition_idx ON audit_event (coalition_id, id DESC)`,
  // One row holding the chain's head: updating it serialises appends, so the chain never forks.
  `CREATE TABLE audit_chain_head (
    id integer CONSTRAINT audit_chain_head_pkey PRIMARY KEY CONSTRAINT audit_chain_head_single CHECK (id = 1),
    last_hash text NOT NULL
  )`,
  `INSERT INTO audit_chain_head (id, last_hash) VALUES (1, '${"0".repeat(64)}')`,
  // Append-only: the application cannot rewrite history. (A superuser can disable the trigger; audit:verify detects that.)
  `CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege';
  END;
  $$`,
  `CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
