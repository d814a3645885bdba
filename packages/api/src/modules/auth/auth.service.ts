import type { Me, NotifyEmail, SessionInfo } from "@samakki/shared/auth";
import type { Language } from "@samakki/shared/i18n/index";
import { sql } from "kysely";
import { Constraint, uniqueViolation } from "../../db/errors.ts";
import { type AppDeps, type CurrentSession, now } from "../../lib/context.ts";
import { generateToken, hashToken, sha256Hex } from "../../lib/crypto.ts";
import { AppError } from "../../lib/errors.ts";
import { RECENT_AUTH_WINDOW_MS } from "../../lib/policy.ts";
import { HOUR } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { enqueueEmail } from "../email/outbox.ts";
import { hasPasskey, passkeySecondFactor } from "../passkeys/webauthn.ts";
import { describeDevice, issueDeviceCookie, knownDeviceNonce } from "./device.ts";
import { meRows } from "./me.repository.ts";
import { isCommonPassword } from "./passwords.ts";
import { giveBack, hit, LIMITS, resetKey, SIGN_IN_WINDOW_SECONDS, take } from "./rate-limit.ts";
import * as sessions from "./sessions.repository.ts";
import { createSession } from "./sessions.service.ts";
import {
  CHALLENGE_TTL_MS,
  consumeSecondFactor,
  deletePersonChallenges,
  MAX_CHALLENGE_ATTEMPTS,
  stepUpProof,
  verifyStepUp,
  wrongCode,
} from "./two-factor.service.ts";

export interface RequestMeta {
  userAgent: string;
  address: string;
  /** The device cookie the browser sent, if any (see device.ts). */
  deviceCookie?: string | undefined;
}

let dummyHash: Promise<string> | undefined;
/** Verifying against a dummy hash makes unknown emails take as long as known ones. */
function getDummyHash(deps: AppDeps) {
  dummyHash ??= deps.passwords.hash("samakki-dummy-password-for-timing");
  return dummyHash;
}

export function assertStrongPassword(password: string, path = "password") {
  if (isCommonPassword(password)) {
    throw new AppError("password_too_weak", "common password", { fieldErrors: [{ path, message: "common" }] });
  }
}

/**
 * The counters a sign-in attempt for `email` is limited by. Lockout policy (docs/security/lockout.md):
 * from a device holding a valid device cookie for this account, only that cookie's counter (10 per
 * 15 minutes); from anywhere else, the account's "unknown devices" counter (10) and the source
 * address's (100). So failures sent by someone who only knows the email never lock the owner's
 * own browser.
 */
type SignInKeys = {
  known: boolean;
  limits: { key: string; limit: number }[];
  /** Reset by a completed sign-in. */
  resetOnSuccess: string;
};

async function signInKeys(db: Executor, email: string, meta: RequestMeta): Promise<SignInKeys> {
  const nonce = await knownDeviceNonce(db, email, meta.deviceCookie);
  if (nonce) {
    const deviceKey = `signin:device:${sha256Hex(nonce)}`;
    return { known: true, limits: [{ key: deviceKey, limit: LIMITS.device }], resetOnSuccess: deviceKey };
  }
  const accountKey = `signin:account:${sha256Hex(email)}`;
  return {
    known: false,
    limits: [
      { key: accountKey, limit: LIMITS.account },
      { key: `signin:address:${sha256Hex(meta.address)}`, limit: LIMITS.address },
    ],
    resetOnSuccess: accountKey,
  };
}

/** A right answer: its counted attempt is given back, so only failures count. */
async function giveBackAll(db: Executor, keys: SignInKeys) {
  for (const { key } of keys.limits) await giveBack(db, key);
}

type NewSession = Awaited<ReturnType<typeof createSession>>;
type CreatedSession = NewSession & { deviceCookie: string };
export type SignInOutcome =
  | { session: CreatedSession; challenge?: undefined }
  | { challenge: string; methods: ("totp" | "passkey")[]; session?: undefined };

/**
 * Email and password. The attempt is counted before the password is checked (rate-limit.ts), so
 * parallel bursts cannot exceed the limits. With two-factor authentication on, a right password
 * creates no session but a challenge (a random token, only its hash stored, 5 minutes) to answer
 * with a code at /api/auth/sign-in/two-factor.
 */
