import type { Generated } from "kysely";

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  short_name: string | null;
  description: Generated<string>;
  website: Generated<string>;
  contact_email: string;
  created_at: Generated<Date>;
}
