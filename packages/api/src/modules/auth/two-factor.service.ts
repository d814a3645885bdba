import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { normaliseRecoveryCode, RECOVERY_CODE } from "@samakki/shared/auth";
import * as paths from "@samakki/shared/paths";
import { type AppDeps, type CurrentSession, now } from "../../lib/context.ts";
import { generateToken, sha256Hex } from "../../lib/crypto.ts";
import { AppError } from "../../lib/errors.ts";
import { MINUTE } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { enqueueEmail } from "../email/outbox.ts";
import { asAuthenticationResponse, checkPasskeyAssertion } from "../passkeys/webauthn.ts";
import * as repo from "./auth.repository.ts";
import { giveBack, LIMITS, take } from "./rate-limit.ts";
import * as sessions from "./sessions.repository.ts";

/**
 * Personal two-factor authentication (docs/security.md §4): TOTP after RFC 6238
 * (20-byte secret, SHA-1, 30 s, 6 digits, as every authenticator app expects) and ten single-use
 * recovery codes. Every accepted TOTP code moves `totp_last_counter` forward, so no code (and no
 * earlier code) is accepted twice. Email is never a second factor.
 */
const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;
/** Codes of the previous and the next 30-second step are accepted too, for clocks that drift. */
const DRIFT_STEPS = 1;
const TOTP_ISSUER = "Samakki";
const RECOVERY_CODE_COUNT = 10;
export const CHALLENGE_TTL_MS = 5 * MINUTE;
/** Wrong codes a sign-in challenge survives; the fifth wrong code ends it (docs/security.md §4; ASVS 6.3.1). */
export const MAX_CHALLENGE_ATTEMPTS = 5;

/** The TOTP time step of an instant (milliseconds since the epoch). */
function totpCounter(at: number): number {
  return Math.floor(at / (TOTP_PERIOD_SECONDS * 1000));
}

/**
 * The time step `otp` belongs to, among the current one and its neighbours and after `after`
 * (the last accepted step), or null. verifyTOTPWithGracePeriod would not say which step matched,
 * so the steps are checked one by one with verifyHOTP (constant-time comparison inside).
 */
function matchTotp(keyBase32: string, otp: string, after: number | null, at: Date): number | null {
  const key = decodeBase32IgnorePadding(keyBase32);
  const current = totpCounter(at.getTime());
  for (let counter = current - DRIFT_STEPS; counter <= current + DRIFT_STEPS; counter++) {
    if (after !== null && counter <= after) continue;
    if (verifyHOTP(key, BigInt(counter), TOTP_DIGITS, otp)) return counter;
  }
  return null;
}

type SecondFactorPerson = { id: string; totp_key: string | null; totp_last_counter: number | null };

/**
 * Accept a TOTP code once: its step is recorded only if no later-or-equal step was accepted,
 * in one conditional UPDATE, so two requests racing with the same code cannot both pass. `at` is
 * the app's clock (`now(deps)`), so tests pick the time step instead of racing a 30 s boundary.
 */
async function consumeTotp(db: Executor, person: SecondFactorPerson, otp: string, at: Date): Promise<boolean> {
  if (!person.totp_key) return false;
  const digits = otp.replace(/\s+/g, "");
  const counter = matchTotp(person.totp_key, digits, person.totp_last_counter, at);
  if (counter === null) return false;
  return repo.advanceTotpCounter(db, person.id, counter);
}

/** Use up one unused recovery code (single statement, so it is used at most once). */
async function consumeRecoveryCode(db: Executor, personId: string, code: string): Promise<boolean> {
  const normalised = normaliseRecoveryCode(code);
  if (!RECOVERY_CODE.test(normalised)) return false;
  return repo.spendRecoveryCode(db, personId, sha256Hex(normalised));
}

/** A 6-digit code is checked as TOTP, anything else as a recovery code. */
export async function consumeSecondFactor(
  db: Executor,
  person: SecondFactorPerson,
  code: string,
  at: Date,
): Promise<"totp" | "recovery_code" | null> {
  if (/^\d{6}$/.test(code.replace(/\s+/g, ""))) return (await consumeTotp(db, person, code, at)) ? "totp" : null;
  return (await consumeRecoveryCode(db, person.id, code)) ? "recovery_code" : null;
}

