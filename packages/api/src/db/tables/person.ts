import type { Generated } from "kysely";

export interface PersonTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  language: Generated<"en" | "km">;
  password_hash: string | null;
  email_verified_at: Date | null;
  disabled_at: Date | null;
  created_at: Generated<Date>;
  notify_email: Generated<"immediate" | "daily" | "off">;
  digest_sent_at: Generated<Date | null>;
}
