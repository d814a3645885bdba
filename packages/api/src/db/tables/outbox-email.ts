import type { Generated } from "kysely";

export interface OutboxEmailTable {
  /** Also the Idempotency-Key sent to the provider: a retry can never deliver twice. */
  id: Generated<string>;
  to_address: string;
  template: string;
  language: string;
  subject: string;
  html: string;
  text: string;
  status: Generated<"pending" | "sent" | "dead">;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  provider_id: string | null;
  coalition_id: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
}
