import type { Executor } from "../../../lib/transaction.ts";
import { deliver } from "../dev-mailbox.repository.ts";
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
