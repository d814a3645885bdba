import { type Kysely, sql } from "kysely";

/**
 * Bilingual names (issue 10, item 10): an organisation, a campaign (its title) and a campaign
 * metric may carry a second name in the other language, tagged with that language. The existing
 * name stays the primary one and the fallback: a reader whose language is the second name's sees
 * the second name, everyone else the primary. Both columns are null together or set together.
 *
 * Published signatories keep their snapshot: `vote_signatory` gets the same two columns, and the
 * snapshot trigger copies the second name from now on. Votes closed before this migration keep
 * null (no backfill: a later rename must never reach what was published), and the publication
 * record the fingerprint is taken over (samakki-publication-v1) stays the primary names only.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const pair = (table: string, column: string) => [
  `ALTER TABLE ${table} ADD COLUMN ${column} text`,
  `ALTER TABLE ${table} ADD COLUMN ${column}_language text CONSTRAINT ${table}_${column}_language_check CHECK (${column}_language IN ('en', 'km'))`,
  `ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_check CHECK ((${column} IS NULL) = (${column}_language IS NULL))`,
];

const statements = [
  ...pair("organisation", "second_name"),
  ...pair("campaign", "second_title"),
  ...pair("metric", "second_name"),
  ...pair("vote_signatory", "second_name"),
  // The snapshot at the close, now with the second name as it is at the close.
  `CREATE OR REPLACE FUNCTION vote_signatory_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO vote_signatory (vote_id, organisation_id, name, short_name, second_name, second_name_language)
    SELECT b.vote_id, b.organisation_id, o.name, o.short_name, o.second_name, o.second_name_language
    FROM ballot b JOIN organisation o ON o.id = b.organisation_id
    WHERE b.vote_id = NEW.id AND b.superseded_at IS NULL AND b.choice = 'endorse' AND b.named
    ON CONFLICT ON CONSTRAINT vote_signatory_pkey DO NOTHING;
    RETURN NULL;
  END;
  $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
