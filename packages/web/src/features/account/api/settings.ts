import {
  type ChangePasswordInput,
  Me,
  Passkey,
  PasskeyOptions,
  RecoveryCodes,
  SessionInfo,
  TwoFactorSetup,
  type UpdateProfileInput,
} from "@samakki/shared/auth";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../../lib/api-client.ts";

/**
 * The account page's requests (profile, password, email, sessions, two-factor, passkeys). Their own
 * module, imported by the account page's lazy chunk only, like calendar-feed.ts: account.ts is on
 * the first screen (the two-factor gate), and what it holds is in the sign-in JS.
 */

export const sessionsQuery = queryOptions({
  queryKey: ["me", "sessions"],
  queryFn: () => api.get("/api/me/sessions", z.array(SessionInfo)),
});

export function updateProfile(input: z.input<typeof UpdateProfileInput>) {
  return api.patchFor("/api/me", input, Me);
}

export function changePassword(input: z.input<typeof ChangePasswordInput>) {
  return api.post("/api/me/password", input);
}

/** Needs the password or a code in the same request (see StepUpField). */
export function changeEmail(email: string, proof: Proof) {
  return api.post("/api/me/email", { email, ...proof });
}

export function resendVerification() {
  return api.post("/api/me/email/verification");
}

export function revokeSession(id: string) {
  return api.delete(`/api/me/sessions/${id}`);
}

export function revokeOtherSessions() {
  return api.post("/api/me/sessions/revoke-others");
}

export function setupTwoFactor() {
  return api.postFor("/api/me/two-factor/setup", {}, TwoFactorSetup);
}

/** Answers the recovery codes, shown once. */
export function enableTwoFactor(code: string) {
  return api.postFor("/api/me/two-factor/enable", { code }, RecoveryCodes);
}

export function disableTwoFactor(code: string) {
  return api.post("/api/me/two-factor/disable", { code });
}

/** Needs the password or a code in the same request (see StepUpField). */
export function regenerateRecoveryCodes(proof: Proof) {
  return api.postFor("/api/me/two-factor/recovery-codes", proof, RecoveryCodes);
}

// Passkeys and the coalition's two-factor requirement.

/**
 * The server's options are made by @simplewebauthn/server's generateRegistrationOptions(), in the
 * JSON form @simplewebauthn/browser takes; our schema checks only the challenge, so name the type here.
 */
function asCreationOptions(options: unknown): PublicKeyCredentialCreationOptionsJSON {
  return options as PublicKeyCredentialCreationOptionsJSON;
}

export const passkeysQuery = queryOptions({
  queryKey: ["me", "passkeys"],
  queryFn: () => api.get("/api/me/passkeys", z.array(Passkey)),
});

/** Proof given with a sensitive change: the password or a TOTP/recovery code. */
export type Proof = { password: string } | { code: string };

/** Ask the browser for a new passkey and register it under `name`. */
export async function addPasskey(name: string, proof: Proof) {
  const { startRegistration } = await import("@simplewebauthn/browser");
  const options = await api.postFor("/api/me/passkeys/registration-options", {}, PasskeyOptions);
  const response = await startRegistration({ optionsJSON: asCreationOptions(options) });
  return api.postFor("/api/me/passkeys", { name, response, ...proof }, Passkey);
}

export function renamePasskey(id: string, name: string) {
  return api.patchFor(`/api/me/passkeys/${id}`, { name }, Passkey);
}

export function removePasskey(id: string, proof: Proof) {
  return api.delete(`/api/me/passkeys/${id}`, proof);
}
