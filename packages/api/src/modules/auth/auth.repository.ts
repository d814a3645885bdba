import type { NotifyEmail } from "@samakki/shared/auth";
import type { Language } from "@samakki/shared/i18n/index";
import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/**
 * Every query of accounts and credentials: people's passwords, second factors and recovery codes,
 * sign-in challenges, email links (auth_token), password reset requests and email changes.
 * Sessions are in sessions.repository.ts, rate-limit counters in rate-limit.ts.
 */

export type TokenKind = "password_reset" | "email_verification";

// People ----------------------------------------------------------------------------------------

/** What signing in needs (with the password hash: never return it further). */
export function findSignInPerson(db: Executor, email: string) {
  return db
    .selectFrom("person")
    .where("email", "=", email)
    .select(["id", "password_hash", "disabled_at", "language", "totp_enabled_at"])
    .executeTakeFirst();
}

/** The account's public facts (no secrets). */
export function findAccount(db: Executor, personId: string) {
  return db
    .selectFrom("person")
    .where("id", "=", personId)
    .select(["id", "email", "language", "disabled_at", "email_verified_at"])
    .executeTakeFirst();
}

/** The account holding this address, if any. */
export function findAccountByEmail(db: Executor, email: string) {
  return db.selectFrom("person").where("email", "=", email).select(["id", "language", "disabled_at"]).executeTakeFirst();
}

/** The person's email, locked against a concurrent change. */
export function lockAccountEmail(db: Executor, personId: string) {
  return db.selectFrom("person").where("id", "=", personId).select(["email"]).forUpdate().executeTakeFirstOrThrow();
}

export function updateProfile(
  db: Executor,
  personId: string,
  input: { displayName?: string | undefined; language?: Language | undefined; notifyEmail?: NotifyEmail | undefined },
) {
  return db
    .updateTable("person")
    .set({
      ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
      ...(input.language ? { language: input.language } : {}),
      ...(input.notifyEmail ? { notify_email: input.notifyEmail } : {}),
    })
    .where("id", "=", personId)
    .execute();
}

/** A new password; a reset link also proves the address (`verified`). */
export function setPasswordHash(db: Executor, personId: string, passwordHash: string, verified = false) {
  return db
    .updateTable("person")
    .set({ password_hash: passwordHash, ...(verified ? { email_verified_at: new Date() } : {}) })
    .where("id", "=", personId)
    .execute();
}

/** Move the account to a (verified) address; throws the unique violation when another account has it. */
export function setVerifiedEmail(db: Executor, personId: string, email: string) {
  return db.updateTable("person").set({ email, email_verified_at: new Date() }).where("id", "=", personId).execute();
}

