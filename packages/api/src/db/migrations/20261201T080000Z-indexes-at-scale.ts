import { type Kysely, sql } from "kysely";

/**
 * Indexes that hold at 10× the data (issue 12, item 2). Measured with EXPLAIN (ANALYZE, BUFFERS)
 * at 20k, 200k and 2M tasks, custom and generic plans:
 * - The campaign board asks for a campaign's tasks without a status, newest first. The campaign
 *   index has status in the middle, so it cannot give that order and the planner walked the
 *   coalition-wide index discarding other campaigns' rows (seconds for an old campaign at 2M).
 *   `task_campaign_updated_idx` delivers the order, and the keyset cursor (a row comparison) is
 *   an index condition. `task_campaign_idx` stays: a single-status column (the task list's
 *   campaign + status filter) reads exactly its rows, whatever the status mix.
 * - The reminder claims walked every open task with a due date, because "already reminded" was
 *   not in the index: one partial index per claim holds only the open tasks not yet reminded,
 *   and the claims bound due_on so the index scan stops at the window. They replace
 *   `task_open_due_idx`, which nothing else uses.
 * - The immediate notification email claim goes by created_at over the notifications not yet
 *   emailed (those of people who chose "off" stay unemailed forever and piled up in its scan).
 * - The unread-only notification list and the unread count read the person's unread ones, in
 *   page order; the index replaces `notification_unread_idx` (person_id alone).
 * Plain CREATE INDEX: the migrator runs each migration in a transaction, where CONCURRENTLY is
 * refused. Building them on 2M tasks takes seconds, writes to these tables wait meanwhile.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `CREATE INDEX task_campaign_updated_idx ON task (campaign_id, updated_at DESC, id DESC) WHERE campaign_id IS NOT NULL`,
  `CREATE INDEX task_due_soon_unreminded_idx ON task (due_on)
     WHERE due_on IS NOT NULL AND status NOT IN ('done', 'cancelled') AND reminded_due_at IS NULL`,
  `CREATE INDEX task_overdue_unreminded_idx ON task (due_on)
     WHERE due_on IS NOT NULL AND status NOT IN ('done', 'cancelled') AND reminded_overdue_at IS NULL`,
  `DROP INDEX task_open_due_idx`,
  `CREATE INDEX notification_unemailed_created_idx ON notification (created_at) WHERE emailed_at IS NULL`,
  `CREATE INDEX notification_person_unread_idx ON notification (person_id, created_at DESC, id DESC) WHERE read_at IS NULL`,
  `DROP INDEX notification_unread_idx`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
