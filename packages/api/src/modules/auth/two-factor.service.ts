import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { normaliseRecoveryCode, RECOVERY_CODE } from "@samakki/shared/auth";
import type { AppDeps, CurrentSession } from "../../lib/context.ts";
import { generateToken, sha256Hex } from "../../lib/crypto.ts";
import { AppError } from "../../lib/errors.ts";
import { MINUTE } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { enqueueEmail } from "../email/outbox.ts";
import { currentCount, hit, LIMITS, SIGN_IN_WINDOW_SECONDS } from "./rate-limit.ts";
import * as sessions from "./sessions.repository.ts";

/**
 * Personal two-factor authentication (security.md, "Accounts and sessions"): TOTP after RFC 6238
 * (20-byte secret, SHA-1, 30 s, 6 digits, as every authenticator app expects) and ten single-use
 * recovery codes. Every accepted TOTP code moves `totp_last_counter` forward, so no code (and no
 * earlier code) is accepted twice. Email is never a second factor.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes of the previous and the next 30-second step are accepted too, for clocks that drift. */
const DRIFT_STEPS = 1;
export const TOTP_ISSUER = "Samakki";
export const RECOVERY_CODE_COUNT = 10;
export const CHALLENGE_TTL_MS = 5 * MINUTE;
/** Wrong codes a sign-in challenge survives; the fifth wrong code ends it (security.md 6.3.1). */
export const MAX_CHALLENGE_ATTEMPTS = 5;

export function totpCounter(now = Date.now()): number {
  return Math.floor(now / (TOTP_PERIOD_SECONDS * 1000));
}

/**
 * The time step `otp` belongs to, among the current one and its neighbours and after `after`
 * (the last accepted step), or null. verifyTOTPWithGracePeriod would not say which step matched,
 * so the steps are checked one by one with verifyHOTP (constant-time comparison inside).
 */
export function matchTotp(keyBase32: string, otp: string, after: number | null, now = Date.now()): number | null {
  const key = decodeBase32IgnorePadding(keyBase32);
  const current = totpCounter(now);
  for (let counter = current - DRIFT_STEPS; counter <= current + DRIFT_STEPS; counter++) {
    if (after !== null && counter <= after) continue;
    if (verifyHOTP(key, BigInt(counter), TOTP_DIGITS, otp)) return counter;
  }
  return null;
}

type SecondFactorPerson = { id: string; totp_key: string | null; totp_last_counter: number | null };

/**
 * Accept a TOTP code once: its step is recorded only if no later-or-equal step was accepted,
 * in one conditional UPDATE, so two requests racing with the same code cannot both pass.
 */
