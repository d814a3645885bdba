import type { MemberStatus } from "@samakki/shared/coalitions";
import type { Generated } from "kysely";

export interface CoalitionMemberTable {
  coalition_id: string;
  organisation_id: string;
  status: MemberStatus;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
