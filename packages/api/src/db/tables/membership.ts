import type { Generated } from "kysely";

export interface MembershipTable {
  organisation_id: string;
  person_id: string;
  role: "admin" | "member";
  representative: Generated<boolean>;
  created_at: Generated<Date>;
}
