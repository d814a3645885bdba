import { type Kysely, sql } from "kysely";

/**
 * Petitions (issue 11 §2): one petition per public campaign, signatures with double opt-in,
 * paper sheets counted by member organisations (with their corrections), the counts by province
 * kept after personal data is deleted, and the proof-of-work challenges already used.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE TABLE petition (
    id uuid CONSTRAINT petition_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id uuid NOT NULL CONSTRAINT petition_campaign_fkey REFERENCES campaign (id) ON DELETE CASCADE,
    title_km text NOT NULL,
    title_en text NOT NULL,
    body_km text NOT NULL DEFAULT '',
    body_en text NOT NULL DEFAULT '',
    target integer NOT NULL CONSTRAINT petition_target_check CHECK (target > 0),
    opens_on date NOT NULL,
    closes_on date NOT NULL,
    status text NOT NULL DEFAULT 'open' CONSTRAINT petition_status_check CHECK (status IN ('open', 'closed')),
    closed_at timestamptz,
    closed_by uuid CONSTRAINT petition_closed_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    delete_after_days integer CONSTRAINT petition_delete_after_days_check CHECK (delete_after_days IS NULL OR delete_after_days >= 0),
    purge_due_at timestamptz,
    purged_at timestamptz,
    created_by uuid CONSTRAINT petition_created_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
    CONSTRAINT petition_campaign_key UNIQUE (campaign_id),
    CONSTRAINT petition_dates_check CHECK (closes_on >= opens_on)
  )`,
  // The purge job's claim: petitions whose personal data is due for deletion.
  `CREATE INDEX petition_purge_due_idx ON petition (purge_due_at) WHERE purge_due_at IS NOT NULL AND purged_at IS NULL`,

  // One row per address per petition (email_key: the trimmed, lower-cased address). A signature
  // counts once it is confirmed; confirming is one conditional UPDATE on the token's hash.
  // Withdrawing deletes the row: nothing of the person is kept.
  `CREATE TABLE petition_signature (
    id uuid CONSTRAINT petition_signature_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    petition_id uuid NOT NULL CONSTRAINT petition_signature_petition_fkey REFERENCES petition (id) ON DELETE CASCADE,
    email_key text NOT NULL,
    email text NOT NULL,
    name text NOT NULL,
    province text NOT NULL,
    comment text NOT NULL DEFAULT '',
    show_name boolean NOT NULL DEFAULT false,
    language text NOT NULL CONSTRAINT petition_signature_language_check CHECK (language IN ('en', 'km')),
    status text NOT NULL DEFAULT 'pending' CONSTRAINT petition_signature_status_check CHECK (status IN ('pending', 'confirmed')),
    confirm_token_hash text,
    confirm_expires_at timestamptz,
    withdraw_token_hash text,
    created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
    confirmed_at timestamptz,
    CONSTRAINT petition_signature_email_key UNIQUE (petition_id, email_key),
    CONSTRAINT petition_signature_confirm_token_key UNIQUE (confirm_token_hash),
    CONSTRAINT petition_signature_withdraw_token_key UNIQUE (withdraw_token_hash)
  )`,
  // Counts by province and status; the owners' list (newest first, keyset on created_at, id).
  `CREATE INDEX petition_signature_count_idx ON petition_signature (petition_id, status, province)`,
  `CREATE INDEX petition_signature_list_idx ON petition_signature (petition_id, created_at DESC, id DESC)`,
  // Recent names shown publicly.
  `CREATE INDEX petition_signature_recent_idx ON petition_signature (petition_id, confirmed_at DESC) WHERE status = 'confirmed' AND show_name`,

  // Confirmed signatures by province, kept when the signers' personal data is deleted.
  `CREATE TABLE petition_province_tally (
    petition_id uuid NOT NULL CONSTRAINT petition_province_tally_petition_fkey REFERENCES petition (id) ON DELETE CASCADE,
    province text NOT NULL,
    count integer NOT NULL CONSTRAINT petition_province_tally_count_check CHECK (count >= 0),
    CONSTRAINT petition_province_tally_pkey PRIMARY KEY (petition_id, province)
  )`,

  // Paper and thumbprint sheets: the current value in the row, every version in the revisions.
  `CREATE TABLE petition_paper_sheet (
    id uuid CONSTRAINT petition_paper_sheet_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    petition_id uuid NOT NULL CONSTRAINT petition_paper_sheet_petition_fkey REFERENCES petition (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL CONSTRAINT petition_paper_sheet_organisation_fkey REFERENCES organisation (id) ON DELETE CASCADE,
    count integer NOT NULL CONSTRAINT petition_paper_sheet_count_check CHECK (count >= 0),
    province text NOT NULL,
    counted_on date NOT NULL,
    note text NOT NULL DEFAULT '',
    revision integer NOT NULL DEFAULT 1,
    created_by uuid CONSTRAINT petition_paper_sheet_created_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
  )`,
  `CREATE INDEX petition_paper_sheet_petition_idx ON petition_paper_sheet (petition_id, counted_on DESC)`,
  `CREATE TABLE petition_paper_sheet_revision (
    sheet_id uuid NOT NULL CONSTRAINT petition_paper_sheet_revision_sheet_fkey REFERENCES petition_paper_sheet (id) ON DELETE CASCADE,
    revision integer NOT NULL,
    count integer NOT NULL,
    province text NOT NULL,
    counted_on date NOT NULL,
    note text NOT NULL,
    changed_by uuid CONSTRAINT petition_paper_sheet_revision_changed_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    changed_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
    CONSTRAINT petition_paper_sheet_revision_pkey PRIMARY KEY (sheet_id, revision)
  )`,

  // Proof-of-work challenges already used (single use), kept until they expire.
  `CREATE TABLE pow_challenge_used (
    challenge text CONSTRAINT pow_challenge_used_pkey PRIMARY KEY,
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX pow_challenge_used_expires_idx ON pow_challenge_used (expires_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
