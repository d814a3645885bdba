import { sql } from "kysely";
import { notFound } from "../../lib/errors.ts";
import type { Executor } from "../../lib/transaction.ts";
import { seesCoalition } from "../access/access.repository.ts";

export interface NotificationInput {
  personId: string;
  coalitionId?: string | null;
  kind: string;
  /** Catalog key rendered in the reader's language when shown. */
  messageKey: string;
  params?: Record<string, string | number>;
  link?: string | null;
}

/**
 * Write in-app notifications in the caller's transaction. A notification about a coalition's item
 * (one with a coalitionId) goes only to people who can see that coalition now: people of suspended
 * or departed organisations, removed people and former coordinators are left out, whoever the
 * caller picked (watchers, representatives...). The email job checks again when it sends.
 */
export async function notify(db: Executor, inputs: NotificationInput[]): Promise<void> {
  const visible = await whoCanSee(db, inputs);
  if (visible.length === 0) return;
  await db
    .insertInto("notification")
    .values(
      visible.map((n) => ({
        person_id: n.personId,
        coalition_id: n.coalitionId ?? null,
        kind: n.kind,
        message_key: n.messageKey,
        params: n.params ?? {},
        link: n.link ?? null,
        read_at: null,
      })),
    )
    .execute();
}

/** The inputs whose recipient can see the coalition they are about (or that are about no coalition). */
async function whoCanSee(db: Executor, inputs: NotificationInput[]): Promise<NotificationInput[]> {
  const byCoalition = new Map<string, Set<string>>();
  for (const n of inputs) {
    if (!n.coalitionId) continue;
    const people = byCoalition.get(n.coalitionId) ?? new Set<string>();
    people.add(n.personId);
    byCoalition.set(n.coalitionId, people);
  }
  if (byCoalition.size === 0) return inputs;
  const allowed = new Set<string>();
  for (const [coalitionId, people] of byCoalition) {
    const rows = await db
      .selectFrom("person as p")
      .where("p.id", "in", [...people])
      .where(seesCoalition(sql.ref("p.id"), coalitionId))
      .select("p.id")
      .execute();
    for (const r of rows) allowed.add(`${coalitionId}|${r.id}`);
  }
  return inputs.filter((n) => !n.coalitionId || allowed.has(`${n.coalitionId}|${n.personId}`));
}

/** A notification about a coalition is shown only while its reader can still see that coalition. */
const stillVisible = sql<boolean>`(notification.coalition_id IS NULL OR ${seesCoalition(sql.ref("notification.person_id"), sql.ref("notification.coalition_id"))})`;

/**
 * Keyset pagination on (created_at, id); created_at is stored at millisecond precision, as the cursor carries it.
 * Notifications about coalitions the person no longer sees (organisation suspended or gone,
 * removed from it) are left out, as their links would answer 404.
 */
export async function listNotifications(
  db: Executor,
  personId: string,
  opts: { cursor?: NotificationCursor | undefined; limit: number; unreadOnly?: boolean | undefined },
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
  const cursor = opts.cursor;
  if (cursor) {
    // A row comparison: an index condition, so a deep page costs what the first does.
    query = query.where((eb) => eb(eb.refTuple("created_at", "id"), "<", eb.tuple(cursor.createdAt, cursor.id)));
  }
  const rows = await query.execute();
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  const unread = await db
    .selectFrom("notification")
    .where("person_id", "=", personId)
    .where("read_at", "is", null)
    .where(stillVisible)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      messageKey: r.message_key,
      params: r.params,
      link: r.link,
      coalitionId: r.coalition_id,
      readAt: r.read_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    })),
    nextCursor: rows.length > opts.limit && last ? encodeCursor(last.created_at, last.id) : null,
    unreadCount: Number(unread.n),
  };
}

/** Mark one of the person's notifications read (idempotent); another person's, or a missing one, is 404. */
export async function markRead(db: Executor, personId: string, id: string | "all") {
  let query = db.updateTable("notification").set({ read_at: new Date() }).where("person_id", "=", personId).where("read_at", "is", null);
  if (id !== "all") query = query.where("id", "=", id);
  const result = await query.executeTakeFirst();
  if (id === "all" || Number(result.numUpdatedRows) > 0) return;
  const own = await db.selectFrom("notification").where("id", "=", id).where("person_id", "=", personId).select("id").executeTakeFirst();
  if (!own) throw notFound("notification");
}

export interface NotificationCursor {
  createdAt: Date;
  id: string;
}

function encodeCursor(createdAt: Date, id: string) {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");
}

/** The cursor of a next page, or undefined when it is not one we issued. */
export function decodeCursor(cursor: string): NotificationCursor | undefined {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || !at || !id) return undefined;
  const createdAt = new Date(at);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at) || Number.isNaN(createdAt.getTime())) return undefined;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return undefined;
  return { createdAt, id };
}
