import type { Generated } from "kysely";

/** Single-use recovery codes for two-factor authentication; only their SHA-256 is stored. */
export interface RecoveryCodeTable {
  id: Generated<string>;
  person_id: string;
  /** SHA-256 of the normalised code (lowercase, no dashes), hex. */
  code_hash: string;
  used_at: Date | null;
  created_at: Generated<Date>;
}
