import { PasskeyOptions } from "@samakki/shared/auth";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { z } from "zod";
import { api } from "./api-client.ts";

/**
 * The server's options come from @simplewebauthn/server's generateAuthenticationOptions(), in the
 * JSON form @simplewebauthn/browser takes; our schema checks only the challenge, so name the type here.
 */
function asRequestOptions(options: unknown): PublicKeyCredentialRequestOptionsJSON {
  return options as PublicKeyCredentialRequestOptionsJSON;
}

/** Re-authenticate with one of the person's passkeys (valid 15 minutes, like the password). */
export async function reauthenticateWithPasskey(): Promise<void> {
  const { startAuthentication } = await import("@simplewebauthn/browser");
  const options = await api.postFor("/api/me/passkeys/authentication-options", {}, PasskeyOptions);
  const response = await startAuthentication({ optionsJSON: asRequestOptions(options) });
  await api.postFor("/api/me/passkeys/reauthenticate", { response }, z.object({ recentAuthUntil: z.string() }));
}

/** Whether this browser can use passkeys at all. */
export function passkeysSupported(): boolean {
  return typeof window !== "undefined" && "PublicKeyCredential" in window;
}
