import { type Kysely, sql } from "kysely";

/**
 * Letters to members of parliament and other officials: the coalition's directory of targets,
 * letter actions of campaigns with their targets, letters sent by member organisations, their
 * replies, the anonymous per-day counter of letters started from the public page, and a metric
 * source so "letters delivered" can be derived from the records.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE TABLE letter_target (
    id uuid CONSTRAINT letter_target_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    coalition_id uuid NOT NULL CONSTRAINT letter_target_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    name_km text NOT NULL DEFAULT '',
    name_en text NOT NULL DEFAULT '',
    role text NOT NULL DEFAULT '',
    party text NOT NULL DEFAULT '',
    province text CONSTRAINT letter_target_province_check CHECK (province IS NULL OR province ~ '^KH-([1-9]|1[0-9]|2[0-5])$'),
    constituency text NOT NULL DEFAULT '',
    email text NOT NULL DEFAULT '',
    phone text NOT NULL DEFAULT '',
    fax text NOT NULL DEFAULT '',
    postal_address text NOT NULL DEFAULT '',
    archived_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
    CONSTRAINT letter_target_name_check CHECK (name_km <> '' OR name_en <> '')
  )`,
  // The directory list and the public page: a coalition's targets by province.
  `CREATE INDEX letter_target_coalition_province_idx ON letter_target (coalition_id, province)`,

  `CREATE TABLE letter_action (
    id uuid CONSTRAINT letter_action_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    coalition_id uuid NOT NULL CONSTRAINT letter_action_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    campaign_id uuid NOT NULL CONSTRAINT letter_action_campaign_fkey REFERENCES campaign (id) ON DELETE CASCADE,
    title text NOT NULL,
    subject_km text NOT NULL DEFAULT '',
    subject_en text NOT NULL DEFAULT '',
    body_km text NOT NULL DEFAULT '',
    body_en text NOT NULL DEFAULT '',
    created_by uuid CONSTRAINT letter_action_created_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
    updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
  )`,
  `CREATE INDEX letter_action_campaign_idx ON letter_action (campaign_id, created_at)`,

  `CREATE TABLE letter_action_target (
    action_id uuid NOT NULL CONSTRAINT letter_action_target_action_fkey REFERENCES letter_action (id) ON DELETE CASCADE,
    target_id uuid NOT NULL CONSTRAINT letter_action_target_target_fkey REFERENCES letter_target (id) ON DELETE CASCADE,
    CONSTRAINT letter_action_target_pkey PRIMARY KEY (action_id, target_id)
  )`,
  `CREATE INDEX letter_action_target_target_idx ON letter_action_target (target_id)`,

  `CREATE TABLE letter (
    id uuid CONSTRAINT letter_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    coalition_id uuid NOT NULL CONSTRAINT letter_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    action_id uuid NOT NULL CONSTRAINT letter_action_fkey REFERENCES letter_action (id) ON DELETE CASCADE,
    target_id uuid NOT NULL CONSTRAINT letter_target_fkey REFERENCES letter_target (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL CONSTRAINT letter_organisation_fkey REFERENCES organisation (id) ON DELETE CASCADE,
    sent_on date NOT NULL,
    channel text NOT NULL CONSTRAINT letter_channel_check CHECK (channel IN ('hand', 'post', 'email', 'fax')),
    delivery_confirmed boolean NOT NULL DEFAULT false,
    follow_up_sent_at timestamptz,
    recorded_by uuid CONSTRAINT letter_recorded_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
  )`,
  `CREATE INDEX letter_action_idx ON letter (action_id, target_id)`,
  `CREATE INDEX letter_target_idx ON letter (target_id)`,
  // The follow-up job scans letters not yet followed up, oldest first.
  `CREATE INDEX letter_follow_up_idx ON letter (sent_on) WHERE follow_up_sent_at IS NULL`,

  `CREATE TABLE letter_reply (
    letter_id uuid CONSTRAINT letter_reply_pkey PRIMARY KEY CONSTRAINT letter_reply_letter_fkey REFERENCES letter (id) ON DELETE CASCADE,
    received_on date NOT NULL,
    summary text NOT NULL,
    stance text NOT NULL CONSTRAINT letter_reply_stance_check CHECK (stance IN ('supportive', 'undecided', 'opposed')),
    scan_reference text NOT NULL DEFAULT '',
    recorded_by uuid CONSTRAINT letter_reply_recorded_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
  )`,

  // Letters the public page helped start: a count per action and day, nothing about who.
  `CREATE TABLE letter_start_count (
    action_id uuid NOT NULL CONSTRAINT letter_start_count_action_fkey REFERENCES letter_action (id) ON DELETE CASCADE,
    day date NOT NULL,
    count integer NOT NULL DEFAULT 0 CONSTRAINT letter_start_count_count_check CHECK (count >= 0),
    CONSTRAINT letter_start_count_pkey PRIMARY KEY (action_id, day)
  )`,

  // A metric is typed by hand ('typed') or derived from the delivered letters of its campaign ('letters').
  `ALTER TABLE metric ADD COLUMN source text NOT NULL DEFAULT 'typed' CONSTRAINT metric_source_check CHECK (source IN ('typed', 'letters'))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
