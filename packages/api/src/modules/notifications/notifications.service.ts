import { encodeCursor, type KeysetCursor } from "../../lib/cursor.ts";
import { notFound } from "../../lib/errors.ts";
import { isoOrNull, isoTime } from "../../lib/time.ts";
import type { Executor } from "../../lib/transaction.ts";
import * as repo from "./notifications.repository.ts";

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
  await repo.insertNotifications(
    db,
    visible.map((n) => ({
      personId: n.personId,
      coalitionId: n.coalitionId ?? null,
      kind: n.kind,
      messageKey: n.messageKey,
      params: n.params ?? {},
      link: n.link ?? null,
    })),
  );
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
    for (const id of await repo.peopleWhoSee(db, coalitionId, [...people])) allowed.add(`${coalitionId}|${id}`);
  }
  return inputs.filter((n) => !n.coalitionId || allowed.has(`${n.coalitionId}|${n.personId}`));
}

/**
 * Keyset pagination on (created_at, id); created_at is stored at millisecond precision, as the cursor carries it.
 * Notifications about coalitions the person no longer sees (organisation suspended or gone,
 * removed from it) are left out, as their links would answer 404.
 */
export async function listNotifications(
  db: Executor,
  personId: string,
  opts: { cursor?: KeysetCursor | undefined; limit: number; unreadOnly?: boolean | undefined },
) {
  const rows = await repo.listNotifications(db, personId, {
    after: opts.cursor && { createdAt: opts.cursor.at, id: opts.cursor.id },
    limit: opts.limit,
    unreadOnly: opts.unreadOnly,
  });
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  const unreadCount = await repo.countUnread(db, personId);
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      messageKey: r.message_key,
      params: r.params,
      link: r.link,
      coalitionId: r.coalition_id,
      readAt: isoOrNull(r.read_at),
      createdAt: isoTime(r.created_at),
    })),
    nextCursor: rows.length > opts.limit && last ? encodeCursor(last.created_at, last.id) : null,
    unreadCount,
  };
}

/** Mark one of the person's notifications read (idempotent); another person's, or a missing one, is 404. */
export async function markRead(db: Executor, personId: string, id: string | "all") {
  const changed = await repo.markRead(db, personId, id);
  if (id === "all" || changed > 0) return;
  if (!(await repo.isOwn(db, personId, id))) throw notFound("notification");
}
