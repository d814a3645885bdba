import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { api } from "../../../lib/api-client.ts";
// zod/mini: this is the first screen (lib/first-screen-schemas.ts).
import { Me, PasskeyOptions } from "../../../lib/first-screen-schemas.ts";

/**
 * The server's options come from @simplewebauthn/server's generateAuthenticationOptions(), in the
 * JSON form @simplewebauthn/browser takes; our schema checks only the challenge, so name the type here.
 */
function asRequestOptions(options: unknown): PublicKeyCredentialRequestOptionsJSON {
  return options as PublicKeyCredentialRequestOptionsJSON;
}

/** The second step of signing in with a passkey instead of a code, for the password step's challenge. */
export async function signInWithPasskey(challenge: string) {
  const { startAuthentication } = await import("@simplewebauthn/browser");
  const options = await api.postFor("/api/auth/sign-in/passkey-options", { challenge }, PasskeyOptions);
  const passkey = await startAuthentication({ optionsJSON: asRequestOptions(options) });
  return api.postFor("/api/auth/sign-in/two-factor", { challenge, passkey }, Me);
}