export async function signIn(deps: AppDeps, input: { email: string; password: string }, meta: RequestMeta): Promise<SignInOutcome> {
  const { db } = deps;
  const keys = await signInKeys(db, input.email, meta);
  const [failures] = await take(db, keys.limits);

  const person = await db
    .selectFrom("person")
    .where("email", "=", input.email)
    .select(["id", "password_hash", "disabled_at", "language", "totp_enabled_at"])
    .executeTakeFirst();
  const valid = await deps.passwords.verify(person?.password_hash ?? (await getDummyHash(deps)), input.password);

  if (!person || !valid || person.disabled_at || !person.password_hash) {
    await withTransaction(db, async (trx) => {
      await recordAudit(trx, { actorId: null, action: "auth.sign_in_failed", targetType: "person", targetId: person?.id ?? null });
      if (person && !person.disabled_at && !keys.known && failures === LIMITS.account) {
        await enqueueEmail(trx, { to: input.email, language: person.language, message: { template: "lockout", data: {} } });
      }
    });
    throw new AppError("invalid_credentials");
  }
  await giveBackAll(db, keys);

  // A passkey is a second factor too (passkeys module): then the password alone is not enough either.
  const methods = [
    ...(person.totp_enabled_at ? (["totp"] as const) : []),
    ...((await hasPasskey(db, person.id)) ? (["passkey"] as const) : []),
  ];
  if (methods.length > 0) {
    const challenge = generateToken(20);
    await withTransaction(db, async (trx) => {
      await trx.deleteFrom("two_factor_challenge").where("person_id", "=", person.id).where("expires_at", "<=", new Date()).execute();
      await trx
        .insertInto("two_factor_challenge")
        .values({
          token_hash: hashToken(challenge),
          person_id: person.id,
          user_agent: meta.userAgent.slice(0, 500),
          expires_at: new Date(Date.now() + CHALLENGE_TTL_MS),
        })
        .execute();
    });
    return { challenge, methods };
  }

  const session = await withTransaction(db, (trx) => completeSignIn(trx, deps, { ...person, email: input.email }, meta, keys, "password"));
  return { session: { ...session, deviceCookie: await issueDeviceCookie(db, input.email) } };
}

/** The session and its traces, after every factor was checked. */
async function completeSignIn(
  trx: Executor,
  deps: AppDeps,
  person: { id: string; email: string; language: Language },
  meta: RequestMeta,
  keys: SignInKeys,
  method: "password" | "totp" | "recovery_code" | "passkey",
): Promise<NewSession> {
  const knownDevice = await trx
    .selectFrom("session")
    .where("person_id", "=", person.id)
    .where("user_agent", "=", meta.userAgent.slice(0, 500))
    .select("id")
    .limit(1)
    .executeTakeFirst();
  const hadSessions = await trx
    .selectFrom("audit_event")
    .where("actor_id", "=", person.id)
    .where("action", "=", "auth.sign_in")
    .select("id")
    .limit(1)
    .executeTakeFirst();
  const created = await createSession(trx, deps.config, person.id, meta.userAgent);
  await resetKey(trx, keys.resetOnSuccess);
  await recordAudit(trx, {
    actorId: person.id,
    action: "auth.sign_in",
    targetType: "person",
    targetId: person.id,
    after: { device: describeDevice(meta.userAgent), ...(method === "password" ? {} : { secondFactor: method }) },
  });
  if (!knownDevice && hadSessions) {
    await enqueueEmail(trx, {
      to: person.email,
      language: person.language,
      message: {
        template: "new_sign_in",
        data: { device: describeDevice(meta.userAgent), time: new Date().toISOString(), timeZone: "Asia/Phnom_Penh" },
      },
    });
  }
  return created;
}

/**
 * The second step: a TOTP code (single-use) or a recovery code (single-use) for a live challenge.
 * The challenge row is locked, so at most 5 wrong codes are ever checked against it: the fifth
 * ends it, and a dead, expired or unknown challenge answers 410 `token_invalid` (start again with
 * the password). Each code also counts, before it is checked, as a sign-in attempt of the account
 * (or known device) and the address; a right one gives it back.
 */
