import { type Kysely, sql } from "kysely";

/**
 * An invitation can carry the invited person's name and language (issue 10, item 13): the email
 * goes out in that language, and the account form opens with both filled in. Null when the inviter
 * did not give them (then the email uses the account's or the inviter's language, as before).
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `ALTER TABLE invitation ADD COLUMN display_name text`,
  `ALTER TABLE invitation ADD COLUMN language text CONSTRAINT invitation_language_check CHECK (language IN ('en', 'km'))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
