import * as paths from "@samakki/shared/paths";
import type { Executor } from "../../lib/transaction.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { enqueueEmail } from "../email/outbox.ts";
import * as repo from "./notifications.repository.ts";

const absolute = (publicUrl: string, link: string | null) => `${publicUrl}${link ?? paths.notifications()}`;

/**
 * Email notifications (a background job, safe on several instances). Notifications are written
 * in the transaction of the change that causes them; this job claims those not yet emailed with
 * FOR UPDATE SKIP LOCKED and, in the same transaction, queues the email in the outbox and marks
 * them emailed: each goes out once, in the recipient's language.
 * - "immediate": one email per notification (only recent ones, so switching the preference
 *   on does not send old news);
 * - "daily": one digest a day of everything not yet emailed;
 * - "off": none.
 * Each goes only to a person who can still see its coalition when the job runs: an immediate one
 * they can no longer see is marked done without an email, and a digest leaves such items out
 * (a digest is not even started for them alone).
 */
export async function sendNotificationEmails(
  db: Executor,
  publicUrl: string,
  batch = 100,
): Promise<{ immediate: number; digests: number }> {
  const immediate = await withTransaction(db, async (trx) => {
    const rows = await repo.claimImmediate(trx, batch);
    for (const n of rows) {
      if (!n.visible) continue;
      await enqueueEmail(trx, {
        to: n.email,
        language: n.language,
        coalitionId: n.coalition_id,
        message: { template: "notification", data: { messageKey: n.message_key, params: n.params, url: absolute(publicUrl, n.link) } },
      });
    }
    return rows.length;
  });

  const digests = await withTransaction(db, async (trx) => {
    const people = await repo.claimDigestRecipients(trx);
    for (const person of people) {
      // The ones the person can no longer see are marked done, without going out.
      const items = (await repo.takeDigestItems(trx, person.id)).filter((r) => r.visible);
      if (items.length === 0) continue;
      items.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
      await enqueueEmail(trx, {
        to: person.email,
        language: person.language,
        message: {
          template: "digest",
          data: {
            items: items.map((i) => ({
              messageKey: i.message_key,
              params: i.params,
              url: absolute(publicUrl, i.link),
              createdAt: i.created_at.toISOString(),
            })),
            timeZone: person.time_zone ?? "Asia/Phnom_Penh",
            settingsUrl: `${publicUrl}${paths.account()}`,
          },
        },
      });
    }
    return people.length;
  });
  return { immediate, digests };
}
