import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/** The hash every chain starts from. */
export const GENESIS_HASH = "0".repeat(64);

/** SQL for SHA-256(prev ‖ "\n" ‖ canonical content) as lowercase hex: the same bytes chainHash hashes in JavaScript. */
const chained = (prev: ReturnType<typeof sql>, canonical: string) =>
  sql<string>`encode(sha256(convert_to(${prev} || E'\\n' || ${canonical}::text, 'UTF8')), 'hex')`;

export interface AppendRow {
  chainKey: string;
  coalitionId: string | null;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** JSON text, or null. */
  before: string | null;
  after: string | null;
  createdAt: Date;
  /** canonicalJson of the event's AuditContent. */
  canonical: string;
}

/**
 * Append one event to its chain in ONE statement: the upsert creates the chain's head (first
 * event) or locks and advances it (the row lock is taken here and held to the end of the
 * caller's transaction), computing the new hash from the head's latest committed value; the
 * event is inserted with the head's previous and new hash. Only writers of the same chain wait.
 */
export async function appendEvent(db: Executor, row: AppendRow): Promise<void> {
  await sql`WITH head AS (
      INSERT INTO audit_chain_head AS h (chain_key, previous_hash, last_hash)
      VALUES (${row.chainKey}, ${GENESIS_HASH}, ${chained(sql`${GENESIS_HASH}::text`, row.canonical)})
      ON CONFLICT (chain_key) DO UPDATE
        SET previous_hash = h.last_hash, last_hash = ${chained(sql.ref("h.last_hash"), row.canonical)}
      RETURNING previous_hash, last_hash
    )
    INSERT INTO audit_event (chain_key, coalition_id, actor_id, action, target_type, target_id, before, after, created_at, prev_hash, hash)
    SELECT ${row.chainKey}, ${row.coalitionId}::uuid, ${row.actorId}::uuid, ${row.action}, ${row.targetType}, ${row.targetId},
      ${row.before}::text::jsonb, ${row.after}::text::jsonb, ${row.createdAt.toISOString()}::timestamptz, head.previous_hash, head.last_hash
    FROM head`.execute(db);
}

export interface ChainHead {
  chainKey: string | null;
  lastHash: string;
}

/** Every chain's head: the legacy global chain (chain key NULL) and one per chain key. */
export async function chainHeads(db: Executor): Promise<ChainHead[]> {
  const rows = await db.selectFrom("audit_chain_head").select(["chain_key", "last_hash"]).orderBy("id").execute();
  return rows.map((r) => ({ chainKey: r.chain_key, lastHash: r.last_hash }));
}

/** Chain keys that events carry (to find events whose chain has lost its head row). */
export async function eventChainKeys(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom("audit_event").where("chain_key", "is not", null).select("chain_key").distinct().execute();
  return rows.flatMap((r) => (r.chain_key === null ? [] : [r.chain_key]));
}

/** One batch of a chain's events in order, after the event `after` (id as text, "0" for the start). */
export async function chainEvents(db: Executor, chainKey: string | null, after: string, limit: number) {
  return (
    db
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
      .where((eb) => (chainKey === null ? eb("chain_key", "is", null) : eb("chain_key", "=", chainKey)))
      .where(sql<boolean>`id > ${after}::bigint`)
      // By the bigint column, not the text alias selected above (which would sort 1, 10, 2…).
      .orderBy("audit_event.id")
      .limit(limit)
      .execute()
  );
}
