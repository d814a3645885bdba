import type { Generated } from "kysely";

/** A coalition's scheduled deletion, carried out by the deletion job once `due_at` has passed; cancelled by deleting the row. */
export interface CoalitionDeletionTable {
  coalition_id: string;
  scheduled_by: string | null;
  scheduled_at: Generated<Date>;
  due_at: Date;
}
