// Schemas are marked `/* @__PURE__ */`, so the web build drops those no chunk uses (zod calls are
// otherwise kept as possible side effects). The sign-in page does not load this module: it checks its
// answers with zod/mini mirrors (packages/web/src/lib/first-screen-schemas.ts).
import { z } from "zod";
import {
  changesSomething,
  DisplayName,
  Email,
  hasChanges,
  Id,
  IsoDateTime,
  LanguageSchema,
  NewPassword,
  nothingToChange,
  Password,
  SecondName,
  singleLine,
  TimeZone,
} from "./common.ts";
import { NOTIFY_EMAIL, ORG_ROLES, SECOND_FACTOR_METHODS } from "./constants.ts";

// WebAuthn answers, as @simplewebauthn/browser serialises them (passkeys: see the end of this file).
const B64Url = z
  .string()
  .max(16384)
  .regex(/^[A-Za-z0-9_-]*={0,2}$/, { message: "validation.invalid" });
/** A browser's answer to navigator.credentials.create(), as @simplewebauthn/browser serialises it. */
export const PasskeyRegistrationResponse = /* @__PURE__ */ z.looseObject({
  id: B64Url,
  rawId: B64Url,
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: B64Url,
    attestationObject: B64Url,
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.looseObject({}).default({}),
});
/** A browser's answer to navigator.credentials.get(). */
export const PasskeyAuthenticationResponse = /* @__PURE__ */ z.looseObject({
  id: B64Url,
  rawId: B64Url,
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: B64Url,
    authenticatorData: B64Url,
    signature: B64Url,
    userHandle: B64Url.optional(),
  }),
  clientExtensionResults: z.looseObject({}).default({}),
});

export const SignInInput = /* @__PURE__ */ z.strictObject({ email: Email, password: Password });
/** A 6-digit code from an authenticator app (spaces typed between the digits are dropped). */
export const TotpCode = z
  .string()
  .max(20)
  .transform((v) => v.replace(/\s+/g, ""))
  .refine((v) => /^\d{6}$/.test(v), { message: "validation.totp_code" });
/** A recovery code as shown (`abcd-efgh-ijkl-mnop`): case, spaces and dashes do not matter. */
export const RECOVERY_CODE = /^[a-z2-7]{16}$/;
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, "");
}
/** Either a 6-digit TOTP code or a recovery code. */
export const TwoFactorCode = z
  .string()
  .max(40)
  .transform((v) => v.trim())
  .refine((v) => /^\d{6}$/.test(v.replace(/\s+/g, "")) || RECOVERY_CODE.test(normaliseRecoveryCode(v)), {
    message: "validation.two_factor_code",
  });

/** The password, or for people with two-factor authentication a TOTP code instead. */
export const ReauthenticateInput = /* @__PURE__ */ z
  .strictObject({ password: Password.optional(), code: TotpCode.optional() })
  .superRefine((v, ctx) => {
    if (v.password === undefined && v.code === undefined)
      ctx.addIssue({ code: "custom", path: ["password"], message: "validation.required" });
    if (v.password !== undefined && v.code !== undefined) ctx.addIssue({ code: "custom", path: ["code"], message: "validation.invalid" });
  });
export const PasswordResetRequestInput = /* @__PURE__ */ z.strictObject({ email: Email });
export const PasswordResetConfirmInput = /* @__PURE__ */ z.strictObject({ token: z.string().min(10).max(200), password: NewPassword });
export const VerifyEmailInput = /* @__PURE__ */ z.strictObject({ token: z.string().min(10).max(200) });
export const ChangePasswordInput = /* @__PURE__ */ z.strictObject({ currentPassword: Password, newPassword: NewPassword });
/**
 * Step-up in the same request (docs/security.md §5): the password, or a second factor (a TOTP code or a
 * recovery code), exactly one of them. A recent sign-in does not waive it.
 */
