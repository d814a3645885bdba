import type { Executor } from "../../lib/transaction.ts";

type ChallengePurpose = "register" | "authenticate" | "sign_in";

export function listPasskeys(db: Executor, personId: string) {
  return db
    .selectFrom("passkey")
    .where("person_id", "=", personId)
    .select(["id", "name", "credential_id", "transports", "device_type", "backed_up", "created_at", "last_used_at"])
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export async function countPasskeys(db: Executor, personId: string): Promise<number> {
  const row = await db
    .selectFrom("passkey")
    .where("person_id", "=", personId)
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findPasskeyByCredential(db: Executor, personId: string, credentialId: string) {
  return db
    .selectFrom("passkey")
    .where("person_id", "=", personId)
    .where("credential_id", "=", credentialId)
    .select(["id", "credential_id", "public_key", "counter", "transports"])
    .executeTakeFirst();
}

export function insertPasskey(
  db: Executor,
  values: {
    personId: string;
    credentialId: string;
    publicKey: string;
    counter: number;
    transports: string[];
    deviceType: "singleDevice" | "multiDevice";
    backedUp: boolean;
    name: string;
  },
) {
  return db
    .insertInto("passkey")
    .values({
      person_id: values.personId,
      credential_id: values.credentialId,
      public_key: values.publicKey,
      counter: values.counter,
      transports: values.transports,
      device_type: values.deviceType,
      backed_up: values.backedUp,
      name: values.name,
    })
    .returning(["id", "name", "device_type", "backed_up", "created_at", "last_used_at"])
    .executeTakeFirstOrThrow();
}

/** Move the counter forward only (a parallel use with the same counter cannot pass too). */
export async function recordPasskeyUse(
  db: Executor,
  id: string,
  values: { previousCounter: number; counter: number; backedUp: boolean; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable("passkey")
    .set({ counter: values.counter, backed_up: values.backedUp, last_used_at: values.at })
    .where("id", "=", id)
    .where("counter", "=", values.previousCounter)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function renamePasskey(db: Executor, personId: string, id: string, name: string) {
  return db
    .updateTable("passkey")
    .set({ name })
    .where("id", "=", id)
    .where("person_id", "=", personId)
    .returning(["id", "name", "device_type", "backed_up", "created_at", "last_used_at"])
    .executeTakeFirst();
}

export function deletePasskey(db: Executor, personId: string, id: string) {
  return db.deleteFrom("passkey").where("id", "=", id).where("person_id", "=", personId).returning(["id", "name"]).executeTakeFirst();
}

export function insertChallenge(db: Executor, values: { personId: string; challenge: string; purpose: ChallengePurpose; expiresAt: Date }) {
  return db
    .insertInto("webauthn_challenge")
    .values({ person_id: values.personId, challenge: values.challenge, purpose: values.purpose, expires_at: values.expiresAt })
    .execute();
}

/** Take a live challenge (single use: deleted in the same statement). */
export async function takeChallenge(db: Executor, personId: string, challenge: string, purpose: ChallengePurpose): Promise<boolean> {
  const row = await db
    .deleteFrom("webauthn_challenge")
    .where("person_id", "=", personId)
    .where("challenge", "=", challenge)
    .where("purpose", "=", purpose)
    .where("expires_at", ">", new Date())
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Forget a person's older challenges of one purpose, so at most a few are ever live. */
export function deleteChallenges(db: Executor, personId: string, purpose: ChallengePurpose) {
  return db.deleteFrom("webauthn_challenge").where("person_id", "=", personId).where("purpose", "=", purpose).execute();
}

export function pruneExpiredWebauthnChallenges(db: Executor) {
  return db.deleteFrom("webauthn_challenge").where("expires_at", "<", new Date()).execute();
}

export function findSignInChallengePerson(db: Executor, tokenHash: string, maxAttempts: number) {
  return db
    .selectFrom("two_factor_challenge as ch")
    .innerJoin("person as p", "p.id", "ch.person_id")
    .where("ch.token_hash", "=", tokenHash)
    .where("ch.expires_at", ">", new Date())
    .where("ch.attempts", "<", maxAttempts)
    .where("p.disabled_at", "is", null)
    .select(["p.id", "p.email"])
    .executeTakeFirst();
}

export async function ownsPasskey(db: Executor, personId: string, id: string) {
  return (
    (await db.selectFrom("passkey").where("id", "=", id).where("person_id", "=", personId).select("id").executeTakeFirst()) !== undefined
  );
}

/** Where to tell the person about their passkeys. */
export function personContact(db: Executor, personId: string) {
  return db.selectFrom("person").where("id", "=", personId).select(["email", "language"]).executeTakeFirstOrThrow();
}
