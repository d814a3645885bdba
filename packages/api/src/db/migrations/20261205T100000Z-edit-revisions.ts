import { type Kysely, sql } from "kysely";

/**
 * A revision number on tasks and campaigns, for optimistic concurrency (lib/if-match.ts): it goes
 * up by one with every edit of what their edit forms change (a task's title, description,
 * priority, due date and labels; a campaign's fields), and a client that sends it back in
 * `If-Match` has its edit refused with 412 when someone else's came first, rather than writing
 * over it. A constant default: PostgreSQL adds the column without rewriting the table.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `ALTER TABLE task ADD COLUMN revision integer NOT NULL DEFAULT 1 CONSTRAINT task_revision_check CHECK (revision > 0)`,
  `ALTER TABLE campaign ADD COLUMN revision integer NOT NULL DEFAULT 1 CONSTRAINT campaign_revision_check CHECK (revision > 0)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