const stepUpFields = { password: Password.optional(), code: TwoFactorCode.optional(), passkey: PasskeyAuthenticationResponse.optional() };
function oneStepUpProof(v: { password?: string | undefined; code?: string | undefined; passkey?: unknown }, ctx: z.RefinementCtx) {
  const given = [v.password, v.code, v.passkey].filter((x) => x !== undefined).length;
  if (given === 0) ctx.addIssue({ code: "custom", path: ["password"], message: "validation.required" });
  if (given > 1) ctx.addIssue({ code: "custom", path: ["code"], message: "validation.invalid" });
}
const StepUpInput = /* @__PURE__ */ z.strictObject(stepUpFields).superRefine(oneStepUpProof);
export const ChangeEmailInput = /* @__PURE__ */ z.strictObject({ email: Email, ...stepUpFields }).superRefine(oneStepUpProof);
export const UndoEmailChangeInput = /* @__PURE__ */ z.strictObject({ token: z.string().min(10).max(200) });
export const NotifyEmail = /* @__PURE__ */ z.enum(NOTIFY_EMAIL);
export type NotifyEmail = z.infer<typeof NotifyEmail>;
export const UpdateProfileInput = z
  .strictObject({ displayName: DisplayName.optional(), language: LanguageSchema.optional(), notifyEmail: NotifyEmail.optional() })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);

export const SetupInput = /* @__PURE__ */ z.strictObject({
  coalitionName: singleLine(2, 160),
  timeZone: TimeZone,
  organisationName: singleLine(2, 160),
  organisationShortName: singleLine(0, 20).optional(),
  displayName: DisplayName,
  email: Email,
  password: NewPassword,
  language: LanguageSchema.default("en"),
});
export type SetupInput = z.infer<typeof SetupInput>;

export const OrgRole = /* @__PURE__ */ z.enum(ORG_ROLES);
export type OrgRole = z.infer<typeof OrgRole>;

export const MeOrganisation = /* @__PURE__ */ z.object({
  id: Id,
  name: z.string(),
  shortName: z.string().nullable(),
  secondName: SecondName.nullable(),
  role: OrgRole,
  representative: z.boolean(),
});
export const MeCoalition = /* @__PURE__ */ z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  /** The name in the other language: shown with localName. */
  secondName: SecondName.nullable(),
  timeZone: z.string(),
  isCoordinator: z.boolean(),
  organisations: z.array(MeOrganisation),
  /** When an operator has scheduled the coalition's deletion: the day it happens (shown on every page). */
  deletionDueAt: IsoDateTime.nullable(),
});
/** Whether a coalition requires the signed-in person to have two-factor authentication, and whether they have it. */
export const TwoFactorRequirement = /* @__PURE__ */ z.object({ required: z.boolean(), satisfied: z.boolean() });
export type TwoFactorRequirement = z.infer<typeof TwoFactorRequirement>;
export const Me = /* @__PURE__ */ z.object({
  person: z.object({
    id: Id,
    email: z.string(),
    displayName: z.string(),
    language: LanguageSchema,
    emailVerified: z.boolean(),
    notifyEmail: NotifyEmail,
    twoFactorEnabled: z.boolean(),
  }),
  coalitions: z.array(MeCoalition),
  organisations: z.array(MeOrganisation),
  recentAuthUntil: IsoDateTime.nullable(),
  /** An instance operator (modules/operators): the account menu links to the operator page. */
  operator: z.boolean(),
  /**
   * As /api/me/two-factor/requirement answers it: the app's two-factor gate reads it here, so the
   * first screen asks one request fewer (on a slow network, each waits for a free connection).
   */
  twoFactorRequirement: TwoFactorRequirement,
});
export type Me = z.infer<typeof Me>;
export type MeCoalition = z.infer<typeof MeCoalition>;

