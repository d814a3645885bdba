import type { Passkey, TwoFactorRequirement } from "@samakki/shared/auth";
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { decodeClientDataJSON, isoBase64URL } from "@simplewebauthn/server/helpers";
import type { Config } from "../../config.ts";
import { uniqueViolation } from "../../db/errors.ts";
import type { AppDeps, CurrentPerson, CurrentSession } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { RECENT_AUTH_WINDOW_MS } from "../../lib/policy.ts";
import { MINUTE } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { markRecentAuth } from "../auth/sessions.repository.ts";
import { consumeSecondFactor, limitedCheck, wrongCode } from "../auth/two-factor.service.ts";
import * as repo from "./passkeys.repository.ts";
import { findTwoFactorRequirement } from "./two-factor-requirement.repository.ts";

/**
 * Passkeys (WebAuthn, security.md "Accounts and sessions"): a phishing-resistant second factor,
 * also accepted for re-authentication and as the proof a sensitive change needs. The relying
 * party is the app's public URL (its host name is the rpID, its origin the only accepted origin).
 * Challenges live in the database (several API instances), are taken by the answer that uses
 * them (single use) and die after 5 minutes.
 */
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * MINUTE;
export const MAX_PASSKEYS = 20;
const RP_NAME = "Samakki";

export function relyingParty(config: Config) {
  const url = new URL(config.publicUrl);
  return { rpID: url.hostname, origin: url.origin };
}

type PasskeyRow = {
  id: string;
  name: string;
  device_type: "singleDevice" | "multiDevice";
  backed_up: boolean;
  created_at: Date;
  last_used_at: Date | null;
};

function toPasskey(row: PasskeyRow): Passkey {
  return {
    id: row.id,
    name: row.name,
    deviceType: row.device_type,
    backedUp: row.backed_up,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

/** The challenge the browser signed, read from clientDataJSON (checked again by the library). */
function signedChallenge(clientDataJSON: string): string {
  try {
    const challenge = decodeClientDataJSON(clientDataJSON).challenge;
    if (typeof challenge === "string" && challenge.length > 0 && challenge.length <= 200) return challenge;
  } catch {
    // fall through: malformed client data
  }
  throw invalidPasskey("malformed client data");
}

function invalidPasskey(message: string, path = "response"): AppError {
  return new AppError("passkey_invalid", message, { fieldErrors: [{ path, message: "invalid" }] });
}

export async function twoFactorRequirement(db: Executor, personId: string): Promise<TwoFactorRequirement> {
  return findTwoFactorRequirement(db, personId);
}

export async function listPasskeys(db: Executor, personId: string): Promise<Passkey[]> {
  return (await repo.listPasskeys(db, personId)).map(toPasskey);
}

/** Options for navigator.credentials.create(); the person's passkeys are excluded (one per authenticator). */
export async function registrationOptions(deps: AppDeps, person: CurrentPerson): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await repo.listPasskeys(deps.db, person.id);
  if (existing.length >= MAX_PASSKEYS) throw new AppError("conflict", "too many passkeys");
  const { rpID } = relyingParty(deps.config);
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID,
    userName: person.email,
    userDisplayName: person.displayName,
    userID: new TextEncoder().encode(person.id),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
    timeout: WEBAUTHN_CHALLENGE_TTL_MS,
  });
  await withTransaction(deps.db, async (trx) => {
    await repo.deleteChallenges(trx, person.id, "register");
    await repo.insertChallenge(trx, {
      personId: person.id,
      challenge: options.challenge,
      purpose: "register",
      expiresAt: new Date(Date.now() + WEBAUTHN_CHALLENGE_TTL_MS),
    });
  });
  return options;
}

/** Options for navigator.credentials.get() limited to the person's passkeys (re-authentication, step-up, sign-in). */
async function authenticationOptionsFor(
  deps: AppDeps,
  personId: string,
  purpose: "authenticate" | "sign_in",
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await repo.listPasskeys(deps.db, personId);
  if (passkeys.length === 0) throw new AppError("two_factor_not_enabled", "no passkey");
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(deps.config).rpID,
    allowCredentials: passkeys.map((p) => ({ id: p.credential_id, transports: p.transports })),
    userVerification: "preferred",
    timeout: WEBAUTHN_CHALLENGE_TTL_MS,
  });
  await withTransaction(deps.db, async (trx) => {
    await repo.deleteChallenges(trx, personId, purpose);
    await repo.insertChallenge(trx, {
      personId,
      challenge: options.challenge,
      purpose,
      expiresAt: new Date(Date.now() + WEBAUTHN_CHALLENGE_TTL_MS),
    });
  });
  return options;
}

export function authenticationOptions(deps: AppDeps, personId: string) {
  return authenticationOptionsFor(deps, personId, "authenticate");
}

/**
 * Check a passkey's answer to a live challenge of `purpose` that was given to this person: taken
 * first (single use, even when the answer is wrong), then the signature, origin, rpID and counter.
 * Records the new counter and backup state. Returns false for any wrong answer.
 */
export async function checkPasskeyAssertion(
  deps: AppDeps,
  personId: string,
  response: AuthenticationResponseJSON,
  purpose: "authenticate" | "sign_in",
): Promise<boolean> {
  const challenge = signedChallenge(response.response.clientDataJSON);
  if (!(await repo.takeChallenge(deps.db, personId, challenge, purpose))) return false;
  const passkey = await repo.findPasskeyByCredential(deps.db, personId, response.id);
  if (!passkey) return false;
  const { rpID, origin } = relyingParty(deps.config);
  const previousCounter = Number(passkey.counter);
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.credential_id,
        publicKey: isoBase64URL.toBuffer(passkey.public_key),
        counter: previousCounter,
        transports: passkey.transports as AuthenticatorTransportName[],
      },
      requireUserVerification: false,
    });
  } catch {
    return false;
  }
  if (!verification.verified) return false;
  return repo.recordPasskeyUse(deps.db, passkey.id, {
    previousCounter,
    counter: verification.authenticationInfo.newCounter,
    backedUp: verification.authenticationInfo.credentialBackedUp,
    at: new Date(),
  });
}

