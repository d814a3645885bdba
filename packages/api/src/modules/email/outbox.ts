import type { Language } from "@samakki/shared/i18n/index";
import type { Executor } from "../../lib/transaction.ts";
import type { EmailMessage } from "./email.types.ts";
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
  const row = await db
    .insertInto("outbox_email")
    .values({
      to_address: input.to,
      template: input.message.template,
      language: input.language,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      coalition_id: input.coalitionId ?? null,
      last_error: null,
      provider_id: null,
      sent_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
