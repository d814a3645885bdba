import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { seesCoalition } from "../access/access.repository.ts";

/** Every query of in-app notifications (the email digest's are in notifications.email.ts's claim). */

export interface NotificationRow {
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

/** A notification about a coalition is shown only while its reader can still see that coalition. */
const stillVisible = sql<boolean>`(notification.coalition_id IS NULL OR ${seesCoalition(sql.ref("notification.person_id"), sql.ref("notification.coalition_id"))})`;

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
