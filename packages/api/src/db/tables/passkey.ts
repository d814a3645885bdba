import type { ColumnType, Generated } from "kysely";

/** A WebAuthn credential registered as a second factor. */
export interface PasskeyTable {
  id: Generated<string>;
  person_id: string;
  /** The credential id, base64url, as the authenticator reports it. */
  credential_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  /** The authenticator's signature counter (bigint: postgres.js reads it as a string). */
  counter: ColumnType<string | number, number | undefined, number>;
  transports: Generated<string[]>;
  device_type: "singleDevice" | "multiDevice";
  backed_up: Generated<boolean>;
  name: string;
  created_at: Generated<Date>;
  last_used_at: Generated<Date | null>;
}

/** A single-use WebAuthn challenge (registration, re-authentication or sign-in), short-lived. */
export interface WebauthnChallengeTable {
  id: Generated<string>;
  person_id: string;
  challenge: string;
  purpose: "register" | "authenticate" | "sign_in";
  expires_at: Date;
  created_at: Generated<Date>;
}
