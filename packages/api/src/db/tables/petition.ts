import type { Generated } from "kysely";

export interface PetitionTable {
  id: Generated<string>;
  campaign_id: string;
  title_km: string;
  title_en: string;
  body_km: Generated<string>;
  body_en: Generated<string>;
  target: number;
  /** Calendar dates, read as YYYY-MM-DD text (see petitions.repository). */
  opens_on: string;
  closes_on: string;
  status: Generated<"open" | "closed">;
  closed_at: Date | null;
  closed_by: string | null;
  delete_after_days: number | null;
  purge_due_at: Date | null;
  purged_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PetitionSignatureTable {
  id: Generated<string>;
  petition_id: string;
  email_key: string;
  email: string;
  name: string;
  province: string;
  comment: Generated<string>;
  show_name: Generated<boolean>;
  language: "en" | "km";
  status: Generated<"pending" | "confirmed">;
  /** SHA-256 of the emailed tokens; the tokens themselves are never stored. */
  confirm_token_hash: string | null;
  confirm_expires_at: Date | null;
  withdraw_token_hash: string | null;
  created_at: Generated<Date>;
  confirmed_at: Date | null;
}

export interface PetitionProvinceTallyTable {
  petition_id: string;
  province: string;
  count: number;
}

export interface PetitionPaperSheetTable {
  id: Generated<string>;
  petition_id: string;
  organisation_id: string;
  count: number;
  province: string;
  counted_on: string;
  note: Generated<string>;
  revision: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface PetitionPaperSheetRevisionTable {
  sheet_id: string;
  revision: number;
  count: number;
  province: string;
  counted_on: string;
  note: string;
  changed_by: string | null;
  changed_at: Generated<Date>;
}

export interface PowChallengeUsedTable {
  challenge: string;
  expires_at: Date;
}
