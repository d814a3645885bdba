import {
  ChangeEmailInput,
  ChangePasswordInput,
  DisableTwoFactorInput,
  EnableTwoFactorInput,
  Me,
  PasswordResetConfirmInput,
  PasswordResetRequestInput,
  ReauthenticateInput,
  RecoveryCodes,
  RegenerateRecoveryCodesInput,
  SessionInfo,
  SignInInput,
  SignInResult,
  SignInTwoFactorInput,
  TwoFactorSetup,
  UndoEmailChangeInput,
  UpdateProfileInput,
  VerifyEmailInput,
} from "@samakki/shared/auth";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv, CurrentPerson, CurrentSession } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { pathId } from "../../lib/params.ts";
import { policies, requireRecentAuth } from "../../lib/policy.ts";
import { requestMeta } from "../../lib/request-meta.ts";
import { createRouter, defineRoute, errorResponse, jsonBody, jsonResponse, noContent } from "../../lib/route.ts";
import * as account from "./account.service.ts";
import { DEVICE_COOKIE_MAX_AGE_SECONDS } from "./device.ts";
import * as links from "./email-links.service.ts";
import { clearSessionCookie, readDeviceCookie, setDeviceCookie, setSessionCookie } from "./sessions.service.ts";
import * as signIn from "./sign-in.service.ts";
import * as twoFactor from "./two-factor.service.ts";

const tags = ["Account"];
/**
 * The request's session and person. Not the `signedIn` policy (which refuses a request without
 * them before the handler runs): this reads them, typed as present, in a handler behind it.
 */
const requireSession = (c: { get(key: "session"): CurrentSession | null; get(key: "person"): CurrentPerson | null }) => {
  const session = c.get("session");
  const person = c.get("person");
  if (!session || !person) throw new AppError("unauthenticated");
  return { session, person };
};

/** The request's address, user agent and device cookie, for sign-in limits. */
const signInMeta = (c: Context<AppEnv>) => ({ ...requestMeta(c), deviceCookie: readDeviceCookie(c) });

/** Set the new session's cookie and answer with the person, as every way of signing in does. */
async function signedInAnswer(
  c: Context<AppEnv>,
  created: { token: string; publicId: string; absoluteExpiresAt: Date; deviceCookie: string },
) {
  const deps = c.get("deps");
  setSessionCookie(c, created.token, created.absoluteExpiresAt);
  setDeviceCookie(c, created.deviceCookie, DEVICE_COOKIE_MAX_AGE_SECONDS);
  return account.meForNewSession(deps.db, created.publicId);
}

