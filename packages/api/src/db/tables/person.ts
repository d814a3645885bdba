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
  /** The TOTP secret, base32 (pending until totp_enabled_at is set). Readable by whoever reads the database. */
  totp_key: Generated<string | null>;
  totp_enabled_at: Generated<Date | null>;
  /** The last accepted 30-second TOTP counter: a code is never accepted twice. */
  totp_last_counter: Generated<number | null>;
}
