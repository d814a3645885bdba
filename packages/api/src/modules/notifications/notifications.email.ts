import type { Language } from "@samakki/shared/i18n/index";
import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { seesCoalition } from "../access/access.repository.ts";
import { enqueueEmail } from "../email/outbox.ts";

interface Claimed {
  id: string;
  person_id: string;
  email: string;
  language: Language;
  message_key: string;
  params: Record<string, string | number>;
  link: string | null;
  coalition_id: string | null;
  created_at: Date;
  visible: boolean;
}

const absolute = (publicUrl: string, link: string | null) => `${publicUrl}${link ?? "/notifications"}`;

/**
 * Whether the recipient can still see what the notification is about: access may have ended
 * (organisation suspended or gone, person removed, coordinator replaced) since it was written.
 */
const stillVisible = (table: "n" | "notification") =>
  sql<boolean>`(${sql.ref(`${table}.coalition_id`)} IS NULL OR ${seesCoalition(sql.ref(`${table}.person_id`), sql.ref(`${table}.coalition_id`))})`;

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
    const rows = await sql<Claimed>`
      WITH due AS MATERIALIZED (
        SELECT n.id FROM notification n JOIN person p ON p.id = n.person_id
        WHERE n.emailed_at IS NULL AND p.notify_email = 'immediate' AND p.disabled_at IS NULL
          AND n.created_at > now() - interval '1 day'
        ORDER BY n.created_at LIMIT ${batch}
        FOR UPDATE OF n SKIP LOCKED)
      UPDATE notification SET emailed_at = now() FROM due, person p
      WHERE notification.id = due.id AND p.id = notification.person_id
      RETURNING notification.id, notification.person_id, p.email, p.language, notification.message_key, notification.params,
                notification.link, notification.coalition_id, notification.created_at,
                ${stillVisible("notification")} AS visible`.execute(trx);
    for (const n of rows.rows) {
      if (!n.visible) continue;
      await enqueueEmail(trx, {
        to: n.email,
        language: n.language,
        coalitionId: n.coalition_id,
        message: { template: "notification", data: { messageKey: n.message_key, params: n.params, url: absolute(publicUrl, n.link) } },
      });
    }
    return rows.rows.length;
  });

  const digests = await withTransaction(db, async (trx) => {
    const people = await sql<{ id: string; email: string; language: Language; time_zone: string | null }>`
      WITH due AS MATERIALIZED (
        SELECT p.id FROM person p
        WHERE p.notify_email = 'daily' AND p.disabled_at IS NULL
          AND (p.digest_sent_at IS NULL OR p.digest_sent_at <= now() - interval '24 hours')
          AND EXISTS (SELECT 1 FROM notification n WHERE n.person_id = p.id AND n.emailed_at IS NULL AND ${stillVisible("n")})
        LIMIT 20
        FOR UPDATE OF p SKIP LOCKED)
      UPDATE person SET digest_sent_at = now() FROM due WHERE person.id = due.id
      RETURNING person.id, person.email, person.language,
        (SELECT c.time_zone FROM notification n JOIN coalition c ON c.id = n.coalition_id WHERE n.person_id = person.id ORDER BY n.created_at DESC LIMIT 1) AS time_zone`.execute(
      trx,
    );
    for (const person of people.rows) {
      const items = await trx
        .updateTable("notification")
        .set({ emailed_at: new Date() })
        .where("id", "in", (eb) =>
          eb
            .selectFrom("notification")
            .where("person_id", "=", person.id)
            .where("emailed_at", "is", null)
            .orderBy("created_at", "desc")
            .limit(50)
            .select("id"),
        )
        .returning(["message_key", "params", "link", "created_at", stillVisible("notification").as("visible")])
        .execute()
        // The ones the person can no longer see are marked done, without going out.
        .then((rows) => rows.filter((r) => r.visible));
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
            settingsUrl: `${publicUrl}/account`,
          },
        },
      });
    }
    return people.rows.length;
  });
  return { immediate, digests };
}
