import type { Generated } from "kysely";

export interface InvitationTable {
  id: Generated<string>;
  /** `organisation`: a coordinator invites an organisation's contact to become its admin; `person`: an org admin invites a person. */
  kind: "organisation" | "person";
  token_hash: string;
  email: string;
  coalition_id: string | null;
  organisation_id: string;
  role: "admin" | "member";
  invited_by: string | null;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
  created_at: Generated<Date>;
  /** Accepting makes the person a coordinator of the coalition (an operator's invitation of a first coordinator). */
  grants_coordinator: Generated<boolean>;
  /** The invited person's name and language, when the inviter gave them (prefilled on acceptance). */
  display_name: string | null;
  language: "en" | "km" | null;
}
