import type { Executor } from "../../lib/transaction.ts";

/** The development mailbox's queries (/dev/mailbox; never in production). */

/** Deliver once per outbox id: delivering the same email again (after a crash) changes nothing. */
export function deliver(db: Executor, message: { outboxId: string; to: string; subject: string; html: string; text: string }) {
  return db
    .insertInto("dev_mailbox")
    .values({ outbox_id: message.outboxId, to_address: message.to, subject: message.subject, html: message.html, text: message.text })
    .onConflict((oc) => oc.column("outbox_id").doNothing())
    .execute();
}

/** The newest `limit` messages, to one address (case-insensitive) if given. */
export function listMessages(db: Executor, to: string | undefined, limit: number) {
  let query = db
    .selectFrom("dev_mailbox")
    .select(["id", "outbox_id", "to_address", "subject", "text", "html", "created_at"])
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit);
  if (to) query = query.where((eb) => eb(eb.fn("lower", ["to_address"]), "=", to.trim().toLowerCase()));
  return query.execute();
}

export function messageHtml(db: Executor, id: string) {
  return db.selectFrom("dev_mailbox").where("id", "=", id).select("html").executeTakeFirst();
}
