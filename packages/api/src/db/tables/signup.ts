import type { Generated } from "kysely";

/** A person of the public who signs up for an activity; personal columns are null once erased after the event. */
export interface SignupTable {
  id: Generated<string>;
  activity_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** "e:<lower-case email>" or "p:<phone digits>": one sign-up per contact and activity. */
  contact_key: string | null;
  guests: Generated<number>;
  language: Generated<"km" | "en">;
  status: Generated<"pending" | "confirmed">;
  confirmed_via: "email" | "phone" | null;
  confirmed_by: string | null;
  confirmed_at: Date | null;
  confirm_token_hash: string | null;
  confirm_expires_at: Date | null;
  cancel_token_hash: string | null;
  erased_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SignupStageTable {
  signup_id: string;
  position: number;
}
