import type { Language } from "@samakki/shared/i18n/index";
import type { Executor } from "../../lib/transaction.ts";
import type { EmailMessage } from "./email.types.ts";
import { deadEmails, insertEmail } from "./outbox.repository.ts";
import { renderEmail } from "./templates/render.tsx";

/**
 * Queue an email in the caller's transaction (the transactional outbox): it exists if and
 * only if the change that caused it commits, and the worker delivers it later.
 */
export async function enqueueEmail(
  db: Executor,
  input: { to: string; language: Language; message: EmailMessage; coalitionId?: string | null },
): Promise<string> {
  const rendered = await renderEmail(input.message, input.language);
  return insertEmail(db, {
    to: input.to,
    template: input.message.template,
    language: input.language,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    coalitionId: input.coalitionId ?? null,
  });
}

/** The coalition's undeliverable emails for its coordinators: how many, and the newest `limit`. */
export async function listDeadEmails(db: Executor, coalitionId: string, limit: number) {
  const { count, rows } = await deadEmails(db, coalitionId, limit);
  return {
    count,
    items: rows.map((r) => ({
      id: r.id,
      to: r.to_address,
      template: r.template,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
    })),
  };
}
