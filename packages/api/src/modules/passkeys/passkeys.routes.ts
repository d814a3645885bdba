import {
  Passkey,
  PasskeyOptions,
  PasskeyReauthenticateInput,
  PasskeySignInOptionsInput,
  RegisterPasskeyInput,
  RemovePasskeyInput,
  RenamePasskeyInput,
  TwoFactorRequirement,
} from "@samakki/shared/auth";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import type { CurrentSession } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { pathId } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../lib/route.ts";
import { currentPerson } from "../../lib/service-context.ts";
import * as passkeys from "./passkeys.service.ts";

const tags = ["Account"];
const passkeyParam = z.object({ passkeyId: pathId });

function currentSession(c: { get(key: "session"): CurrentSession | null }): CurrentSession {
  const session = c.get("session");
  if (!session) throw new AppError("unauthenticated");
  return session;
}

/**
 * The browser's WebAuthn answers, checked by our zod schemas for shape and size, are handed to
 * @simplewebauthn/server, which verifies every field it uses; the casts only name its types.
 */
function asRegistration(value: unknown): RegistrationResponseJSON {
  return value as RegistrationResponseJSON;
}
function asAuthentication(value: unknown): AuthenticationResponseJSON {
  return value as AuthenticationResponseJSON;
}

export const passkeyRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/api/auth/sign-in/passkey-options",
      tags,
      summary: "Options for navigator.credentials.get() to finish signing in with a passkey",
      description:
        "For the challenge answered by /api/auth/sign-in when two-factor authentication is on. Send the passkey's answer " +
        "to /api/auth/sign-in/two-factor as `{ challenge, passkey }`. 410 `token_invalid` for an ended challenge, " +
        "409 `two_factor_not_enabled` when the person has no passkey.",
      request: jsonBody(PasskeySignInOptionsInput),
      responses: { 200: jsonResponse(PasskeyOptions), 410: { description: "Challenge expired or ended" } },
    }),
    async (c) => c.json(await passkeys.signInOptions(c.get("deps"), c.req.valid("json").challenge), 200),
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "get",
      path: "/api/me/two-factor/requirement",
      tags,
      summary: "Whether a coalition requires you to have two-factor authentication, and whether you have it",
      description: "While `required` and not `satisfied`, other requests answer 403 `two_factor_required`.",
      responses: { 200: jsonResponse(TwoFactorRequirement) },
    }),
    async (c) => c.json(await passkeys.twoFactorRequirement(c.get("deps").db, currentPerson(c).id), 200),
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "get",
      path: "/api/me/passkeys",
      tags,
      summary: "Your passkeys",
      responses: { 200: jsonResponse(z.array(Passkey)) },
    }),
    async (c) => c.json(await passkeys.listPasskeys(c.get("deps").db, currentPerson(c).id), 200),
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "post",
      path: "/api/me/passkeys/registration-options",
      tags,
      summary: "Options for navigator.credentials.create() to add a passkey (challenge valid 5 minutes, once)",
      responses: { 200: jsonResponse(PasskeyOptions) },
    }),
    async (c) => c.json(PasskeyOptions.parse(await passkeys.registrationOptions(c.get("deps"), currentPerson(c))), 200),
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "post",
      path: "/api/me/passkeys",
      tags,
      summary: "Add a passkey: the authenticator's answer, a name, and your password, a code or another passkey",
      request: jsonBody(RegisterPasskeyInput),
      responses: { 201: jsonResponse(Passkey, "Added") },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const passkey = await passkeys.registerPasskey(c.get("deps"), currentSession(c), {
        ...input,
        response: asRegistration(input.response),
        passkey: input.passkey === undefined ? undefined : asAuthentication(input.passkey),
      });
      return c.json(passkey, 201);
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "post",
      path: "/api/me/passkeys/authentication-options",
      tags,
      summary: "Options for navigator.credentials.get() with one of your passkeys (re-authentication or proof of a change)",
      responses: { 200: jsonResponse(PasskeyOptions) },
    }),
    async (c) => c.json(PasskeyOptions.parse(await passkeys.authenticationOptions(c.get("deps"), currentPerson(c).id)), 200),
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "post",
      path: "/api/me/passkeys/reauthenticate",
      tags,
      summary: "Re-authenticate with a passkey before a sensitive action (valid 15 minutes)",
      request: jsonBody(PasskeyReauthenticateInput),
      responses: { 200: jsonResponse(z.object({ recentAuthUntil: z.string() })) },
    }),
    async (c) => {
      const until = await passkeys.reauthenticateWithPasskey(
        c.get("deps"),
        currentSession(c),
        asAuthentication(c.req.valid("json").response),
      );
      return c.json({ recentAuthUntil: until.toISOString() }, 200);
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "patch",
      path: "/api/me/passkeys/{passkeyId}",
      tags,
      summary: "Rename one of your passkeys",
      request: { params: passkeyParam, ...jsonBody(RenamePasskeyInput) },
      responses: { 200: jsonResponse(Passkey) },
    }),
    async (c) =>
      c.json(await passkeys.renamePasskey(c.get("deps"), currentSession(c), c.req.valid("param").passkeyId, c.req.valid("json").name), 200),
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "delete",
      path: "/api/me/passkeys/{passkeyId}",
      tags,
      summary: "Remove one of your passkeys: needs your password, a code or a passkey in the same request",
      description: "The proof travels in the JSON body of the DELETE, never in the URL (where logs and histories keep it).",
      request: { params: passkeyParam, ...jsonBody(RemovePasskeyInput) },
      responses: { 204: noContent },
    }),
    async (c) => {
      const input = c.req.valid("json");
      await passkeys.removePasskey(c.get("deps"), currentSession(c), c.req.valid("param").passkeyId, {
        ...input,
        passkey: input.passkey === undefined ? undefined : asAuthentication(input.passkey),
      });
      return c.body(null, 204);
    },
  );