export async function signInTwoFactor(
  deps: AppDeps,
  input: { challenge: string; code?: string | undefined; passkey?: unknown },
  meta: RequestMeta,
): Promise<CreatedSession> {
  const { db } = deps;
  const tokenHash = hashToken(input.challenge);
  const found = await db
    .selectFrom("two_factor_challenge as ch")
    .innerJoin("person as p", "p.id", "ch.person_id")
    .where("ch.token_hash", "=", tokenHash)
    .where("ch.expires_at", ">", new Date())
    .where("ch.attempts", "<", MAX_CHALLENGE_ATTEMPTS)
    .select(["p.email"])
    .executeTakeFirst();
  if (!found) throw new AppError("token_invalid", "unknown, expired or spent two-factor challenge");
  const keys = await signInKeys(db, found.email, meta);
  const [failures] = await take(db, keys.limits);

  type Outcome = { kind: "dead" } | { kind: "wrong" } | { kind: "ok"; created: NewSession };
  const outcome = await withTransaction(db, async (trx): Promise<Outcome> => {
    const challenge = await trx
      .selectFrom("two_factor_challenge")
      .where("token_hash", "=", tokenHash)
      .where("expires_at", ">", new Date())
      .where("attempts", "<", MAX_CHALLENGE_ATTEMPTS)
      .select(["id", "person_id", "attempts"])
      .forUpdate()
      .executeTakeFirst();
    if (!challenge) return { kind: "dead" } as const;
    const person = await trx
      .selectFrom("person")
      .where("id", "=", challenge.person_id)
      .select(["id", "email", "language", "disabled_at", "totp_key", "totp_enabled_at", "totp_last_counter"])
      .executeTakeFirstOrThrow();
    if (person.disabled_at || (!person.totp_enabled_at && !(await hasPasskey(trx, person.id)))) {
      await trx.deleteFrom("two_factor_challenge").where("id", "=", challenge.id).execute();
      return { kind: "dead" } as const;
    }
    // A passkey's answer to the sign-in challenge (passkeys/webauthn.ts), or a code; a code only
    // with TOTP enabled (a pending secret from an unfinished setup is no factor).
    const method =
      input.passkey !== undefined
        ? await passkeySecondFactor(trx, deps.config, person.id, input.passkey)
        : person.totp_enabled_at
          ? await consumeSecondFactor(trx, person, input.code ?? "", now(deps))
          : null;
    if (!method) {
      const attempts = challenge.attempts + 1;
      if (attempts >= MAX_CHALLENGE_ATTEMPTS) await trx.deleteFrom("two_factor_challenge").where("id", "=", challenge.id).execute();
      else await trx.updateTable("two_factor_challenge").set({ attempts }).where("id", "=", challenge.id).execute();
      await recordAudit(trx, { actorId: null, action: "auth.two_factor_failed", targetType: "person", targetId: person.id });
      if (!keys.known && failures === LIMITS.account) {
        await enqueueEmail(trx, { to: person.email, language: person.language, message: { template: "lockout", data: {} } });
      }
      return { kind: attempts >= MAX_CHALLENGE_ATTEMPTS ? "dead" : "wrong" } as const;
    }
    await trx.deleteFrom("two_factor_challenge").where("id", "=", challenge.id).execute();
    if (method === "recovery_code") {
      // A recovery code is the fallback when the phone is lost, or a sign of a stolen code sheet: tell the owner.
      await enqueueEmail(trx, {
        to: person.email,
        language: person.language,
        message: {
          template: "notification",
          data: { messageKey: "notifications.recovery_code_used", params: {}, url: `${deps.config.publicUrl}/account` },
        },
      });
    }
    const created = await completeSignIn(trx, deps, person, meta, keys, method);
    return { kind: "ok", created } as const;
  });
  if (outcome.kind !== "wrong") await giveBackAll(db, keys);
  if (outcome.kind === "dead") throw new AppError("token_invalid", "two-factor challenge ended");
  if (outcome.kind === "wrong") throw wrongCode();
  // A new device cookie for this browser (outside the transaction: PGlite has one connection).
  return { ...outcome.created, deviceCookie: await issueDeviceCookie(db, found.email) };
}

export async function signOut(deps: AppDeps, session: CurrentSession) {
  await withTransaction(deps.db, async (trx) => {
    await sessions.deleteSession(trx, session.id);
    await recordAudit(trx, { actorId: session.personId, action: "auth.sign_out", targetType: "session", targetId: session.publicId });
  });
}

/** The password, or for people with two-factor authentication a TOTP code instead (verifyStepUp, limited per person). */
export async function reauthenticate(
  deps: AppDeps,
  session: CurrentSession,
  input: { password?: string | undefined; code?: string | undefined },
) {
  if (input.code !== undefined) await verifyStepUp(deps, session.personId, { totpCode: input.code });
  else await verifyStepUp(deps, session.personId, { password: input.password ?? "" });
  const now = new Date();
  await sessions.markRecentAuth(deps.db, session.id, now);
  return new Date(now.getTime() + RECENT_AUTH_WINDOW_MS);
}