type AuthenticatorTransportName = "ble" | "cable" | "hybrid" | "internal" | "nfc" | "smart-card" | "usb";

export interface StepUp {
  password?: string | undefined;
  code?: string | undefined;
  passkey?: AuthenticationResponseJSON | undefined;
}

/**
 * The proof a sensitive change needs in the same request: the password, a TOTP or recovery code
 * (single use), or a passkey's answer to an authentication challenge. Wrong answers count
 * against the person's re-authentication limit.
 */
export async function verifyProof(
  deps: AppDeps,
  session: CurrentSession,
  proof: StepUp,
): Promise<"password" | "totp" | "recovery_code" | "passkey"> {
  const personId = session.personId;
  if (proof.passkey !== undefined) {
    const response = proof.passkey;
    return limitedCheck(
      deps,
      personId,
      async () => ((await checkPasskeyAssertion(deps, personId, response, "authenticate")) ? ("passkey" as const) : null),
      () => invalidPasskey("passkey proof refused", "passkey"),
    );
  }
  if (proof.code !== undefined) {
    const code = proof.code;
    return limitedCheck(
      deps,
      personId,
      async () => {
        const person = await deps.db
          .selectFrom("person")
          .where("id", "=", personId)
          .select(["id", "totp_key", "totp_enabled_at", "totp_last_counter"])
          .executeTakeFirstOrThrow();
        return person.totp_enabled_at ? consumeSecondFactor(deps.db, person, code) : null;
      },
      wrongCode,
    );
  }
  const password = proof.password ?? "";
  return limitedCheck(
    deps,
    personId,
    async () => {
      const person = await deps.db.selectFrom("person").where("id", "=", personId).select("password_hash").executeTakeFirstOrThrow();
      return person.password_hash && (await deps.passwords.verify(person.password_hash, password)) ? ("password" as const) : null;
    },
    () => new AppError("invalid_credentials", "wrong password", { fieldErrors: [{ path: "password", message: "invalid" }] }),
  );
}

/** Verify the authenticator's answer to the registration challenge and keep the passkey. */
export async function registerPasskey(
  deps: AppDeps,
  session: CurrentSession,
  input: { name: string; response: RegistrationResponseJSON } & StepUp,
): Promise<Passkey> {
  const method = await verifyProof(deps, session, input);
  const personId = session.personId;
  const challenge = signedChallenge(input.response.response.clientDataJSON);
  if (!(await repo.takeChallenge(deps.db, personId, challenge, "register"))) throw invalidPasskey("unknown, used or expired challenge");
  const { rpID, origin } = relyingParty(deps.config);
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
  } catch {
    throw invalidPasskey("registration refused");
  }
  if (!verification.verified) throw invalidPasskey("registration refused");
  const info = verification.registrationInfo;
  try {
    return await withTransaction(deps.db, async (trx) => {
      if ((await repo.countPasskeys(trx, personId)) >= MAX_PASSKEYS) throw new AppError("conflict", "too many passkeys");
      const row = await repo.insertPasskey(trx, {
        personId,
        credentialId: info.credential.id,
        publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name: input.name,
      });
      await recordAudit(trx, {
        actorId: personId,
        action: "auth.passkey_added",
        targetType: "passkey",
        targetId: row.id,
        after: { name: row.name, proof: method },
      });
      return toPasskey(row);
    });
  } catch (error) {
    if (uniqueViolation(error) === "passkey_credential_id_key") throw new AppError("conflict", "passkey already registered");
    throw error;
  }
}

export async function renamePasskey(deps: AppDeps, session: CurrentSession, id: string, name: string): Promise<Passkey> {
  return withTransaction(deps.db, async (trx) => {
    const row = await repo.renamePasskey(trx, session.personId, id, name);
    if (!row) throw notFound("passkey");
    await recordAudit(trx, {
      actorId: session.personId,
      action: "auth.passkey_renamed",
      targetType: "passkey",
      targetId: id,
      after: { name },
    });
    return toPasskey(row);
  });
}

/** Removing a passkey needs a proof in the same request (and it is refused for someone else's: 404). */
export async function removePasskey(deps: AppDeps, session: CurrentSession, id: string, proof: StepUp) {
  const exists = await deps.db
    .selectFrom("passkey")
    .where("id", "=", id)
    .where("person_id", "=", session.personId)
    .select("id")
    .executeTakeFirst();
  if (!exists) throw notFound("passkey");
  const method = await verifyProof(deps, session, proof);
  await withTransaction(deps.db, async (trx) => {
    const row = await repo.deletePasskey(trx, session.personId, id);
    if (!row) throw notFound("passkey");
    await recordAudit(trx, {
      actorId: session.personId,
      action: "auth.passkey_removed",
      targetType: "passkey",
      targetId: id,
      before: { name: row.name },
      after: { proof: method },
    });
  });
}

/** Re-authentication with a passkey instead of the password (valid 15 minutes, like the password). */
export async function reauthenticateWithPasskey(
  deps: AppDeps,
  session: CurrentSession,
  response: AuthenticationResponseJSON,
): Promise<Date> {
  await verifyProof(deps, session, { passkey: response });
  const now = new Date();
  await markRecentAuth(deps.db, session.id, now);
  return new Date(now.getTime() + RECENT_AUTH_WINDOW_MS);
}