/** Sign-in answers `Me` (signed in), or a challenge to answer with a code when two-factor authentication is on. */
/** The second factors the account can answer the challenge with (TOTP includes its recovery codes). */
export const SecondFactorMethod = /* @__PURE__ */ z.enum(SECOND_FACTOR_METHODS);
export type SecondFactorMethod = z.infer<typeof SecondFactorMethod>;
export const TwoFactorChallenge = /* @__PURE__ */ z.object({
  twoFactor: z.object({ challenge: z.string(), methods: z.array(SecondFactorMethod) }),
});
export type TwoFactorChallenge = z.infer<typeof TwoFactorChallenge>;
export const SignInResult = /* @__PURE__ */ z.union([Me, TwoFactorChallenge]);
export type SignInResult = z.infer<typeof SignInResult>;
/** The second step of signing in: a TOTP or recovery code, or a passkey's answer (exactly one). */
export const SignInTwoFactorInput = z
  .strictObject({
    challenge: z.string().min(10).max(100),
    code: TwoFactorCode.optional(),
    passkey: PasskeyAuthenticationResponse.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.code === undefined && v.passkey === undefined) ctx.addIssue({ code: "custom", path: ["code"], message: "validation.required" });
    if (v.code !== undefined && v.passkey !== undefined) ctx.addIssue({ code: "custom", path: ["passkey"], message: "validation.invalid" });
  });

export const TwoFactorSetup = /* @__PURE__ */ z.object({ secret: z.string(), uri: z.string() });
export type TwoFactorSetup = z.infer<typeof TwoFactorSetup>;
export const EnableTwoFactorInput = /* @__PURE__ */ z.strictObject({ code: TotpCode });
export const DisableTwoFactorInput = /* @__PURE__ */ z.strictObject({ code: TwoFactorCode });
/** Regenerating recovery codes needs the password or a code in the same request. */
export const RegenerateRecoveryCodesInput = StepUpInput;
/** Shown once, when made; only their SHA-256 is kept. */
export const RecoveryCodes = /* @__PURE__ */ z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

export const SessionInfo = /* @__PURE__ */ z.object({
  id: z.string(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime,
  device: z.string(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SetupStatus = /* @__PURE__ */ z.object({ needed: z.boolean() });

// Passkeys (WebAuthn) as a second factor and for re-authentication.

/**
 * Proof given in the same request as a sensitive change: the password, a TOTP or recovery code,
 * or a passkey's answer to an authentication challenge (exactly one).
 */
export const StepUpProof = {
  password: Password.optional(),
  code: TwoFactorCode.optional(),
  passkey: PasskeyAuthenticationResponse.optional(),
};
function exactlyOneProof(v: { password?: unknown; code?: unknown; passkey?: unknown }, ctx: z.RefinementCtx) {
  const given = [v.password, v.code, v.passkey].filter((x) => x !== undefined).length;
  if (given === 0) ctx.addIssue({ code: "custom", path: ["password"], message: "validation.required" });
  if (given > 1) ctx.addIssue({ code: "custom", path: ["code"], message: "validation.invalid" });
}
export const PasskeyName = /* @__PURE__ */ singleLine(1, 100);
export const RegisterPasskeyInput = z
  .strictObject({ name: PasskeyName, response: PasskeyRegistrationResponse, ...StepUpProof })
  .superRefine(exactlyOneProof);
export const RemovePasskeyInput = /* @__PURE__ */ z.strictObject(StepUpProof).superRefine(exactlyOneProof);
export const RenamePasskeyInput = /* @__PURE__ */ z.strictObject({ name: PasskeyName });
export const PasskeyReauthenticateInput = /* @__PURE__ */ z.strictObject({ response: PasskeyAuthenticationResponse });
export const PasskeySignInOptionsInput = /* @__PURE__ */ z.strictObject({ challenge: z.string().min(10).max(100) });

export const Passkey = /* @__PURE__ */ z.object({
  id: Id,
  name: z.string(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
  /** Synced between devices (multiDevice) or bound to one authenticator. */
  deviceType: z.enum(["singleDevice", "multiDevice"]),
  backedUp: z.boolean(),
});
export type Passkey = z.infer<typeof Passkey>;
/** Options for navigator.credentials.create()/get() in their JSON form (passed to @simplewebauthn/browser as they are). */
export const PasskeyOptions = /* @__PURE__ */ z.looseObject({ challenge: z.string() });