export async function getMe(db: Executor, personId: string, session: CurrentSession): Promise<Me> {
  const { person, organisations, coalitions, memberRows } = await meRows(db, personId);
  const toOrg = (o: (typeof organisations)[number]) => ({
    id: o.id,
    name: o.name,
    shortName: o.short_name,
    role: o.role,
    representative: o.representative,
  });
  const recent = session.recentAuthAt ? new Date(session.recentAuthAt.getTime() + RECENT_AUTH_WINDOW_MS) : null;
  return {
    person: {
      id: person.id,
      email: person.email,
      displayName: person.display_name,
      language: person.language,
      emailVerified: person.email_verified_at !== null,
      notifyEmail: person.notify_email,
      twoFactorEnabled: person.totp_enabled_at !== null,
    },
    coalitions: coalitions.map((c) => ({
      id: c.id,
      slug: c.slug,
      name: c.name,
      timeZone: c.time_zone,
      isCoordinator: Boolean(c.is_coordinator),
      organisations: organisations.filter((o) => memberRows.some((r) => r.coalition_id === c.id && r.organisation_id === o.id)).map(toOrg),
      deletionDueAt: c.deletion_due_at ? new Date(c.deletion_due_at).toISOString() : null,
    })),
    organisations: organisations.map(toOrg),
    recentAuthUntil: recent && recent.getTime() > Date.now() ? recent.toISOString() : null,
    operator: Boolean(person.operator),
  };
}

export async function updateProfile(
  db: Executor,
  personId: string,
  input: { displayName?: string | undefined; language?: Language | undefined; notifyEmail?: NotifyEmail | undefined },
) {
  await db
    .updateTable("person")
    .set({
      ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
      ...(input.language ? { language: input.language } : {}),
      ...(input.notifyEmail ? { notify_email: input.notifyEmail } : {}),
    })
    .where("id", "=", personId)
    .execute();
}

export async function listSessions(db: Executor, session: CurrentSession): Promise<SessionInfo[]> {
  const rows = await sessions.listPersonSessions(db, session.personId, new Date());
  return rows.map((r) => ({
    id: r.public_id,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at.toISOString(),
    device: describeDevice(r.user_agent),
    current: r.id === session.id,
  }));
}

export async function revokeSession(db: Executor, session: CurrentSession, publicId: string) {
  await withTransaction(db, async (trx) => {
    const result = await sessions.deleteSessionByPublicId(trx, session.personId, publicId);
    if (Number(result.numDeletedRows) === 0) throw new AppError("not_found", "session");
    await recordAudit(trx, { actorId: session.personId, action: "session.revoke", targetType: "session", targetId: publicId });
  });
}

export async function revokeOtherSessions(db: Executor, session: CurrentSession) {
  await withTransaction(db, async (trx) => {
    const result = await sessions.deletePersonSessions(trx, session.personId, session.id);
    await recordAudit(trx, {
      actorId: session.personId,
      action: "session.revoke_others",
      targetType: "person",
      targetId: session.personId,
      after: { ended: Number(result.numDeletedRows) },
    });
  });
}

/** Changing the password ends every session, then signs this device in again with a new token. */
export async function changePassword(
  deps: AppDeps,
  session: CurrentSession,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
) {
  assertStrongPassword(input.newPassword, "newPassword");
  await verifyStepUp(deps, session.personId, { password: input.currentPassword }, { password: "currentPassword" });
  const passwordHash = await deps.passwords.hash(input.newPassword);
  return withTransaction(deps.db, async (trx) => {
    await trx.updateTable("person").set({ password_hash: passwordHash }).where("id", "=", session.personId).execute();
    await sessions.deletePersonSessions(trx, session.personId);
    await deletePersonChallenges(trx, session.personId);
    await recordAudit(trx, { actorId: session.personId, action: "auth.password_change", targetType: "person", targetId: session.personId });
    return createSession(trx, deps.config, session.personId, meta.userAgent);
  });
}

const RESET_TTL = HOUR;
const VERIFY_TTL = 24 * HOUR;

