import { type Kysely, sql } from "kysely";

/**
 * Published signatories are frozen (issue 7, item 8). When a vote closes with the outcome
 * `adopted`, the database copies the name and short name of every organisation that endorsed it
 * and agreed to be named into `vote_signatory`, in the closing transaction, whatever code path
 * closes the vote. The public page, the text, the feed and the publication record read this copy,
 * never the live organisation row, so a later rename changes nothing that was published.
 * `statement.publication_sha256` is the fingerprint taken at publication over the text and this
 * list (see statement-text.ts, publicationRecord).
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  // No foreign key to organisation: the copy outlives whatever happens to the organisation later.
  `CREATE TABLE vote_signatory (
    vote_id uuid NOT NULL CONSTRAINT vote_signatory_vote_fkey REFERENCES vote (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL,
    name text NOT NULL,
    short_name text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vote_signatory_pkey PRIMARY KEY (vote_id, organisation_id)
  )`,
  `CREATE FUNCTION vote_signatory_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'published signatories are immutable' USING ERRCODE = 'insufficient_privilege';
  END;
  $$`,
  `CREATE TRIGGER vote_signatory_no_update BEFORE UPDATE ON vote_signatory FOR EACH ROW EXECUTE FUNCTION vote_signatory_immutable()`,
  // The snapshot at the close: the counted, named endorsements of the vote, with the names as they are now.
  `CREATE FUNCTION vote_signatory_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO vote_signatory (vote_id, organisation_id, name, short_name)
    SELECT b.vote_id, b.organisation_id, o.name, o.short_name
    FROM ballot b JOIN organisation o ON o.id = b.organisation_id
    WHERE b.vote_id = NEW.id AND b.superseded_at IS NULL AND b.choice = 'endorse' AND b.named
    ON CONFLICT ON CONSTRAINT vote_signatory_pkey DO NOTHING;
    RETURN NULL;
  END;
  $$`,
  `CREATE TRIGGER vote_signatory_at_close AFTER UPDATE ON vote FOR EACH ROW
    WHEN (OLD.status = 'open' AND NEW.status = 'closed' AND NEW.outcome = 'adopted')
    EXECUTE FUNCTION vote_signatory_snapshot()`,
  // Votes adopted before this migration: the names as they are today are the best record left.
  `INSERT INTO vote_signatory (vote_id, organisation_id, name, short_name)
    SELECT b.vote_id, b.organisation_id, o.name, o.short_name
    FROM vote v
    JOIN ballot b ON b.vote_id = v.id
    JOIN organisation o ON o.id = b.organisation_id
    WHERE v.status = 'closed' AND v.outcome = 'adopted' AND b.superseded_at IS NULL AND b.choice = 'endorse' AND b.named`,
  // SHA-256 of the publication record (text and signatories), taken when publishing; null for statements published before.
  `ALTER TABLE statement ADD COLUMN publication_sha256 text`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
