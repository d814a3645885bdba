import type { Language } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import { Constraint, uniqueViolation } from "../../db/errors.ts";
import type { AppDeps } from "../../lib/context.ts";
import { generateToken, hashToken, sha256Hex } from "../../lib/crypto.ts";
import { AppError } from "../../lib/errors.ts";
import { HOUR } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { enqueueEmail } from "../email/outbox.ts";
import * as repo from "./auth.repository.ts";
import { assertStrongPassword } from "./passwords.ts";
import { hit, LIMITS, SIGN_IN_WINDOW_SECONDS } from "./rate-limit.ts";
import * as sessions from "./sessions.repository.ts";

/**
 * The single-use links sent by email: password reset (queued, resolved by a job, so the request
 * reveals nothing), email verification (which also moves the account to a new address) and the
 * old address's undo link.
 */

const RESET_TTL = HOUR;
const VERIFY_TTL = 24 * HOUR;

async function issueToken(trx: Executor, kind: repo.TokenKind, personId: string, email: string, ttl: number) {
  const token = generateToken(20);
  // Only the newest link of a kind stays valid.
  await repo.expireTokens(trx, personId, kind);
  await repo.insertToken(trx, { kind, tokenHash: hashToken(token), personId, email, expiresAt: new Date(Date.now() + ttl) });
  return token;
}

/**
 * Same answer, and the same work, whether or not the email has an account (no enumeration, also by
 * timing): the request counts the attempt and inserts one row into a queue, nothing else; the
 * job `processPasswordResetRequests` resolves the address later and sends a link or drops it.
 */
export async function requestPasswordReset(deps: AppDeps, email: string) {
  const count = await hit(deps.db, `reset:${sha256Hex(email)}`, SIGN_IN_WINDOW_SECONDS);
  if (count > LIMITS.passwordReset) return;
  await repo.queuePasswordReset(deps.db, email);
}

/** No password reset goes to an address that an email change set less than this long ago. */
const RESET_BLOCK_AFTER_EMAIL_CHANGE_MS = 24 * HOUR;

/**
 * Resolve queued reset requests (a background job): claim a batch with FOR UPDATE SKIP LOCKED in
 * a MATERIALIZED CTE and delete it in the same statement, in the transaction that issues the links,
 * so several instances never send one twice and a crash loses nothing. Only an existing, enabled
 * account gets a link, and not at an address an email change set within 24 hours.
 */
export async function processPasswordResetRequests(deps: AppDeps, batch = 50): Promise<number> {
  const { config } = deps;
  return withTransaction(deps.db, async (trx) => {
    const claimed = await repo.claimPasswordResets(trx, batch);
    const emails = [...new Set(claimed.map((r) => r.email))];
    for (const email of emails) {
      const person = await repo.findEnabledByEmail(trx, email);
      if (!person) continue;
      const recentChange = await repo.emailChangedToSince(trx, person.id, email, new Date(Date.now() - RESET_BLOCK_AFTER_EMAIL_CHANGE_MS));
      if (recentChange) {
        await recordAudit(trx, { actorId: null, action: "auth.password_reset_refused", targetType: "person", targetId: person.id });
        continue;
      }
      const token = await issueToken(trx, "password_reset", person.id, email, RESET_TTL);
      await enqueueEmail(trx, {
        to: email,
        language: person.language,
        message: { template: "password_reset", data: { url: `${config.publicUrl}${paths.resetPassword(token, person.language)}` } },
      });
      await recordAudit(trx, { actorId: null, action: "auth.password_reset_requested", targetType: "person", targetId: person.id });
    }
    return claimed.length;
  });
}

async function consumeToken(trx: Executor, kind: repo.TokenKind, token: string) {
  const row = await repo.consumeToken(trx, kind, hashToken(token));
  if (!row) throw new AppError("token_invalid");
  return row;
}

/**
 * A reset link sets a new password for an existing account and nothing else: it creates no
 * account and accepts no invitation, so an expired or revoked invitation stays dead.
 */
