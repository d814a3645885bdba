import type { PasswordResetConfirmInput, SignInInput, SignInTwoFactorInput } from "@samakki/shared/auth";
import type { z } from "zod";
import { api } from "../../../lib/api-client.ts";
// zod/mini: this is the first screen (lib/first-screen-schemas.ts).
import { Me, SignInResult } from "../../../lib/first-screen-schemas.ts";

/** Either the signed-in person, or `{ twoFactor: { challenge } }` when the account asks for a code. */
export function signIn(input: z.input<typeof SignInInput>) {
  return api.postFor("/api/auth/sign-in", input, SignInResult);
}

/** The second step: a 6-digit code or a recovery code for the challenge from signIn. */
export function signInTwoFactor(input: z.input<typeof SignInTwoFactorInput>) {
  return api.postFor("/api/auth/sign-in/two-factor", input, Me);
}

export function requestPasswordReset(email: string) {
  return api.post("/api/auth/password-reset", { email });
}

export function confirmPasswordReset(input: z.input<typeof PasswordResetConfirmInput>) {
  return api.post("/api/auth/password-reset/confirm", input);
}

export function verifyEmail(token: string) {
  return api.post("/api/auth/verify-email", { token });
}

/** The old address's link after an email change: restores it and signs out everywhere. */
export function undoEmailChange(token: string) {
  return api.post("/api/auth/undo-email-change", { token });
}

/** Only same-site paths may follow sign-in, never another origin (`//host`, `/\host`). */
export function safeNext(next: string | null): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/";
}