async function issueToken(trx: Executor, kind: "password_reset" | "email_verification", personId: string, email: string, ttl: number) {
  const token = generateToken(20);
  // Only the newest link of a kind stays valid.
  await trx
    .updateTable("auth_token")
    .set({ used_at: new Date() })
    .where("person_id", "=", personId)
    .where("kind", "=", kind)
    .where("used_at", "is", null)
    .execute();
  await trx
    .insertInto("auth_token")
    .values({ kind, token_hash: hashToken(token), person_id: personId, email, expires_at: new Date(Date.now() + ttl), used_at: null })
    .execute();
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
  await deps.db.insertInto("password_reset_request").values({ email }).execute();
}

/** No password reset goes to an address that an email change set less than this long ago. */
export const RESET_BLOCK_AFTER_EMAIL_CHANGE_MS = 24 * HOUR;

/**
 * Resolve queued reset requests (a background job): claim a batch with FOR UPDATE SKIP LOCKED in
 * a MATERIALIZED CTE and delete it in the same statement, in the transaction that issues the links,
 * so several instances never send one twice and a crash loses nothing. Only an existing, enabled
 * account gets a link, and not at an address an email change set within 24 hours.
 */
export async function processPasswordResetRequests(deps: AppDeps, batch = 50): Promise<number> {
  const { config } = deps;
  return withTransaction(deps.db, async (trx) => {
    const claimed = await sql<{ email: string }>`
      WITH claimed AS MATERIALIZED (
        SELECT id FROM password_reset_request ORDER BY created_at LIMIT ${batch} FOR UPDATE SKIP LOCKED
      )
      DELETE FROM password_reset_request r USING claimed WHERE r.id = claimed.id
      RETURNING r.email`.execute(trx);
    const emails = [...new Set(claimed.rows.map((r) => r.email))];
    for (const email of emails) {
      const person = await trx
        .selectFrom("person")
        .where("email", "=", email)
        .where("disabled_at", "is", null)
        .select(["id", "language"])
        .executeTakeFirst();
      if (!person) continue;
      const recentChange = await trx
        .selectFrom("email_change")
        .where("person_id", "=", person.id)
        .where("new_email", "=", email)
        .where("undone_at", "is", null)
        .where("created_at", ">", new Date(Date.now() - RESET_BLOCK_AFTER_EMAIL_CHANGE_MS))
        .select("id")
        .executeTakeFirst();
      if (recentChange) {
        await recordAudit(trx, { actorId: null, action: "auth.password_reset_refused", targetType: "person", targetId: person.id });
        continue;
      }
      const token = await issueToken(trx, "password_reset", person.id, email, RESET_TTL);
      await enqueueEmail(trx, {
        to: email,
        language: person.language,
        message: { template: "password_reset", data: { url: `${config.publicUrl}/reset-password?token=${token}` } },
      });
      await recordAudit(trx, { actorId: null, action: "auth.password_reset_requested", targetType: "person", targetId: person.id });
    }
    return claimed.rows.length;
  });
}

async function consumeToken(trx: Executor, kind: "password_reset" | "email_verification", token: string) {
  const row = await trx
    .updateTable("auth_token")
    .set({ used_at: new Date() })
    .where("token_hash", "=", hashToken(token))
    .where("kind", "=", kind)
    .where("used_at", "is", null)
    .where("expires_at", ">", new Date())
    .returning(["person_id", "email"])
    .executeTakeFirst();
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
    const person = await trx.selectFrom("person").where("id", "=", row.person_id).select(["email", "disabled_at"]).executeTakeFirst();
    if (!person || person.disabled_at || person.email !== row.email) throw new AppError("token_invalid");
    await trx
      .updateTable("person")
      .set({ password_hash: passwordHash, email_verified_at: new Date() })
      .where("id", "=", row.person_id)
      .execute();
    // Two-factor authentication stays on (a reset never bypasses it); challenges opened with the old password end.
    await sessions.deletePersonSessions(trx, row.person_id);
    await deletePersonChallenges(trx, row.person_id);
    await recordAudit(trx, { actorId: row.person_id, action: "auth.password_reset", targetType: "person", targetId: row.person_id });
  });
}

export async function sendEmailVerification(deps: AppDeps, trx: Executor, personId: string, email: string, language: Language) {
  const token = await issueToken(trx, "email_verification", personId, email, VERIFY_TTL);
  await enqueueEmail(trx, {
    to: email,
    language,
    message: { template: "email_verification", data: { url: `${deps.config.publicUrl}/verify-email?token=${token}` } },
  });
}