export const authRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/api/auth/sign-in",
      tags,
      summary: "Sign in with email and password",
      description:
        "Answers the signed-in person (`Me`) with a session cookie, or, when two-factor authentication is on, " +
        "`{ twoFactor: { challenge, methods } }` and no session: send the challenge with a code (or a passkey's answer) to /api/auth/sign-in/two-factor within 5 minutes.",
      request: jsonBody(SignInInput),
      responses: {
        200: jsonResponse(SignInResult),
        429: errorResponse("Too many failed attempts (`rate_limited`): try again after the `Retry-After` header's seconds"),
      },
    }),
    async (c) => {
      const outcome = await signIn.signIn(c.get("deps"), c.req.valid("json"), signInMeta(c));
      if (outcome.challenge !== undefined) return c.json({ twoFactor: { challenge: outcome.challenge, methods: outcome.methods } }, 200);
      return c.json(await signedInAnswer(c, outcome.session), 200);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/api/auth/sign-in/two-factor",
      tags,
      summary: "Finish signing in with a TOTP code or a recovery code",
      description:
        "Each code works once. A wrong code answers 401 `two_factor_code_invalid`; the fifth wrong code ends the challenge, " +
        "and an ended, expired or unknown challenge answers 410 `token_invalid` (sign in with the password again).",
      request: jsonBody(SignInTwoFactorInput),
      responses: {
        200: jsonResponse(Me),
        410: errorResponse("Challenge expired, used or ended after 5 wrong codes"),
        429: errorResponse("Too many failed attempts (`rate_limited`): try again after the `Retry-After` header's seconds"),
      },
    }),
    async (c) => {
      const created = await signIn.signInTwoFactor(c.get("deps"), c.req.valid("json"), signInMeta(c));
      return c.json(await signedInAnswer(c, created), 200);
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "post",
      path: "/api/auth/sign-out",
      tags,
      summary: "Sign out this device",
      responses: { 204: noContent },
    }),
    async (c) => {
      await signIn.signOut(c.get("deps"), requireSession(c).session);
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "post",
      path: "/api/auth/reauthenticate",
      tags,
      summary: "Re-enter the password, or a TOTP code, before a sensitive action (valid 15 minutes)",
      request: jsonBody(ReauthenticateInput),
      responses: { 200: jsonResponse(z.object({ recentAuthUntil: z.string() })) },
    }),
    async (c) => {
      const until = await signIn.reauthenticate(c.get("deps"), requireSession(c).session, c.req.valid("json"));
      return c.json({ recentAuthUntil: until.toISOString() }, 200);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/api/auth/password-reset",
      tags,
      summary: "Email a password reset link (same answer for unknown emails)",
      request: jsonBody(PasswordResetRequestInput),
      responses: { 202: { description: "Accepted" } },
    }),
    async (c) => {
      await links.requestPasswordReset(c.get("deps"), c.req.valid("json").email);
      return c.body(null, 202);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/api/auth/password-reset/confirm",
      tags,
      summary: "Set a new password with a reset link's token",
      request: jsonBody(PasswordResetConfirmInput),
      responses: { 204: noContent, 410: errorResponse("Link expired or used") },
    }),
    async (c) => {
      await links.confirmPasswordReset(c.get("deps"), c.req.valid("json"));
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/api/auth/verify-email",
      tags,
      summary: "Confirm an email address with the emailed token",
      request: jsonBody(VerifyEmailInput),
      responses: { 204: noContent, 410: errorResponse("Link expired or used") },
    }),
    async (c) => {
      await links.verifyEmail(c.get("deps"), c.req.valid("json").token);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/api/auth/undo-email-change",
      tags,
      summary: "Undo an email change with the link sent to the old address (single-use, 7 days); ends every session",
      request: jsonBody(UndoEmailChangeInput),
      responses: { 204: noContent, 410: errorResponse("Link expired or used") },
    }),
    async (c) => {
      await links.undoEmailChange(c.get("deps"), c.req.valid("json").token);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "get",
      path: "/api/me",
      tags,
      summary: "The signed-in person, their coalitions and organisations",
      responses: { 200: jsonResponse(Me) },
    }),
    async (c) => {
      const { session, person } = requireSession(c);
      return c.json(await account.getMe(c.get("deps").db, person.id, session), 200);
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "patch",
      path: "/api/me",
      tags,
      summary: "Change display name or language",
      request: jsonBody(UpdateProfileInput),
      responses: { 200: jsonResponse(Me) },
    }),
    async (c) => {
      const { session, person } = requireSession(c);
      const db = c.get("deps").db;
      await account.updateProfile(db, person.id, c.req.valid("json"));
      return c.json(await account.getMe(db, person.id, session), 200);
    },
  )
  .openapi(
    defineRoute(
      policies.signedIn(),
      {
        method: "post",
        path: "/api/me/email",
        tags,
        summary: "Change email: sends a confirmation link to the new address (needs the password or a code in the request)",
        description:
          "Answers 202 whether or not the address is free (the owner of a taken address is told by email instead). " +
          "Once the new address is confirmed, the old one gets a link to undo the change for 7 days.",
        request: jsonBody(ChangeEmailInput),
        responses: { 202: { description: "Link sent" } },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => {
      await account.requestEmailChange(c.get("deps"), requireSession(c).person.id, c.req.valid("json"));
      return c.body(null, 202);
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "post",
      path: "/api/me/email/verification",
      tags,
      summary: "Send the email verification link again",
      responses: { 202: { description: "Sent" } },
    }),
    async (c) => {
      await links.resendEmailVerification(c.get("deps"), requireSession(c).person.id);
      return c.body(null, 202);
    },
  )
  .openapi(
    defineRoute(
      policies.signedIn(),
      {
        method: "post",
        path: "/api/me/password",
        tags,
        summary: "Change password; ends every session and signs this one in again",
        request: jsonBody(ChangePasswordInput),
        responses: { 204: noContent },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => {
      const created = await account.changePassword(c.get("deps"), requireSession(c).session, c.req.valid("json"), requestMeta(c));
      setSessionCookie(c, created.token, created.absoluteExpiresAt);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(
      policies.signedIn(),
      {
        method: "post",
        path: "/api/me/two-factor/setup",
        tags,
        summary: "Start setting up two-factor authentication: a new secret for an authenticator app (not enabled yet)",
        responses: { 200: jsonResponse(TwoFactorSetup) },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => c.json(await twoFactor.setupTwoFactor(c.get("deps"), requireSession(c).session), 200),
  )
  .openapi(
    defineRoute(
      policies.signedIn(),
      {
        method: "post",
        path: "/api/me/two-factor/enable",
        tags,
        summary: "Turn two-factor authentication on with a code from the new secret; ends your other sessions",
        description: "Answers the 10 recovery codes, shown this once.",
        request: jsonBody(EnableTwoFactorInput),
        responses: { 200: jsonResponse(RecoveryCodes) },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => {
      const codes = await twoFactor.enableTwoFactor(c.get("deps"), requireSession(c).session, c.req.valid("json").code);
      return c.json({ recoveryCodes: codes }, 200);
    },
  )
  .openapi(
    defineRoute(
      policies.signedIn(),
      {
        method: "post",
        path: "/api/me/two-factor/disable",
        tags,
        summary: "Turn two-factor authentication off (needs a TOTP code or a recovery code)",
        request: jsonBody(DisableTwoFactorInput),
        responses: { 204: noContent },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => {
      await twoFactor.disableTwoFactor(c.get("deps"), requireSession(c).session, c.req.valid("json").code);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(
      policies.signedIn(),
      {
        method: "post",
        path: "/api/me/two-factor/recovery-codes",
        tags,
        summary: "Replace your recovery codes with 10 new ones, shown this once (needs the password or a code in the request)",
        request: jsonBody(RegenerateRecoveryCodesInput),
        responses: { 200: jsonResponse(RecoveryCodes) },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => {
      const proof = twoFactor.stepUpProof(c.req.valid("json"));
      return c.json({ recoveryCodes: await twoFactor.regenerateRecoveryCodes(c.get("deps"), requireSession(c).session, proof) }, 200);
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "get",
      path: "/api/me/sessions",
      tags,
      summary: "Your active sessions",
      responses: { 200: jsonResponse(z.array(SessionInfo)) },
    }),
    async (c) => c.json(await account.listSessions(c.get("deps").db, requireSession(c).session), 200),
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "delete",
      path: "/api/me/sessions/{sessionId}",
      tags,
      summary: "End one of your sessions",
      request: { params: z.object({ sessionId: pathId }) },
      responses: { 204: noContent },
    }),
    async (c) => {
      const { session } = requireSession(c);
      const { sessionId } = c.req.valid("param");
      await account.revokeSession(c.get("deps").db, session, sessionId);
      if (sessionId === session.publicId) clearSessionCookie(c);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "post",
      path: "/api/me/sessions/revoke-others",
      tags,
      summary: "Sign out everywhere else",
      responses: { 204: noContent },
    }),
    async (c) => {
      await account.revokeOtherSessions(c.get("deps").db, requireSession(c).session);
      return c.body(null, 204);
    },
  );