/** Ten new codes (80 random bits each, shown as `abcd-efgh-ijkl-mnop`) replace the old ones; only hashes are kept. */
async function replaceRecoveryCodes(trx: Executor, personId: string): Promise<string[]> {
  await repo.deleteRecoveryCodes(trx, personId);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => generateToken(10));
  await repo.insertRecoveryCodes(
    trx,
    personId,
    codes.map((code) => sha256Hex(code)),
  );
  return codes.map((code) => code.match(/.{4}/g)?.join("-") ?? code);
}

export function wrongCode(path = "code"): AppError {
  return new AppError("two_factor_code_invalid", "wrong two-factor code", { fieldErrors: [{ path, message: "invalid" }] });
}

/**
 * A check of something only the signed-in person should know (password, TOTP or recovery code),
 * limited per person like sign-ins. The attempt is counted atomically *before* the check (so a
 * parallel burst cannot exceed the limit) and given back when right; the limit holds even for a
 * right answer, so a stolen session cannot be used to guess.
 */
async function limitedCheck<T>(
  deps: AppDeps,
  personId: string,
  check: () => Promise<T | null | false>,
  onWrong: () => AppError,
): Promise<T> {
  const key = `reauth:${personId}`;
  await take(deps.db, [{ key, limit: LIMITS.reauth }]);
  const result = await check();
  if (result === null || result === false) throw onWrong();
  await giveBack(deps.db, key);
  return result;
}

/** What a step-up may carry: the password, a TOTP or recovery code, or a passkey's answer (passkeys module). */
type StepUpProof = {
  password?: string | undefined;
  totpCode?: string | undefined;
  recoveryCode?: string | undefined;
  passkey?: unknown;
};
export type StepUpMethod = "password" | "totp" | "recovery_code" | "passkey";

/** `{ password?, code? }` as the forms send it: a 6-digit code is a TOTP code, anything else a recovery code. */
export function stepUpProof(input: { password?: string | undefined; code?: string | undefined; passkey?: unknown }): StepUpProof {
  if (input.passkey !== undefined) return { passkey: input.passkey };
  if (input.password !== undefined) return { password: input.password };
  if (input.code === undefined) return {};
  return /^\d{6}$/.test(input.code.replace(/\s+/g, "")) ? { totpCode: input.code } : { recoveryCode: input.code };
}

/**
 * Step-up in the same request (docs/security.md §5; ASVS 6.4.x, 7.5.1): changing the email or the password,
 * regenerating recovery codes and turning two-factor authentication off need the password or a
 * second factor *with the request*; a recent sign-in does not waive it, so a stolen session cookie
 * alone cannot take the account. One check for every such action, limited like re-authentication.
 * TOTP and recovery codes are used up (single-use). Throws 401 with a field error when wrong.
 */
export async function verifyStepUp(
  deps: AppDeps,
  personId: string,
  proof: StepUpProof,
  paths: { password?: string; code?: string } = {},
): Promise<StepUpMethod> {
  const passwordPath = paths.password ?? "password";
  const codePath = paths.code ?? "code";
  return limitedCheck<StepUpMethod>(
    deps,
    personId,
    async () => {
      const person = await repo.findCredentials(deps.db, personId);
      if (proof.password !== undefined) {
        return person.password_hash && (await deps.passwords.verify(person.password_hash, proof.password)) ? "password" : null;
      }
      // A passkey's answer to a challenge from /api/me/passkeys/authentication-options (single use).
      if (proof.passkey !== undefined) {
        const answer = asAuthenticationResponse(proof.passkey);
        return (await checkPasskeyAssertion(deps.db, deps.config, personId, answer, "authenticate")) ? "passkey" : null;
      }
      if (!person.totp_enabled_at) return null;
      if (proof.totpCode !== undefined) return (await consumeTotp(deps.db, person, proof.totpCode, now(deps))) ? "totp" : null;
      if (proof.recoveryCode !== undefined)
        return (await consumeRecoveryCode(deps.db, person.id, proof.recoveryCode)) ? "recovery_code" : null;
      return null;
    },
    () =>
      proof.passkey !== undefined
        ? new AppError("passkey_invalid", "passkey step-up refused", { fieldErrors: [{ path: "passkey", message: "invalid" }] })
        : proof.password !== undefined || (proof.totpCode === undefined && proof.recoveryCode === undefined)
          ? new AppError("wrong_password", "wrong password", { fieldErrors: [{ path: passwordPath, message: "invalid" }] })
          : wrongCode(codePath),
  );
}

