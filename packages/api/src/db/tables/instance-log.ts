import type { Generated } from "kysely";

/** What operators did on the instance and what the deletion job deleted; outlives the coalitions it names. */
export interface InstanceLogTable {
  id: Generated<string>;
  action: string;
  actor_id: string | null;
  coalition_id: string | null;
  detail: Generated<unknown>;
  created_at: Generated<Date>;
}