export async function consumeTotp(db: Executor, person: SecondFactorPerson, otp: string): Promise<boolean> {
  if (!person.totp_key) return false;
  const digits = otp.replace(/\s+/g, "");
  const counter = matchTotp(person.totp_key, digits, person.totp_last_counter);
  if (counter === null) return false;
  const result = await db
    .updateTable("person")
    .set({ totp_last_counter: counter })
    .where("id", "=", person.id)
    .where((eb) => eb.or([eb("totp_last_counter", "is", null), eb("totp_last_counter", "<", counter)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Use up one unused recovery code (single statement, so it is used at most once). */
async function consumeRecoveryCode(db: Executor, personId: string, code: string): Promise<boolean> {
  const normalised = normaliseRecoveryCode(code);
  if (!RECOVERY_CODE.test(normalised)) return false;
  const row = await db
    .updateTable("recovery_code")
    .set({ used_at: new Date() })
    .where("person_id", "=", personId)
    .where("code_hash", "=", sha256Hex(normalised))
    .where("used_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** A 6-digit code is checked as TOTP, anything else as a recovery code. */
export async function consumeSecondFactor(
  db: Executor,
  person: SecondFactorPerson,
  code: string,
): Promise<"totp" | "recovery_code" | null> {
  if (/^\d{6}$/.test(code.replace(/\s+/g, ""))) return (await consumeTotp(db, person, code)) ? "totp" : null;
  return (await consumeRecoveryCode(db, person.id, code)) ? "recovery_code" : null;
}

/** Ten new codes (80 random bits each, shown as `abcd-efgh-ijkl-mnop`) replace the old ones; only hashes are kept. */
async function replaceRecoveryCodes(trx: Executor, personId: string): Promise<string[]> {
  await trx.deleteFrom("recovery_code").where("person_id", "=", personId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => generateToken(10));
  await trx
    .insertInto("recovery_code")
    .values(codes.map((code) => ({ person_id: personId, code_hash: sha256Hex(code), used_at: null })))
    .execute();
  return codes.map((code) => code.match(/.{4}/g)?.join("-") ?? code);
}

export function deletePersonChallenges(db: Executor, personId: string) {
  return db.deleteFrom("two_factor_challenge").where("person_id", "=", personId).execute();
}

export function wrongCode(path = "code"): AppError {
  return new AppError("two_factor_code_invalid", "wrong two-factor code", { fieldErrors: [{ path, message: "invalid" }] });
}

/**
 * A check of something only the signed-in person should know (password, TOTP or recovery code),
 * limited per person like sign-ins; the limit holds even for a right answer, so a stolen session
 * cannot be used to guess.
 */
export async function limitedCheck<T>(
  deps: AppDeps,
  personId: string,
  check: () => Promise<T | null | false>,
  onWrong: () => AppError,
): Promise<T> {
  const key = `reauth:${personId}`;
  if ((await currentCount(deps.db, key, SIGN_IN_WINDOW_SECONDS)) >= LIMITS.account) {
    throw new AppError("rate_limited", "too many wrong answers", { headers: { "retry-after": String(SIGN_IN_WINDOW_SECONDS) } });
  }
  const result = await check();
  if (result === null || result === false) {
    await hit(deps.db, key, SIGN_IN_WINDOW_SECONDS);
    throw onWrong();
  }
  return result;
}

function findSecondFactor(db: Executor, personId: string) {
  return db
    .selectFrom("person")
    .where("id", "=", personId)
    .select(["id", "email", "language", "totp_key", "totp_enabled_at", "totp_last_counter"])
    .executeTakeFirstOrThrow();
}

/** A new pending secret; replaces an earlier pending one, never an enabled one. */
export async function setupTwoFactor(deps: AppDeps, session: CurrentSession): Promise<{ secret: string; uri: string }> {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  const secret = encodeBase32UpperCaseNoPadding(bytes);
  const row = await deps.db
    .updateTable("person")
    .set({ totp_key: secret, totp_last_counter: null })
    .where("id", "=", session.personId)
    .where("totp_enabled_at", "is", null)
    .returning("email")
    .executeTakeFirst();
  if (!row) throw new AppError("two_factor_already_enabled");
  return { secret, uri: createTOTPKeyURI(TOTP_ISSUER, row.email, bytes, TOTP_PERIOD_SECONDS, TOTP_DIGITS) };
}

/** Confirms the pending secret with a code; ends the person's other sessions; returns the recovery codes once. */
export async function enableTwoFactor(deps: AppDeps, session: CurrentSession, code: string): Promise<string[]> {
  const person = await findSecondFactor(deps.db, session.personId);
  if (person.totp_enabled_at) throw new AppError("two_factor_already_enabled");
  const pending = person.totp_key;
  if (!pending) throw new AppError("two_factor_setup_required");
  const accepted = await limitedCheck(deps, person.id, async () => matchTotp(pending, code.replace(/\s+/g, ""), null), wrongCode);
  return withTransaction(deps.db, async (trx) => {
    // Only the secret the code was checked against, and only if still pending (a setup in another tab would change it).
    const updated = await trx
      .updateTable("person")
      .set({ totp_enabled_at: new Date(), totp_last_counter: accepted })
      .where("id", "=", person.id)
      .where("totp_enabled_at", "is", null)
      .where("totp_key", "=", pending)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError("two_factor_setup_required", "pending secret changed");
    const codes = await replaceRecoveryCodes(trx, person.id);
    const ended = await sessions.deletePersonSessions(trx, person.id, session.id);
    await deletePersonChallenges(trx, person.id);
    await recordAudit(trx, {
      actorId: person.id,
      action: "auth.two_factor_enabled",
      targetType: "person",
      targetId: person.id,
      after: { endedSessions: Number(ended.numDeletedRows) },
    });
    return codes;
  });
}

/** Needs a current TOTP code or an unused recovery code, on top of the recent authentication. */
export async function disableTwoFactor(deps: AppDeps, session: CurrentSession, code: string) {
  const person = await findSecondFactor(deps.db, session.personId);
  if (!person.totp_enabled_at) throw new AppError("two_factor_not_enabled");
  const method = await limitedCheck(deps, person.id, () => consumeSecondFactor(deps.db, person, code), wrongCode);
  await withTransaction(deps.db, async (trx) => {
    await trx
      .updateTable("person")
      .set({ totp_key: null, totp_enabled_at: null, totp_last_counter: null })
      .where("id", "=", person.id)
      .execute();
    await trx.deleteFrom("recovery_code").where("person_id", "=", person.id).execute();
    await deletePersonChallenges(trx, person.id);
    await recordAudit(trx, {
      actorId: person.id,
      action: "auth.two_factor_disabled",
      targetType: "person",
      targetId: person.id,
      after: { method },
    });
    // Always by email, whatever the notification preference: someone holding a session could be doing this.
    await enqueueEmail(trx, {
      to: person.email,
      language: person.language,
      message: {
        template: "notification",
        data: { messageKey: "notifications.two_factor_disabled", params: {}, url: `${deps.config.publicUrl}/account` },
      },
    });
  });
}

export async function regenerateRecoveryCodes(deps: AppDeps, session: CurrentSession): Promise<string[]> {
  return withTransaction(deps.db, async (trx) => {
    const person = await trx
      .selectFrom("person")
      .where("id", "=", session.personId)
      .select(["id", "totp_enabled_at"])
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!person.totp_enabled_at) throw new AppError("two_factor_not_enabled");
    const codes = await replaceRecoveryCodes(trx, person.id);
    await recordAudit(trx, { actorId: person.id, action: "auth.recovery_codes_regenerated", targetType: "person", targetId: person.id });
    return codes;
  });
}

/** Re-authentication with a TOTP code instead of the password (people with two-factor authentication only). */
export async function verifyOwnTotp(deps: AppDeps, session: CurrentSession, code: string) {
  const person = await findSecondFactor(deps.db, session.personId);
  await limitedCheck(deps, person.id, async () => person.totp_enabled_at !== null && (await consumeTotp(deps.db, person, code)), wrongCode);
}

/** Forget challenges whose five minutes are over (a background job; a challenge is otherwise removed when used). */
export function pruneExpiredChallenges(db: Executor) {
  return db.deleteFrom("two_factor_challenge").where("expires_at", "<", new Date()).execute();
}
