import type { Generated } from "kysely";

export interface CoordinatorTable {
  coalition_id: string;
  person_id: string;
  created_at: Generated<Date>;
}