export async function confirmPasswordReset(deps: AppDeps, input: { token: string; password: string }) {
  assertStrongPassword(input.password);
  const passwordHash = await deps.passwords.hash(input.password);
  await withTransaction(deps.db, async (trx) => {
    const row = await consumeToken(trx, "password_reset", input.token);
    const person = await repo.findAccount(trx, row.person_id);
    if (!person || person.disabled_at || person.email !== row.email) throw new AppError("token_invalid");
    await repo.setPasswordHash(trx, row.person_id, passwordHash, true);
    // Two-factor authentication stays on (a reset never bypasses it); challenges opened with the old password end.
    await sessions.deletePersonSessions(trx, row.person_id);
    await repo.deletePersonChallenges(trx, row.person_id);
    await recordAudit(trx, { actorId: row.person_id, action: "auth.password_reset", targetType: "person", targetId: row.person_id });
  });
}

export async function sendEmailVerification(deps: AppDeps, trx: Executor, personId: string, email: string, language: Language) {
  const token = await issueToken(trx, "email_verification", personId, email, VERIFY_TTL);
  await enqueueEmail(trx, {
    to: email,
    language,
    message: { template: "email_verification", data: { url: `${deps.config.publicUrl}${paths.verifyEmail(token)}` } },
  });
}

export async function resendEmailVerification(deps: AppDeps, personId: string) {
  const person = await repo.findAccount(deps.db, personId);
  if (!person || person.email_verified_at) return;
  await withTransaction(deps.db, (trx) => sendEmailVerification(deps, trx, personId, person.email, person.language));
}

const EMAIL_CHANGE_UNDO_TTL = 7 * 24 * HOUR;

/**
 * Verifying a token sent to a new address also moves the account to that address. The old address
 * is told, with a single-use link to undo the change for 7 days.
 */
export async function verifyEmail(deps: AppDeps, token: string) {
  await withTransaction(deps.db, async (trx) => {
    const row = await consumeToken(trx, "email_verification", token);
    const before = await repo.findAccount(trx, row.person_id);
    // A disabled account's links are dead, like its sessions.
    if (!before || before.disabled_at) throw new AppError("token_invalid");
    try {
      await repo.setVerifiedEmail(trx, row.person_id, row.email);
    } catch (error) {
      if (uniqueViolation(error) === Constraint.personEmail) throw new AppError("email_taken");
      throw error;
    }
    if (before.email !== row.email) {
      const undo = generateToken(20);
      await repo.insertEmailChange(trx, {
        personId: row.person_id,
        oldEmail: before.email,
        newEmail: row.email,
        undoTokenHash: hashToken(undo),
        undoExpiresAt: new Date(Date.now() + EMAIL_CHANGE_UNDO_TTL),
      });
      // Always by email to the old address, whatever the notification preference: someone holding a session could be doing this.
      await enqueueEmail(trx, {
        to: before.email,
        language: before.language,
        message: {
          template: "notification",
          data: {
            messageKey: "notifications.email_changed",
            params: { email: row.email },
            url: `${deps.config.publicUrl}${paths.undoEmailChange(undo)}`,
          },
        },
      });
      await recordAudit(trx, {
        actorId: row.person_id,
        action: "person.email_change",
        targetType: "person",
        targetId: row.person_id,
        before: { email: before.email },
        after: { email: row.email },
      });
    }
  });
}

/**
 * The old address's undo link (single-use, 7 days): the old address comes back, every session and
 * pending link of the account ends (whoever changed it is signed out).
 */
export async function undoEmailChange(deps: AppDeps, token: string) {
  await withTransaction(deps.db, async (trx) => {
    const change = await repo.undoEmailChange(trx, hashToken(token));
    if (!change) throw new AppError("token_invalid");
    const person = await repo.lockAccountEmail(trx, change.person_id);
    try {
      await repo.setVerifiedEmail(trx, change.person_id, change.old_email);
    } catch (error) {
      // The old address has an account of its own by now: nothing to restore to.
      if (uniqueViolation(error) === Constraint.personEmail) throw new AppError("token_invalid");
      throw error;
    }
    await repo.expireTokens(trx, change.person_id);
    await sessions.deletePersonSessions(trx, change.person_id);
    await repo.deletePersonChallenges(trx, change.person_id);
    await recordAudit(trx, {
      actorId: null,
      action: "person.email_change_undone",
      targetType: "person",
      targetId: change.person_id,
      before: { email: person.email },
      after: { email: change.old_email },
    });
  });
}