/** Whether the person ever signed in (their first sign-in is no "new device"). */
export async function hasSignedInBefore(db: Executor, personId: string) {
  const row = await db
    .selectFrom("audit_event")
    .where("actor_id", "=", personId)
    .where("action", "=", "auth.sign_in")
    .select("id")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// Second factors ---------------------------------------------------------------------------------

/** What checking a step-up needs (with the password hash and TOTP secret: never return them further). */
export function findCredentials(db: Executor, personId: string) {
  return db
    .selectFrom("person")
    .where("id", "=", personId)
    .select(["id", "password_hash", "totp_key", "totp_enabled_at", "totp_last_counter"])
    .executeTakeFirstOrThrow();
}

/** The person's second-factor state, with where to tell them about it. */
export function findSecondFactor(db: Executor, personId: string) {
  return db
    .selectFrom("person")
    .where("id", "=", personId)
    .select(["id", "email", "language", "disabled_at", "totp_key", "totp_enabled_at", "totp_last_counter"])
    .executeTakeFirstOrThrow();
}

export function lockTotpState(db: Executor, personId: string) {
  return db.selectFrom("person").where("id", "=", personId).select(["id", "totp_enabled_at"]).forUpdate().executeTakeFirstOrThrow();
}

/** Record an accepted TOTP step, only if no later-or-equal step was: true when this call recorded it. */
export async function advanceTotpCounter(db: Executor, personId: string, counter: number) {
  const result = await db
    .updateTable("person")
    .set({ totp_last_counter: counter })
    .where("id", "=", personId)
    .where((eb) => eb.or([eb("totp_last_counter", "is", null), eb("totp_last_counter", "<", counter)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A new pending secret, never over an enabled one; answers the account's email, or undefined when enabled. */
export function setPendingTotpKey(db: Executor, personId: string, secret: string) {
  return db
    .updateTable("person")
    .set({ totp_key: secret, totp_last_counter: null })
    .where("id", "=", personId)
    .where("totp_enabled_at", "is", null)
    .returning("email")
    .executeTakeFirst();
}

/** Enable the pending secret the code was checked against, only if it is still the pending one: true when enabled. */
export async function enableTotp(db: Executor, personId: string, pendingKey: string, acceptedCounter: number) {
  const updated = await db
    .updateTable("person")
    .set({ totp_enabled_at: new Date(), totp_last_counter: acceptedCounter })
    .where("id", "=", personId)
    .where("totp_enabled_at", "is", null)
    .where("totp_key", "=", pendingKey)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export function clearTotp(db: Executor, personId: string) {
  return db
    .updateTable("person")
    .set({ totp_key: null, totp_enabled_at: null, totp_last_counter: null })
    .where("id", "=", personId)
    .execute();
}

/** Use up one unused recovery code (one statement: used at most once); true when it was unused. */
export async function spendRecoveryCode(db: Executor, personId: string, codeHash: string) {
  const row = await db
    .updateTable("recovery_code")
    .set({ used_at: new Date() })
    .where("person_id", "=", personId)
    .where("code_hash", "=", codeHash)
    .where("used_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export function deleteRecoveryCodes(db: Executor, personId: string) {
  return db.deleteFrom("recovery_code").where("person_id", "=", personId).execute();
}

export function insertRecoveryCodes(db: Executor, personId: string, codeHashes: string[]) {
  return db
    .insertInto("recovery_code")
    .values(codeHashes.map((code_hash) => ({ person_id: personId, code_hash, used_at: null })))
    .execute();
}

// Sign-in challenges (the second step of signing in) -----------------------------------------------

export function insertChallenge(db: Executor, row: { tokenHash: string; personId: string; userAgent: string; expiresAt: Date }) {
  return db
    .insertInto("two_factor_challenge")
    .values({ token_hash: row.tokenHash, person_id: row.personId, user_agent: row.userAgent.slice(0, 500), expires_at: row.expiresAt })
    .execute();
}

/** The account email of a live challenge (not expired, attempts left). */
export function liveChallengeEmail(db: Executor, tokenHash: string, maxAttempts: number) {
  return db
    .selectFrom("two_factor_challenge as ch")
    .innerJoin("person as p", "p.id", "ch.person_id")
    .where("ch.token_hash", "=", tokenHash)
    .where("ch.expires_at", ">", new Date())
    .where("ch.attempts", "<", maxAttempts)
    .select(["p.email"])
    .executeTakeFirst();
}

/** A live challenge, locked: its wrong attempts are counted one at a time. */
export function lockLiveChallenge(db: Executor, tokenHash: string, maxAttempts: number) {
  return db
    .selectFrom("two_factor_challenge")
    .where("token_hash", "=", tokenHash)
    .where("expires_at", ">", new Date())
    .where("attempts", "<", maxAttempts)
    .select(["id", "person_id", "attempts"])
    .forUpdate()
    .executeTakeFirst();
}

export function setChallengeAttempts(db: Executor, id: string, attempts: number) {
  return db.updateTable("two_factor_challenge").set({ attempts }).where("id", "=", id).execute();
}

export function deleteChallenge(db: Executor, id: string) {
  return db.deleteFrom("two_factor_challenge").where("id", "=", id).execute();
}

export function deletePersonChallenges(db: Executor, personId: string, onlyExpired = false) {
  let query = db.deleteFrom("two_factor_challenge").where("person_id", "=", personId);
  if (onlyExpired) query = query.where("expires_at", "<=", new Date());
  return query.execute();
}

export function pruneExpiredChallenges(db: Executor) {
  return db.deleteFrom("two_factor_challenge").where("expires_at", "<", new Date()).execute();
}

// Email links ---------------------------------------------------------------------------------------

/** End the person's unused links, of one kind or of every kind. */
export function expireTokens(db: Executor, personId: string, kind?: TokenKind) {
  let query = db.updateTable("auth_token").set({ used_at: new Date() }).where("person_id", "=", personId).where("used_at", "is", null);
  if (kind) query = query.where("kind", "=", kind);
  return query.execute();
}

export function insertToken(db: Executor, row: { kind: TokenKind; tokenHash: string; personId: string; email: string; expiresAt: Date }) {
  return db
    .insertInto("auth_token")
    .values({
      kind: row.kind,
      token_hash: row.tokenHash,
      person_id: row.personId,
      email: row.email,
      expires_at: row.expiresAt,
      used_at: null,
    })
    .execute();
}

/** Use a live link once (one statement): its person and address, or undefined. */
export function consumeToken(db: Executor, kind: TokenKind, tokenHash: string) {
  return db
    .updateTable("auth_token")
    .set({ used_at: new Date() })
    .where("token_hash", "=", tokenHash)
    .where("kind", "=", kind)
    .where("used_at", "is", null)
    .where("expires_at", ">", new Date())
    .returning(["person_id", "email"])
    .executeTakeFirst();
}

// Password reset requests ------------------------------------------------------------------------

export function queuePasswordReset(db: Executor, email: string) {
  return db.insertInto("password_reset_request").values({ email }).execute();
}

/**
 * Claim a batch of queued requests and delete it in one statement (FOR UPDATE SKIP LOCKED in a
 * MATERIALIZED CTE), so several instances never take the same one.
 */
export async function claimPasswordResets(db: Executor, batch: number) {
  const claimed = await sql<{ email: string }>`
    WITH claimed AS MATERIALIZED (
      SELECT id FROM password_reset_request ORDER BY created_at LIMIT ${batch} FOR UPDATE SKIP LOCKED
    )
    DELETE FROM password_reset_request r USING claimed WHERE r.id = claimed.id
    RETURNING r.email`.execute(db);
  return claimed.rows;
}

/** An enabled account at this address. */
export function findEnabledByEmail(db: Executor, email: string) {
  return db.selectFrom("person").where("email", "=", email).where("disabled_at", "is", null).select(["id", "language"]).executeTakeFirst();
}

// Email changes -------------------------------------------------------------------------------------

/** Whether an email change set this address on the account since `since` (and was not undone). */
export async function emailChangedToSince(db: Executor, personId: string, email: string, since: Date) {
  const row = await db
    .selectFrom("email_change")
    .where("person_id", "=", personId)
    .where("new_email", "=", email)
    .where("undone_at", "is", null)
    .where("created_at", ">", since)
    .select("id")
    .executeTakeFirst();
  return row !== undefined;
}

export function insertEmailChange(
  db: Executor,
  row: { personId: string; oldEmail: string; newEmail: string; undoTokenHash: string; undoExpiresAt: Date },
) {
  return db
    .insertInto("email_change")
    .values({
      person_id: row.personId,
      old_email: row.oldEmail,
      new_email: row.newEmail,
      undo_token_hash: row.undoTokenHash,
      undo_expires_at: row.undoExpiresAt,
      undone_at: null,
    })
    .execute();
}

/** Mark a live undo link used (one statement): the change it undoes, or undefined. */
export function undoEmailChange(db: Executor, undoTokenHash: string) {
  return db
    .updateTable("email_change")
    .set({ undone_at: new Date() })
    .where("undo_token_hash", "=", undoTokenHash)
    .where("undone_at", "is", null)
    .where("undo_expires_at", ">", new Date())
    .returning(["person_id", "old_email", "new_email"])
    .executeTakeFirst();
}
