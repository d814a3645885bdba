import type { Generated } from "kysely";

/** A password-reset request as typed; resolved (send or drop) by a background job. */
export interface PasswordResetRequestTable {
  id: Generated<string>;
  email: string;
  created_at: Generated<Date>;
}