export async function resendEmailVerification(deps: AppDeps, personId: string) {
  const person = await deps.db
    .selectFrom("person")
    .where("id", "=", personId)
    .select(["email", "language", "email_verified_at"])
    .executeTakeFirstOrThrow();
  if (person.email_verified_at) return;
  await withTransaction(deps.db, (trx) => sendEmailVerification(deps, trx, personId, person.email, person.language));
}

export const EMAIL_CHANGE_UNDO_TTL = 7 * 24 * HOUR;

/**
 * Verifying a token sent to a new address also moves the account to that address. The old address
 * is told, with a single-use link to undo the change for 7 days.
 */
export async function verifyEmail(deps: AppDeps, token: string) {
  await withTransaction(deps.db, async (trx) => {
    const row = await consumeToken(trx, "email_verification", token);
    const before = await trx
      .selectFrom("person")
      .where("id", "=", row.person_id)
      .select(["email", "disabled_at", "language"])
      .executeTakeFirstOrThrow();
    // A disabled account's links are dead, like its sessions.
    if (before.disabled_at) throw new AppError("token_invalid");
    try {
      await trx.updateTable("person").set({ email: row.email, email_verified_at: new Date() }).where("id", "=", row.person_id).execute();
    } catch (error) {
      if (uniqueViolation(error) === Constraint.personEmail) throw new AppError("email_taken");
      throw error;
    }
    if (before.email !== row.email) {
      const undo = generateToken(20);
      await trx
        .insertInto("email_change")
        .values({
          person_id: row.person_id,
          old_email: before.email,
          new_email: row.email,
          undo_token_hash: hashToken(undo),
          undo_expires_at: new Date(Date.now() + EMAIL_CHANGE_UNDO_TTL),
          undone_at: null,
        })
        .execute();
      // Always by email to the old address, whatever the notification preference: someone holding a session could be doing this.
      await enqueueEmail(trx, {
        to: before.email,
        language: before.language,
        message: {
          template: "notification",
          data: {
            messageKey: "notifications.email_changed",
            params: { email: row.email },
            url: `${deps.config.publicUrl}/undo-email-change?token=${undo}`,
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
    const change = await trx
      .updateTable("email_change")
      .set({ undone_at: new Date() })
      .where("undo_token_hash", "=", hashToken(token))
      .where("undone_at", "is", null)
      .where("undo_expires_at", ">", new Date())
      .returning(["person_id", "old_email", "new_email"])
      .executeTakeFirst();
    if (!change) throw new AppError("token_invalid");
    const person = await trx
      .selectFrom("person")
      .where("id", "=", change.person_id)
      .select(["email"])
      .forUpdate()
      .executeTakeFirstOrThrow();
    try {
      await trx
        .updateTable("person")
        .set({ email: change.old_email, email_verified_at: new Date() })
        .where("id", "=", change.person_id)
        .execute();
    } catch (error) {
      // The old address has an account of its own by now: nothing to restore to.
      if (uniqueViolation(error) === Constraint.personEmail) throw new AppError("token_invalid");
      throw error;
    }
    await trx
      .updateTable("auth_token")
      .set({ used_at: new Date() })
      .where("person_id", "=", change.person_id)
      .where("used_at", "is", null)
      .execute();
    await sessions.deletePersonSessions(trx, change.person_id);
    await deletePersonChallenges(trx, change.person_id);
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

/**
 * The new address only takes effect once verified through the link sent to it. Needs the password
 * or a second factor in the same request. A taken address answers exactly like a free one (no
 * enumeration): its owner gets an email instead of a link.
 */
export async function requestEmailChange(
  deps: AppDeps,
  personId: string,
  input: { email: string; password?: string | undefined; code?: string | undefined },
) {
  await take(deps.db, [{ key: `email_change:${personId}`, limit: LIMITS.emailChange }]);
  await verifyStepUp(deps, personId, stepUpProof(input));
  const person = await deps.db.selectFrom("person").where("id", "=", personId).select(["language"]).executeTakeFirstOrThrow();
  const taken = await deps.db.selectFrom("person").where("email", "=", input.email).select(["id", "language"]).executeTakeFirst();
  await withTransaction(deps.db, async (trx) => {
    if (!taken) {
      await sendEmailVerification(deps, trx, personId, input.email, person.language);
      return;
    }
    await enqueueEmail(trx, {
      to: input.email,
      language: taken.language,
      message: {
        template: "notification",
        data: { messageKey: "notifications.email_change_taken", params: {}, url: `${deps.config.publicUrl}/forgot-password` },
      },
    });
  });
}
