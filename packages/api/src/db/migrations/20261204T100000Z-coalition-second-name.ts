import { type Kysely, sql } from "kysely";

/**
 * A coalition's second name, in the other language (as organisations, campaigns and metrics have
 * since 20261203T110000Z-bilingual-names): a reader whose language it is sees it in the app's header,
 * on the dashboard and on the public pages. Both columns are null together or set together.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `ALTER TABLE coalition ADD COLUMN second_name text`,
  `ALTER TABLE coalition ADD COLUMN second_name_language text CONSTRAINT coalition_second_name_language_check CHECK (second_name_language IN ('en', 'km'))`,
  `ALTER TABLE coalition ADD CONSTRAINT coalition_second_name_check CHECK ((second_name IS NULL) = (second_name_language IS NULL))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
