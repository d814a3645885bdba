import { type Kysely, sql } from "kysely";

/**
 * A metric's unit in the language of its second name ("ribbons" / "ខ្សែបូ"): a reader who sees the
 * second name sees this unit with it. Only with a second name: removing the second name removes it.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `ALTER TABLE metric ADD COLUMN second_unit text`,
  `ALTER TABLE metric ADD CONSTRAINT metric_second_unit_check CHECK (second_unit IS NULL OR second_name IS NOT NULL)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
