import type { Passkey, TwoFactorRequirement } from "@samakki/shared/auth";
import * as paths from "@samakki/shared/paths";
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { COSEALG, isoBase64URL } from "@simplewebauthn/server/helpers";
import { uniqueViolation } from "../../db/errors.ts";
import type { AppDeps, CurrentPerson, CurrentSession } from "../../lib/context.ts";
import { hashToken } from "../../lib/crypto.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { RECENT_AUTH_WINDOW_MS } from "../../lib/policy.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { markRecentAuth } from "../auth/sessions.repository.ts";
import { MAX_CHALLENGE_ATTEMPTS, type StepUpMethod, stepUpProof, verifyStepUp } from "../auth/two-factor.service.ts";
import { enqueueEmail } from "../email/outbox.ts";
import * as repo from "./passkeys.repository.ts";
import { findTwoFactorRequirement } from "./two-factor-requirement.repository.ts";
import { invalidPasskey, relyingParty, signedChallenge, WEBAUTHN_CHALLENGE_TTL_MS } from "./webauthn.ts";

/**
 * Passkeys (WebAuthn, docs/security.md §4): a phishing-resistant second factor,
 * also accepted for re-authentication and as the proof a sensitive change needs. The relying
 * party is the app's public URL (its host name is the rpID, its origin the only accepted origin).
 * Challenges live in the database (several API instances), are taken by the answer that uses
 * them (single use) and die after 5 minutes.
 */
const MAX_PASSKEYS = 20;
const RP_NAME = "Samakki";
/**
 * The signature algorithms a new passkey may use: Ed25519, P-256 and RSA, offered and accepted on
 * every runtime. Left to its default, @simplewebauthn offers ML-DSA-44 first wherever Node's Web
 * Crypto has it (Node 24, as an experimental API with a warning on stderr) and not elsewhere (Node 20),
 * so a passkey registered on one server could fail to verify on another.
 */
const PASSKEY_ALGORITHMS = [COSEALG.EdDSA, COSEALG.ES256, COSEALG.RS256];

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

/**
 * A passkey added or removed changes how the account can be entered: always tell the owner by email,
 * whatever their notification preference (someone holding a session and the password could be doing it).
 */
async function securityNotice(
  trx: Executor,
  deps: AppDeps,
  personId: string,
  messageKey: "notifications.passkey_added" | "notifications.passkey_removed",
  name: string,
) {
  const person = await repo.personContact(trx, personId);
  await enqueueEmail(trx, {
    to: person.email,
    language: person.language,
    message: { template: "notification", data: { messageKey, params: { name }, url: `${deps.config.publicUrl}${paths.account()}` } },
  });
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
    supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
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

/**
 * Options for a passkey as the second step of signing in: for a live two-factor challenge from the
 * password step (the challenge token is the proof of the password). 410 for an ended challenge.
 */
export async function signInOptions(deps: AppDeps, challengeToken: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const found = await repo.findSignInChallengePerson(deps.db, hashToken(challengeToken), MAX_CHALLENGE_ATTEMPTS);
  if (!found) throw new AppError("token_invalid", "unknown, expired or spent two-factor challenge");
  return authenticationOptionsFor(deps, found.id, "sign_in");
}

export function authenticationOptions(deps: AppDeps, personId: string) {
  return authenticationOptionsFor(deps, personId, "authenticate");
}

interface StepUp {
  password?: string | undefined;
  code?: string | undefined;
  passkey?: AuthenticationResponseJSON | undefined;
}

/**
 * The proof a sensitive change needs in the same request: the password, a TOTP or recovery code
 * (single use), or a passkey's answer to an authentication challenge. The auth module's one
 * step-up check (verifyStepUp), limited per person like re-authentication.
 */
function verifyProof(deps: AppDeps, session: CurrentSession, proof: StepUp): Promise<StepUpMethod> {
  return verifyStepUp(deps, session.personId, stepUpProof(proof));
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
      supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
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
      await securityNotice(trx, deps, personId, "notifications.passkey_added", row.name);
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
  if (!(await repo.ownsPasskey(deps.db, session.personId, id))) throw notFound("passkey");
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
    await securityNotice(trx, deps, session.personId, "notifications.passkey_removed", row.name);
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
