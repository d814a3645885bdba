import type { Language } from "@samakki/shared/i18n/index";
import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { seesCoalition } from "../access/access.repository.ts";

/** Every query of in-app notifications (the email digest's are in notifications.email.ts's claim). */

interface NotificationRow {
  personId: string;
  coalitionId: string | null;
  kind: string;
  messageKey: string;
  params: Record<string, string | number>;
  link: string | null;
}

export function insertNotifications(db: Executor, rows: NotificationRow[]) {
  return db
    .insertInto("notification")
    .values(
      rows.map((n) => ({
        person_id: n.personId,
        coalition_id: n.coalitionId,
        kind: n.kind,
        message_key: n.messageKey,
        params: n.params,
        link: n.link,
        read_at: null,
      })),
    )
    .execute();
}

/** Which of these people can see the coalition now. */
export async function peopleWhoSee(db: Executor, coalitionId: string, personIds: string[]) {
  const rows = await db
    .selectFrom("person as p")
    .where("p.id", "in", personIds)
    .where(seesCoalition(sql.ref("p.id"), coalitionId))
    .select("p.id")
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Whether the recipient can still see what the notification is about: access may have ended
 * (organisation suspended or gone, person removed, coordinator replaced) since it was written.
 */
const stillVisibleIn = (table: "n" | "notification") =>
  sql<boolean>`(${sql.ref(`${table}.coalition_id`)} IS NULL OR ${seesCoalition(sql.ref(`${table}.person_id`), sql.ref(`${table}.coalition_id`))})`;

/** A notification about a coalition is shown only while its reader can still see that coalition. */
const stillVisible = stillVisibleIn("notification");

/** A page of the person's visible notifications, newest first, after the keyset cursor (one row more than `limit`). */
export function listNotifications(
  db: Executor,
  personId: string,
  opts: { after?: { createdAt: Date; id: string } | undefined; limit: number; unreadOnly?: boolean | undefined },
) {
  let query = db
    .selectFrom("notification")
    .where("person_id", "=", personId)
    .where(stillVisible)
    .select(["id", "kind", "message_key", "params", "link", "coalition_id", "read_at", "created_at"])
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(opts.limit + 1);
  if (opts.unreadOnly) query = query.where("read_at", "is", null);
  const after = opts.after;
  // A row comparison: an index condition, so a deep page costs what the first does.
  if (after) query = query.where((eb) => eb(eb.refTuple("created_at", "id"), "<", eb.tuple(after.createdAt, after.id)));
  return query.execute();
}

export async function countUnread(db: Executor, personId: string) {
  const row = await db
    .selectFrom("notification")
    .where("person_id", "=", personId)
    .where("read_at", "is", null)
    .where(stillVisible)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Mark one unread notification of the person read, or all of them: how many changed. */
export async function markRead(db: Executor, personId: string, id: string | "all") {
  let query = db.updateTable("notification").set({ read_at: new Date() }).where("person_id", "=", personId).where("read_at", "is", null);
  if (id !== "all") query = query.where("id", "=", id);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

export async function isOwn(db: Executor, personId: string, id: string) {
  return (
    (await db.selectFrom("notification").where("id", "=", id).where("person_id", "=", personId).select("id").executeTakeFirst()) !==
    undefined
  );
}

// The email job (notifications.email.ts) ---------------------------------------------------------

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

/**
 * Claim up to `batch` recent notifications of people who want each by email, and mark them
 * emailed in the same statement (FOR UPDATE SKIP LOCKED: several instances never take one twice).
 */
export async function claimImmediate(db: Executor, batch: number) {
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
                ${stillVisibleIn("notification")} AS visible`.execute(db);
  return rows.rows;
}

/** Claim up to 20 people due a daily digest who have something visible to read, and stamp their digest. */
export async function claimDigestRecipients(db: Executor) {
  const people = await sql<{ id: string; email: string; language: Language; time_zone: string | null }>`
      WITH due AS MATERIALIZED (
        SELECT p.id FROM person p
        WHERE p.notify_email = 'daily' AND p.disabled_at IS NULL
          AND (p.digest_sent_at IS NULL OR p.digest_sent_at <= now() - interval '24 hours')
          AND EXISTS (SELECT 1 FROM notification n WHERE n.person_id = p.id AND n.emailed_at IS NULL AND ${stillVisibleIn("n")})
        LIMIT 20
        FOR UPDATE OF p SKIP LOCKED)
      UPDATE person SET digest_sent_at = now() FROM due WHERE person.id = due.id
      RETURNING person.id, person.email, person.language,
        (SELECT c.time_zone FROM notification n JOIN coalition c ON c.id = n.coalition_id WHERE n.person_id = person.id ORDER BY n.created_at DESC LIMIT 1) AS time_zone`.execute(
    db,
  );
  return people.rows;
}

/** Mark the person's 50 newest unsent notifications emailed: each, with whether they may still see it. */
export function takeDigestItems(db: Executor, personId: string) {
  return db
    .updateTable("notification")
    .set({ emailed_at: new Date() })
    .where("id", "in", (eb) =>
      eb
        .selectFrom("notification")
        .where("person_id", "=", personId)
        .where("emailed_at", "is", null)
        .orderBy("created_at", "desc")
        .limit(50)
        .select("id"),
    )
    .returning(["message_key", "params", "link", "created_at", stillVisibleIn("notification").as("visible")])
    .execute();
}
