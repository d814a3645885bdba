import type { Generated } from "kysely";

/** Between a right password and a right second-factor code: short-lived, at most 5 wrong codes. */
export interface TwoFactorChallengeTable {
  id: Generated<string>;
  /** SHA-256 of the challenge token, hex. The token itself is never stored. */
  token_hash: string;
  person_id: string;
  user_agent: Generated<string>;
  attempts: Generated<number>;
  expires_at: Date;
  created_at: Generated<Date>;
}
