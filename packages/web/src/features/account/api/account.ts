import { Me, RecoveryCodes, SessionInfo, TwoFactorSetup } from "@samakki/shared/auth";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../../lib/api-client.ts";

export const sessionsQuery = queryOptions({
  queryKey: ["me", "sessions"],
  queryFn: () => api.get("/api/me/sessions", z.array(SessionInfo)),
});

export function updateProfile(input: { displayName?: string; language?: "en" | "km"; notifyEmail?: "immediate" | "daily" | "off" }) {
  return api.patchFor("/api/me", input, Me);
}

export function changePassword(input: { currentPassword: string; newPassword: string }) {
  return api.post("/api/me/password", input);
}

export function changeEmail(email: string) {
  return api.post("/api/me/email", { email });
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

export function regenerateRecoveryCodes() {
  return api.postFor("/api/me/two-factor/recovery-codes", {}, RecoveryCodes);
}
