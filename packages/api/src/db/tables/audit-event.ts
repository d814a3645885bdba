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
}

export interface AuditChainHeadTable {
  id: number;
  last_hash: string;
}
