import type { AuthenticationResponseJSON, AuthenticatorTransport } from "@simplewebauthn/server";
import { verifyAuthenticationResponse } from "@simplewebauthn/server";
import { decodeClientDataJSON, isoBase64URL } from "@simplewebauthn/server/helpers";
import { type Config, publicUrlOf } from "../../config.ts";
import { AppError } from "../../lib/errors.ts";
import { MINUTE } from "../../lib/time.ts";
import type { Executor } from "../../lib/transaction.ts";
import * as repo from "./passkeys.repository.ts";

/**
 * WebAuthn checks shared by the passkey routes, re-authentication, step-up and sign-in. The relying
 * party is the app's public URL: its host name is the rpID, its origin the only accepted origin.
 * Imports nothing from the auth module, so the auth module can use it.
 */
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * MINUTE;

export function relyingParty(config: Config) {
  const url = publicUrlOf(config);
  return { rpID: url.hostname, origin: url.origin };
}

/** The challenge the browser signed, read from clientDataJSON (checked again by the library). */
export function signedChallenge(clientDataJSON: string): string {
  try {
    const challenge = decodeClientDataJSON(clientDataJSON).challenge;
    if (typeof challenge === "string" && challenge.length > 0 && challenge.length <= 200) return challenge;
  } catch {
    // fall through: malformed client data
  }
  throw invalidPasskey("malformed client data");
}

export function invalidPasskey(message: string, path = "response"): AppError {
  return new AppError("passkey_invalid", message, { fieldErrors: [{ path, message: "invalid" }] });
}

/**
 * Check a passkey's answer to a live challenge of `purpose` that was given to this person: taken
 * first (single use, even when the answer is wrong), then the signature, origin, rpID and counter.
 * Records the new counter and backup state. Returns false for any wrong answer.
 */
export async function checkPasskeyAssertion(
  db: Executor,
  config: Config,
  personId: string,
  response: AuthenticationResponseJSON,
  purpose: "authenticate" | "sign_in",
): Promise<boolean> {
  let challenge: string;
  try {
    challenge = signedChallenge(response.response.clientDataJSON);
  } catch {
    return false;
  }
  if (!(await repo.takeChallenge(db, personId, challenge, purpose))) return false;
  const passkey = await repo.findPasskeyByCredential(db, personId, response.id);
  if (!passkey) return false;
  const { rpID, origin } = relyingParty(config);
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
        transports: asTransports(passkey.transports),
      },
      requireUserVerification: false,
    });
  } catch {
    return false;
  }
  if (!verification.verified) return false;
  return repo.recordPasskeyUse(db, passkey.id, {
    previousCounter,
    counter: verification.authenticationInfo.newCounter,
    backedUp: verification.authenticationInfo.credentialBackedUp,
    at: new Date(),
  });
}

/**
 * A passkey as the second step of signing in (sign-in.service's signInTwoFactor): the answer to the
 * sign-in challenge handed out by /api/auth/sign-in/passkey-options. Runs in the caller's transaction.
 */
export async function passkeySecondFactor(db: Executor, config: Config, personId: string, response: unknown): Promise<"passkey" | null> {
  return (await checkPasskeyAssertion(db, config, personId, asAuthenticationResponse(response), "sign_in")) ? "passkey" : null;
}

/**
 * A browser's answer as parsed by the shared PasskeyAuthenticationResponse schema (shape and sizes);
 * @simplewebauthn/server verifies every field it reads, so naming its type here is safe.
 */
export function asAuthenticationResponse(value: unknown): AuthenticationResponseJSON {
  return value as AuthenticationResponseJSON;
}

/** Whether the person has a passkey (then signing in asks for a second factor, as with TOTP). */
export async function hasPasskey(db: Executor, personId: string): Promise<boolean> {
  return (await repo.countPasskeys(db, personId)) > 0;
}

/** The transports were stored from the authenticator's own list at registration; the library only passes them back to the browser. */
function asTransports(values: string[]): AuthenticatorTransport[] {
  return values as AuthenticatorTransport[];
}
