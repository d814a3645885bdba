import { type Kysely, sql } from "kysely";

/**
 * Joint statements with immutable versions, version comments, votes (one ballot counted per
 * organisation, enforced by a partial unique index), eligibility snapshots and publication.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE TABLE statement (
    id uuid CONSTRAINT statement_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    coalition_id uuid NOT NULL CONSTRAINT statement_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    campaign_id uuid CONSTRAINT statement_campaign_fkey REFERENCES campaign (id) ON DELETE SET NULL,
    title text NOT NULL,
    status text NOT NULL DEFAULT 'draft'
      CONSTRAINT statement_status_check CHECK (status IN ('draft', 'voting', 'adopted', 'rejected', 'no_quorum', 'published', 'withdrawn')),
    created_by uuid CONSTRAINT statement_created_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
    adopted_vote_id uuid,
    published_at timestamptz,
    published_by uuid CONSTRAINT statement_published_by_fkey REFERENCES person (id) ON DELETE SET NULL
  )`,
  // Statement list of a coalition, newest activity first.
  `CREATE INDEX statement_coalition_idx ON statement (coalition_id, updated_at DESC, id DESC)`,
  // The public feed: published statements of a coalition by publication date.
  `CREATE INDEX statement_published_idx ON statement (coalition_id, published_at DESC) WHERE status = 'published'`,

  `CREATE TABLE statement_version (
    id uuid CONSTRAINT statement_version_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    statement_id uuid NOT NULL CONSTRAINT statement_version_statement_fkey REFERENCES statement (id) ON DELETE CASCADE,
    number integer NOT NULL,
    title text NOT NULL,
    body_en text NOT NULL DEFAULT '',
    body_km text NOT NULL DEFAULT '',
    sha256 text NOT NULL,
    author_id uuid CONSTRAINT statement_version_author_fkey REFERENCES person (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT statement_version_number_key UNIQUE (statement_id, number)
  )`,
  // Versions are immutable.
  `CREATE FUNCTION statement_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'statement versions are immutable' USING ERRCODE = 'insufficient_privilege';
  END;
  $$`,
  `CREATE TRIGGER statement_version_no_update BEFORE UPDATE ON statement_version FOR EACH ROW EXECUTE FUNCTION statement_version_immutable()`,

  `CREATE TABLE statement_comment (
    id uuid CONSTRAINT statement_comment_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    version_id uuid NOT NULL CONSTRAINT statement_comment_version_fkey REFERENCES statement_version (id) ON DELETE CASCADE,
    author_id uuid NOT NULL CONSTRAINT statement_comment_author_fkey REFERENCES person (id) ON DELETE CASCADE,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX statement_comment_version_idx ON statement_comment (version_id, created_at)`,

  `CREATE TABLE vote (
    id uuid CONSTRAINT vote_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    statement_id uuid NOT NULL CONSTRAINT vote_statement_fkey REFERENCES statement (id) ON DELETE CASCADE,
    version_id uuid NOT NULL CONSTRAINT vote_version_fkey REFERENCES statement_version (id),
    coalition_id uuid NOT NULL CONSTRAINT vote_coalition_fkey REFERENCES coalition (id) ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'open' CONSTRAINT vote_status_check CHECK (status IN ('open', 'closed', 'cancelled')),
    quorum numeric(4,3) NOT NULL CONSTRAINT vote_quorum_check CHECK (quorum >= 0 AND quorum <= 1),
    threshold text NOT NULL CONSTRAINT vote_threshold_check CHECK (threshold IN ('majority', 'two_thirds', 'consensus')),
    closes_at timestamptz NOT NULL,
    totals_visible boolean NOT NULL DEFAULT false,
    opened_by uuid CONSTRAINT vote_opened_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    opened_at timestamptz NOT NULL DEFAULT now(),
    closed_at timestamptz,
    outcome text CONSTRAINT vote_outcome_check CHECK (outcome IN ('adopted', 'rejected', 'no_quorum')),
    tally jsonb,
    closing_reminder_at timestamptz,
    CONSTRAINT vote_closed_has_outcome_check CHECK ((status = 'closed') = (outcome IS NOT NULL))
  )`,
  // At most one open vote per statement.
  `CREATE UNIQUE INDEX vote_one_open_per_statement_key ON vote (statement_id) WHERE status = 'open'`,
  // The closing job scans open votes by closing time.
  `CREATE INDEX vote_open_closes_idx ON vote (closes_at) WHERE status = 'open'`,
  `CREATE INDEX vote_statement_idx ON vote (statement_id, opened_at DESC)`,

  // Organisations active in the coalition when the vote opened: the only ones that may vote on it.
  `CREATE TABLE vote_eligible (
    vote_id uuid NOT NULL CONSTRAINT vote_eligible_vote_fkey REFERENCES vote (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL CONSTRAINT vote_eligible_organisation_fkey REFERENCES organisation (id) ON DELETE CASCADE,
    CONSTRAINT vote_eligible_pkey PRIMARY KEY (vote_id, organisation_id)
  )`,

  `CREATE TABLE ballot (
    id uuid CONSTRAINT ballot_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    vote_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    choice text NOT NULL CONSTRAINT ballot_choice_check CHECK (choice IN ('endorse', 'object', 'abstain')),
    named boolean NOT NULL DEFAULT true,
    comment text NOT NULL DEFAULT '',
    cast_by uuid CONSTRAINT ballot_cast_by_fkey REFERENCES person (id) ON DELETE SET NULL,
    cast_at timestamptz NOT NULL,
    nonce text NOT NULL,
    receipt text NOT NULL CONSTRAINT ballot_receipt_key UNIQUE,
    superseded_at timestamptz,
    CONSTRAINT ballot_eligible_fkey FOREIGN KEY (vote_id, organisation_id) REFERENCES vote_eligible (vote_id, organisation_id) ON DELETE CASCADE,
    CONSTRAINT ballot_named_only_endorse_check CHECK (choice = 'endorse' OR named = true)
  )`,
  // The rule "exactly one counted ballot per organisation" is this constraint, not a check in code.
  `CREATE UNIQUE INDEX ballot_one_counted_key ON ballot (vote_id, organisation_id) WHERE superseded_at IS NULL`,
  `CREATE INDEX ballot_vote_idx ON ballot (vote_id, organisation_id, cast_at)`,
  // Ballots are never rewritten: only the superseded_at mark may be set, once.
  `CREATE FUNCTION ballot_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'ballots cannot be deleted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.superseded_at IS NOT NULL OR NEW.superseded_at IS NULL
       OR (NEW.id, NEW.vote_id, NEW.organisation_id, NEW.choice, NEW.named, NEW.comment, NEW.cast_at, NEW.nonce, NEW.receipt)
          IS DISTINCT FROM (OLD.id, OLD.vote_id, OLD.organisation_id, OLD.choice, OLD.named, OLD.comment, OLD.cast_at, OLD.nonce, OLD.receipt) THEN
      RAISE EXCEPTION 'ballots are append-only' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END;
  $$`,
  `CREATE TRIGGER ballot_no_rewrite BEFORE UPDATE OR DELETE ON ballot FOR EACH ROW EXECUTE FUNCTION ballot_append_only()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
