import { z } from "zod";
import { DisplayName, Email, Id, IsoDateTime, LanguageSchema, NewPassword, Password, TimeZone } from "./common.ts";

export const SignInInput = z.strictObject({ email: Email, password: Password });
export const ReauthenticateInput = z.strictObject({ password: Password });
export const PasswordResetRequestInput = z.strictObject({ email: Email });
export const PasswordResetConfirmInput = z.strictObject({ token: z.string().min(10).max(200), password: NewPassword });
export const VerifyEmailInput = z.strictObject({ token: z.string().min(10).max(200) });
export const ChangePasswordInput = z.strictObject({ currentPassword: Password, newPassword: NewPassword });
export const ChangeEmailInput = z.strictObject({ email: Email });
export const NotifyEmail = z.enum(["immediate", "daily", "off"]);
export type NotifyEmail = z.infer<typeof NotifyEmail>;
export const UpdateProfileInput = z
  .strictObject({ displayName: DisplayName.optional(), language: LanguageSchema.optional(), notifyEmail: NotifyEmail.optional() })
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to change" });

export const SetupInput = z.strictObject({
  coalitionName: z.string().trim().min(2).max(160),
  timeZone: TimeZone,
  organisationName: z.string().trim().min(2).max(160),
  organisationShortName: z.string().trim().max(20).optional(),
  displayName: DisplayName,
  email: Email,
  password: NewPassword,
  language: LanguageSchema.default("en"),
});
export type SetupInput = z.infer<typeof SetupInput>;

export const OrgRole = z.enum(["admin", "member"]);
export type OrgRole = z.infer<typeof OrgRole>;

export const MeOrganisation = z.object({
  id: Id,
  name: z.string(),
  shortName: z.string().nullable(),
  role: OrgRole,
  representative: z.boolean(),
});
export const MeCoalition = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  timeZone: z.string(),
  isCoordinator: z.boolean(),
  organisations: z.array(MeOrganisation),
});
export const Me = z.object({
  person: z.object({
    id: Id,
    email: z.string(),
    displayName: z.string(),
    language: LanguageSchema,
    emailVerified: z.boolean(),
    notifyEmail: NotifyEmail,
  }),
  coalitions: z.array(MeCoalition),
  organisations: z.array(MeOrganisation),
  recentAuthUntil: IsoDateTime.nullable(),
});
export type Me = z.infer<typeof Me>;
export type MeCoalition = z.infer<typeof MeCoalition>;

export const SessionInfo = z.object({
  id: z.string(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime,
  device: z.string(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SetupStatus = z.object({ needed: z.boolean() });
