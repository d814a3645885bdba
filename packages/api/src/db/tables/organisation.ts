import type { Generated } from "kysely";

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  short_name: string | null;
  /** The optional name in the other language, and its language: both null or both set. */
  second_name: string | null;
  second_name_language: "en" | "km" | null;
  description: Generated<string>;
  website: Generated<string>;
  contact_email: string;
  created_at: Generated<Date>;
}
