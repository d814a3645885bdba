import type { Generated } from "kysely";

export interface CoalitionTable {
  id: Generated<string>;
  name: string;
  slug: string;
  description: Generated<string>;
  time_zone: Generated<string>;
  default_quorum: Generated<string>;
  default_threshold: Generated<"majority" | "two_thirds" | "consensus">;
  created_at: Generated<Date>;
  /** Coordinators and representatives must have two-factor authentication (TOTP or a passkey). */
  require_two_factor: Generated<boolean>;
}
