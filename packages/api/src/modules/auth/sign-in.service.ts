import type { Language } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import type { Config } from "../../config.ts";
import { type AppDeps, type CurrentSession, now } from "../../lib/context.ts";
import { generateToken, hashToken, sha256Hex } from "../../lib/crypto.ts";
import { AppError } from "../../lib/errors.ts";
import { RECENT_AUTH_WINDOW_MS } from "../../lib/policy.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { enqueueEmail } from "../email/outbox.ts";
import { hasPasskey, passkeySecondFactor } from "../passkeys/webauthn.ts";
import * as repo from "./auth.repository.ts";
import { describeDevice, issueDeviceCookie, knownDeviceNonce } from "./device.ts";
import { giveBack, keyedCounter, LIMITS, resetKey, take } from "./rate-limit.ts";
import * as sessions from "./sessions.repository.ts";
import { createSession } from "./sessions.service.ts";
import { CHALLENGE_TTL_MS, consumeSecondFactor, MAX_CHALLENGE_ATTEMPTS, verifyStepUp, wrongCode } from "./two-factor.service.ts";

/**
 * Signing in and out: the password, the second step (TOTP, recovery code or passkey), sign-in
 * limits and re-authentication. The account itself is in account.service.ts, email links (reset,
 * verification, undo) in email-links.service.ts, every query in auth.repository.ts.
 */

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

async function signInKeys(db: Executor, config: Config, email: string, meta: RequestMeta): Promise<SignInKeys> {
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
      { key: keyedCounter(config, "signin:address", meta.address), limit: LIMITS.address },
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
type SignInOutcome =
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
  const keys = await signInKeys(db, deps.config, input.email, meta);
  const [failures] = await take(db, keys.limits);

  const person = await repo.findSignInPerson(db, input.email);
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
      await repo.deletePersonChallenges(trx, person.id, true);
      await repo.insertChallenge(trx, {
        tokenHash: hashToken(challenge),
        personId: person.id,
        userAgent: meta.userAgent,
        expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
      });
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
  const knownDevice = await sessions.hasSessionFromAgent(trx, person.id, meta.userAgent);
  const hadSessions = await repo.hasSignedInBefore(trx, person.id);
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
  const found = await repo.liveChallengeEmail(db, tokenHash, MAX_CHALLENGE_ATTEMPTS);
  if (!found) throw new AppError("token_invalid", "unknown, expired or spent two-factor challenge");
  const keys = await signInKeys(db, deps.config, found.email, meta);
  const [failures] = await take(db, keys.limits);

  type Outcome = { kind: "dead" } | { kind: "wrong" } | { kind: "ok"; created: NewSession };
  const outcome = await withTransaction(db, async (trx): Promise<Outcome> => {
    const challenge = await repo.lockLiveChallenge(trx, tokenHash, MAX_CHALLENGE_ATTEMPTS);
    if (!challenge) return { kind: "dead" } as const;
    const person = await repo.findSecondFactor(trx, challenge.person_id);
    if (person.disabled_at || (!person.totp_enabled_at && !(await hasPasskey(trx, person.id)))) {
      await repo.deleteChallenge(trx, challenge.id);
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
      if (attempts >= MAX_CHALLENGE_ATTEMPTS) await repo.deleteChallenge(trx, challenge.id);
      else await repo.setChallengeAttempts(trx, challenge.id, attempts);
      await recordAudit(trx, { actorId: null, action: "auth.two_factor_failed", targetType: "person", targetId: person.id });
      if (!keys.known && failures === LIMITS.account) {
        await enqueueEmail(trx, { to: person.email, language: person.language, message: { template: "lockout", data: {} } });
      }
      return { kind: attempts >= MAX_CHALLENGE_ATTEMPTS ? "dead" : "wrong" } as const;
    }
    await repo.deleteChallenge(trx, challenge.id);
    if (method === "recovery_code") {
      // A recovery code is the fallback when the phone is lost, or a sign of a stolen code sheet: tell the owner.
      await enqueueEmail(trx, {
        to: person.email,
        language: person.language,
        message: {
          template: "notification",
          data: { messageKey: "notifications.recovery_code_used", params: {}, url: `${deps.config.publicUrl}${paths.account()}` },
        },
      });
    }
    const created = await completeSignIn(trx, deps, person, meta, keys, method);
    return { kind: "ok", created } as const;
  });
  // Only a right code gives its attempt back: the wrong one that ends a challenge ("dead") counts.
  if (outcome.kind === "ok") await giveBackAll(db, keys);
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
