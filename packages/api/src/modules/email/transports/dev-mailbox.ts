import type { Executor } from "../../../lib/transaction.ts";
import { deliver, listMessages, messageHtml } from "../dev-mailbox.repository.ts";
import type { EmailTransport, OutgoingEmail } from "../email.types.ts";

/**
 * Development delivery: the email lands in the dev_mailbox table, readable at /dev/mailbox.
 * One row per outbox id, so delivering the same email again (after a crash) changes nothing.
 */
export function devMailboxTransport(db: Executor): EmailTransport {
  return {
    async send(message: OutgoingEmail) {
      await deliver(db, { outboxId: message.id, to: message.to, subject: message.subject, html: message.html, text: message.text });
      return { providerId: null };
    },
  };
}

/** The newest `limit` messages of the development mailbox, to one address (case-insensitive) if given. */
export async function readMailbox(db: Executor, to: string | undefined, limit: number) {
  const rows = await listMessages(db, to, limit);
  return rows.map((r) => ({
    id: r.id,
    outboxId: r.outbox_id,
    to: r.to_address,
    subject: r.subject,
    text: r.text,
    html: r.html,
    createdAt: r.created_at.toISOString(),
  }));
}

/** One message's HTML, or undefined. */
export async function readMessageHtml(db: Executor, id: string) {
  return (await messageHtml(db, id))?.html;
}
