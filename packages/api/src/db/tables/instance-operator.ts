import type { Generated } from "kysely";

/** A person who runs the instance: creates coalitions and schedules their deletion. */
export interface InstanceOperatorTable {
  person_id: string;
  granted_at: Generated<Date>;
  granted_by: string | null;
}
