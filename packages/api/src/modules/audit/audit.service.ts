import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { type AuditContent, chainHash } from "./audit.hash.ts";

export interface AuditInput {
  coalitionId?: string | null;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Append an event to the hash chain, inside the caller's transaction so the event exists
 * exactly when the change does. Locking the single head row serialises appends.
 */
export async function recordAudit(db: Executor, input: AuditInput): Promise<void> {
  await withTransaction(db, async (trx) => {
    const head = await trx.selectFrom("audit_chain_head").where("id", "=", 1).select("last_hash").forUpdate().executeTakeFirstOrThrow();
    // Millisecond precision, so the stored time and the hashed time are the same value.
    const createdAt = new Date();
    const content: AuditContent = {
      coalitionId: input.coalitionId ?? null,
      actorId: input.actorId,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      before: input.before ?? null,
      after: input.after ?? null,
      createdAt: createdAt.toISOString(),
    };
    const hash = chainHash(head.last_hash, content);
    await trx
      .insertInto("audit_event")
      .values({
        coalition_id: content.coalitionId,
        actor_id: content.actorId,
        action: content.action,
        target_type: content.targetType,
        target_id: content.targetId,
        // Sent as text and parsed by the database: postgres.js would JSON-encode a string bound to a
        // jsonb parameter a second time, storing a JSON string instead of the object (and breaking the chain).
        before: content.before === null ? null : sql`${JSON.stringify(content.before)}::text::jsonb`,
        after: content.after === null ? null : sql`${JSON.stringify(content.after)}::text::jsonb`,
        created_at: createdAt,
        prev_hash: head.last_hash,
        hash,
      })
      .execute();
    await trx.updateTable("audit_chain_head").set({ last_hash: hash }).where("id", "=", 1).execute();
  });
}

export type VerifyResult = { ok: true; checked: number } | { ok: false; checked: number; brokenEventId: string; reason: string };

/** Walk the whole chain in order and name the first event whose hash or link does not match. */
export async function verifyAuditChain(db: Executor, batchSize = 1000): Promise<VerifyResult> {
  let prev = "0".repeat(64);
  let checked = 0;
  let after = "0";
  for (;;) {
    const rows = await db
      .selectFrom("audit_event")
      .select([
        sql<string>`id::text`.as("id"),
        "coalition_id",
        "actor_id",
        "action",
        "target_type",
        "target_id",
        "before",
        "after",
        "created_at",
        "prev_hash",
        "hash",
      ])
      .where(sql<boolean>`id > ${after}::bigint`)
      // By the bigint column, not the text alias selected above (which would sort 1, 10, 2…).
      .orderBy("audit_event.id")
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.prev_hash !== prev) return { ok: false, checked, brokenEventId: row.id, reason: "previous hash does not match" };
      const expected = chainHash(prev, {
        coalitionId: row.coalition_id,
        actorId: row.actor_id,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        before: row.before ?? null,
        after: row.after ?? null,
        createdAt: row.created_at.toISOString(),
      });
      if (expected !== row.hash) return { ok: false, checked, brokenEventId: row.id, reason: "content does not match its hash" };
      prev = row.hash;
      checked++;
      after = row.id;
    }
  }
  const head = await db.selectFrom("audit_chain_head").select("last_hash").where("id", "=", 1).executeTakeFirst();
  if (head && head.last_hash !== prev) return { ok: false, checked, brokenEventId: after, reason: "events after this one were removed" };
  return { ok: true, checked };
}
