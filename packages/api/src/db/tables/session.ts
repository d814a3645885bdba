import type { Generated } from "kysely";

export interface SessionTable {
  /** SHA-256 of the token, hex. The token itself is never stored. */
  id: string;
  /** Shown in the session list and used to revoke; reveals nothing about the token. */
  public_id: Generated<string>;
  person_id: string;
  created_at: Generated<Date>;
  last_used_at: Generated<Date>;
  expires_at: Date;
  absolute_expires_at: Date;
  recent_auth_at: Date | null;
  user_agent: Generated<string>;
}
