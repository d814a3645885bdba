import type { Generated } from "kysely";

export interface CoalitionTable {
  id: Generated<string>;
  name: string;
  /** The name in the other language (null with its language, or both set). */
  second_name: string | null;
  second_name_language: "en" | "km" | null;
  slug: string;
  description: Generated<string>;
  time_zone: Generated<string>;
  default_quorum: Generated<string>;
  default_threshold: Generated<"majority" | "two_thirds" | "consensus">;
  created_at: Generated<Date>;
  /** Coordinators and representatives must have two-factor authentication (TOTP or a passkey). */
  require_two_factor: Generated<boolean>;
}
