import type { Generated } from "kysely";

/** The stub an erased audit event leaves in a chain that stays: its place and hashes, no content. */
export interface AuditErasureTable {
  event_id: string;
  chain_key: string | null;
  prev_hash: string;
  hash: string;
  erased_at: Generated<Date>;
}
