import type { Executor } from "../../lib/transaction.ts";
import { type AuditContent, canonicalJson, chainHash } from "./audit.hash.ts";
import { appendEvent, chainErasures, chainEvents, chainHeads, eventChainKeys, GENESIS_HASH } from "./audit.repository.ts";

interface AuditInput {
  coalitionId?: string | null;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** The chain key of events with no coalition (instance-level: people, organisations, sign-in). */
const INSTANCE_CHAIN = "instance";
/** How verification names the chain of events written before per-coalition chains (chain_key NULL). */
export const LEGACY_CHAIN = "legacy";

/** Each coalition has its own chain; events with no coalition share the instance chain. */
function chainKeyOf(coalitionId: string | null): string {
  return coalitionId ?? INSTANCE_CHAIN;
}

/**
 * Append an event to its coalition's hash chain, inside the caller's transaction so the event
 * exists exactly when the change does. One statement: it locks and advances the chain's head row
 * (held until the caller commits), so appends to one chain are serialised and never fork, while
 * other coalitions' chains are not touched.
 */
export async function recordAudit(db: Executor, input: AuditInput): Promise<void> {
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
  await appendEvent(db, {
    chainKey: chainKeyOf(content.coalitionId),
    coalitionId: content.coalitionId,
    actorId: content.actorId,
    action: content.action,
    targetType: content.targetType,
    targetId: content.targetId,
    // Sent as text and parsed by the database: postgres.js would JSON-encode a string bound to a
    // jsonb parameter a second time, storing a JSON string instead of the object (and breaking the chain).
    before: content.before === null ? null : JSON.stringify(content.before),
    after: content.after === null ? null : JSON.stringify(content.after),
    createdAt,
    // The hash itself is computed by the database from the head it locks: SHA-256(prev ‖ "\n" ‖ this text),
    // the very bytes chainHash() hashes, so verification stays in JavaScript.
    canonical: canonicalJson(content),
  });
}

export interface ChainIdentity {
  /** A coalition's id, "instance" (events with no coalition) or "legacy" (the global chain from before per-coalition chains). */
  chain: string;
  /** The coalition whose chain this is; null for the instance and legacy chains. */
  coalitionId: string | null;
}

export type ChainResult =
  | (ChainIdentity & { ok: true; checked: number })
  | (ChainIdentity & { ok: false; checked: number; brokenEventId: string; reason: string });

type VerifyResult =
  | { ok: true; checked: number; chains: ChainResult[] }
  | (ChainIdentity & {
      ok: false;
      /** Events of the (first) broken chain verified before the break. */
      checked: number;
      brokenEventId: string;
      reason: string;
      /** Every chain's result, the intact ones included. */
      chains: ChainResult[];
    });

function identity(chainKey: string | null): ChainIdentity {
  if (chainKey === null) return { chain: LEGACY_CHAIN, coalitionId: null };
  return { chain: chainKey, coalitionId: chainKey === INSTANCE_CHAIN ? null : chainKey };
}

/** Walk one chain in order and name the first event whose hash, link or chain does not match. */
async function verifyChain(db: Executor, chainKey: string | null, headHash: string | undefined, batchSize: number): Promise<ChainResult> {
  const id = identity(chainKey);
  let prev = GENESIS_HASH;
  let checked = 0;
  let after = "0";
  /** An erased event's stub links the chain through its hashes; its content is gone, so only the link is checked. */
  const passStubs = async (upTo: string | null): Promise<ChainResult | undefined> => {
    for (const stub of await chainErasures(db, chainKey, after, upTo)) {
      if (stub.prev_hash !== prev) return { ...id, ok: false, checked, brokenEventId: stub.id, reason: "previous hash does not match" };
      prev = stub.hash;
      after = stub.id;
    }
    return undefined;
  };
  for (;;) {
    const rows = await chainEvents(db, chainKey, after, batchSize);
    if (rows.length === 0) break;
    for (const row of rows) {
      const stubBroken = await passStubs(row.id);
      if (stubBroken) return stubBroken;
      const broken = (reason: string): ChainResult => ({ ...id, ok: false, checked, brokenEventId: row.id, reason });
      if (row.prev_hash !== prev) return broken("previous hash does not match");
      // The coalition is part of the hashed content, so an event moved into another chain is caught here.
      if (chainKey !== null && chainKeyOf(row.coalition_id) !== chainKey) return broken("event belongs to another chain");
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
      if (expected !== row.hash) return broken("content does not match its hash");
      prev = row.hash;
      checked++;
      after = row.id;
    }
  }
  const tailBroken = await passStubs(null);
  if (tailBroken) return tailBroken;
  if (headHash === undefined) return { ...id, ok: false, checked, brokenEventId: after, reason: "the chain's head is missing" };
  if (headHash !== prev) return { ...id, ok: false, checked, brokenEventId: after, reason: "events after this one were removed" };
  return { ...id, ok: true, checked };
}

/**
 * Verify every chain: the legacy global chain, the instance chain and each coalition's chain
 * (also any chain whose events remain but whose head row is gone). Names the chain, and in it
 * the first event, where one breaks; the other chains are reported on their own.
 */
export async function verifyAuditChain(db: Executor, batchSize = 1000): Promise<VerifyResult> {
  const heads = await chainHeads(db);
  const headOf = new Map(heads.map((h) => [h.chainKey, h.lastHash]));
  const keys: (string | null)[] = heads.map((h) => h.chainKey);
  for (const key of await eventChainKeys(db)) if (!headOf.has(key)) keys.push(key);
  if (!headOf.has(null)) keys.unshift(null);
  const chains: ChainResult[] = [];
  for (const key of keys) chains.push(await verifyChain(db, key, headOf.get(key), batchSize));
  const broken = chains.find((c) => !c.ok);
  if (broken && !broken.ok) return { ...broken, chains };
  return { ok: true, checked: chains.reduce((n, c) => n + c.checked, 0), chains };
}
