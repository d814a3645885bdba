import { type Kysely, sql } from "kysely";

/**
 * How each person wants notifications by email: at once, in a daily digest, or not at all.
 * Frozen in time: never edit once landed; add a new migration instead.
 */
const statements = [
  `ALTER TABLE person ADD COLUMN notify_email text NOT NULL DEFAULT 'immediate'
     CONSTRAINT person_notify_email_check CHECK (notify_email IN ('immediate', 'daily', 'off'))`,
  `ALTER TABLE person ADD COLUMN digest_sent_at timestamptz`,
  // Set when a notification went out by email (at once or in a digest).
  `ALTER TABLE notification ADD COLUMN emailed_at timestamptz`,
  // The digest job looks for notifications of daily-digest people not emailed yet.
  `CREATE INDEX notification_unemailed_idx ON notification (person_id, created_at) WHERE emailed_at IS NULL`,
  // The dead-email list for coordinators (suggested with the outbox worker).
  `CREATE INDEX outbox_email_dead_idx ON outbox_email (coalition_id, created_at DESC) WHERE status = 'dead'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
