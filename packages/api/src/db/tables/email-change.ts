import type { Generated } from "kysely";

/** An applied email change, with the old address's single-use undo link (hash only). */
export interface EmailChangeTable {
  id: Generated<string>;
  person_id: string;
  old_email: string;
  new_email: string;
  undo_token_hash: string;
  undo_expires_at: Date;
  undone_at: Date | null;
  created_at: Generated<Date>;
}