/** A new pending secret; replaces an earlier pending one, never an enabled one. */
export async function setupTwoFactor(deps: AppDeps, session: CurrentSession): Promise<{ secret: string; uri: string }> {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  const secret = encodeBase32UpperCaseNoPadding(bytes);
  const row = await repo.setPendingTotpKey(deps.db, session.personId, secret);
  if (!row) throw new AppError("two_factor_already_enabled");
  return { secret, uri: createTOTPKeyURI(TOTP_ISSUER, row.email, bytes, TOTP_PERIOD_SECONDS, TOTP_DIGITS) };
}

/** Confirms the pending secret with a code; ends the person's other sessions; returns the recovery codes once. */
export async function enableTwoFactor(deps: AppDeps, session: CurrentSession, code: string): Promise<string[]> {
  const person = await repo.findSecondFactor(deps.db, session.personId);
  if (person.totp_enabled_at) throw new AppError("two_factor_already_enabled");
  const pending = person.totp_key;
  if (!pending) throw new AppError("two_factor_setup_required");
  const accepted = await limitedCheck(
    deps,
    person.id,
    async () => matchTotp(pending, code.replace(/\s+/g, ""), null, now(deps)),
    wrongCode,
  );
  return withTransaction(deps.db, async (trx) => {
    // Only the secret the code was checked against, and only if still pending (a setup in another tab would change it).
    if (!(await repo.enableTotp(trx, person.id, pending, accepted)))
      throw new AppError("two_factor_setup_required", "pending secret changed");
    const codes = await replaceRecoveryCodes(trx, person.id);
    const ended = await sessions.deletePersonSessions(trx, person.id, session.id);
    await repo.deletePersonChallenges(trx, person.id);
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
  const person = await repo.findSecondFactor(deps.db, session.personId);
  if (!person.totp_enabled_at) throw new AppError("two_factor_not_enabled");
  const method = await verifyStepUp(deps, person.id, stepUpProof({ code }));
  await withTransaction(deps.db, async (trx) => {
    await repo.clearTotp(trx, person.id);
    await repo.deleteRecoveryCodes(trx, person.id);
    await repo.deletePersonChallenges(trx, person.id);
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
        data: { messageKey: "notifications.two_factor_disabled", params: {}, url: `${deps.config.publicUrl}${paths.account()}` },
      },
    });
  });
}

/** Needs the password or a second factor in the same request (a stolen session alone must not get new codes). */
export async function regenerateRecoveryCodes(deps: AppDeps, session: CurrentSession, proof: StepUpProof): Promise<string[]> {
  const enabled = await repo.findSecondFactor(deps.db, session.personId);
  if (!enabled.totp_enabled_at) throw new AppError("two_factor_not_enabled");
  await verifyStepUp(deps, session.personId, proof);
  return withTransaction(deps.db, async (trx) => {
    const person = await repo.lockTotpState(trx, session.personId);
    if (!person.totp_enabled_at) throw new AppError("two_factor_not_enabled");
    const codes = await replaceRecoveryCodes(trx, person.id);
    await recordAudit(trx, { actorId: person.id, action: "auth.recovery_codes_regenerated", targetType: "person", targetId: person.id });
    return codes;
  });
}

/** Forget challenges whose five minutes are over (a background job; a challenge is otherwise removed when used). */
export function pruneExpiredChallenges(db: Executor) {
  return repo.pruneExpiredChallenges(db);
}
