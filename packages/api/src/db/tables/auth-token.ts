import type { Generated } from "kysely";

export interface AuthTokenTable {
  id: Generated<string>;
  kind: "password_reset" | "email_verification";
  token_hash: string;
  person_id: string;
  /** The address the token was sent to: for verification, the address being verified. */
  email: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}
