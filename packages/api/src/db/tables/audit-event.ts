import type { Generated } from "kysely";

export interface AuditEventTable {
  id: Generated<string>;
  coalition_id: string | null;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  created_at: Date;
  prev_hash: string;
  hash: string;
  /** The chain: the coalition's id, 'instance' (no coalition), or NULL for the legacy global chain. */
  chain_key: string | null;
}

export interface AuditChainHeadTable {
  id: Generated<number>;
  /** NULL for the legacy global chain (id 1). */
  chain_key: string | null;
  last_hash: string;
  previous_hash: string | null;
}
