import type { LetterChannel, Stance } from "@samakki/shared/letters";
import type { Generated } from "kysely";

export interface LetterTargetTable {
  id: Generated<string>;
  coalition_id: string;
  name_km: Generated<string>;
  name_en: Generated<string>;
  role: Generated<string>;
  party: Generated<string>;
  province: string | null;
  constituency: Generated<string>;
  email: Generated<string>;
  phone: Generated<string>;
  fax: Generated<string>;
  postal_address: Generated<string>;
  archived_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LetterActionTable {
  id: Generated<string>;
  coalition_id: string;
  campaign_id: string;
  title: string;
  subject_km: Generated<string>;
  subject_en: Generated<string>;
  body_km: Generated<string>;
  body_en: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LetterActionTargetTable {
  action_id: string;
  target_id: string;
}

export interface LetterTable {
  id: Generated<string>;
  coalition_id: string;
  action_id: string;
  target_id: string;
  organisation_id: string;
  /** Calendar date, read as YYYY-MM-DD text. */
  sent_on: string;
  channel: LetterChannel;
  delivery_confirmed: Generated<boolean>;
  follow_up_sent_at: Date | null;
  recorded_by: string | null;
  created_at: Generated<Date>;
}

export interface LetterReplyTable {
  letter_id: string;
  received_on: string;
  summary: string;
  stance: Stance;
  scan_reference: Generated<string>;
  recorded_by: string | null;
  created_at: Generated<Date>;
}

export interface LetterStartCountTable {
  action_id: string;
  day: string;
  count: Generated<number>;
}
