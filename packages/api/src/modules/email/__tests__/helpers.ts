import { sql } from "kysely";
import type { Database } from "../../../db/client.ts";
import { createLogger } from "../../../lib/logger.ts";
import type { EmailTransport } from "../email.types.ts";
import { enqueueEmail } from "../outbox.ts";
import { createOutboxWorker, type OutboxWorkerOptions } from "../outbox.worker.ts";

export const silent = createLogger("silent");

export function worker(db: Database, transport: EmailTransport, options: Partial<OutboxWorkerOptions> = {}) {
  return createOutboxWorker({ db, transport, logger: silent, pollIntervalMs: 20, ...options });
}

/** Queue a password reset email, committed. */
export async function enqueueReset(db: Database, to: string, coalitionId: string | null = null) {
  return db.transaction().execute((trx) =>
    enqueueEmail(trx, {
      to,
      language: "en",
      message: { template: "password_reset", data: { url: `https://samakki.example/reset?token=${to}` } },
      coalitionId,
    }),
  );
}

export async function outboxRow(db: Database, id: string) {
  return db
    .selectFrom("outbox_email")
    .where("id", "=", id)
    .select([
      "status",
      "attempts",
      "last_error",
      "provider_id",
      "sent_at",
      sql<number>`extract(epoch from next_attempt_at - now())::float8`.as("due_in"),
    ])
    .executeTakeFirstOrThrow();
}

/** The lease or backoff has run out (instead of sleeping). */
export async function makeDue(db: Database, id: string) {
  await db.updateTable("outbox_email").set({ next_attempt_at: sql<Date>`now() - interval '1 second'` }).where("id", "=", id).execute();
}
