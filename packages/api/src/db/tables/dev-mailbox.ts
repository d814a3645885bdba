import type { Generated } from "kysely";

export interface DevMailboxTable {
  id: Generated<string>;
  outbox_id: string;
  to_address: string;
  subject: string;
  html: string;
  text: string;
  created_at: Generated<Date>;
}
