import { z } from "zod";
import {
  changesSomething,
  DisplayName,
  Email,
  hasChanges,
  Id,
  IsoDateTime,
  LanguageSchema,
  nothingToChange,
  SecondName,
  secondNameInput,
  singleLine,
  TimeZone,
} from "./common.ts";

export const MemberStatus = z.enum(["invited", "active", "observer", "suspended", "left"]);
export type MemberStatus = z.infer<typeof MemberStatus>;
/** Statuses a coordinator may set by hand; `invited` only comes from an invitation. */
export const SettableMemberStatus = z.enum(["active", "observer", "suspended", "left"]);

export const Coalition = z.object({
  id: Id,
  name: z.string(),
  /** The name in the other language: shown with localName. */
  secondName: SecondName.nullable(),
  slug: z.string(),
  description: z.string(),
  timeZone: z.string(),
  /** Coordinators and representatives must have two-factor authentication (TOTP or a passkey). */
  requireTwoFactor: z.boolean(),
  createdAt: IsoDateTime,
});
export type Coalition = z.infer<typeof Coalition>;

export const UpdateCoalitionInput = z
  .strictObject({
    name: singleLine(2, 160).optional(),
    secondName: secondNameInput(160).optional(),
    description: z.string().max(5000).optional(),
    timeZone: TimeZone.optional(),
    requireTwoFactor: z.boolean().optional(),
  })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);

export const CoalitionMember = z.object({
  /** With its second name (bilingual names): show it with localName. */
  organisation: z.object({ id: Id, name: z.string(), shortName: z.string().nullable(), secondName: SecondName.nullable() }),
  status: MemberStatus,
  updatedAt: IsoDateTime,
});
export type CoalitionMember = z.infer<typeof CoalitionMember>;

export const InviteOrganisationInput = z.strictObject({
  organisationName: singleLine(2, 160),
  shortName: singleLine(0, 20).optional(),
  contactEmail: Email,
  language: LanguageSchema.default("en"),
});
export type InviteOrganisationInput = z.infer<typeof InviteOrganisationInput>;

export const ChangeMemberStatusInput = z.strictObject({ status: z.enum(["active", "observer", "suspended", "left"]) });

/** A person of the coalition; the email address only for coordinators and people of the same organisation, else null. */
export const Coordinator = z.object({ personId: Id, displayName: z.string(), email: z.string().nullable() });
export const AppointCoordinatorInput = z.strictObject({ personId: Id });

export const PendingInvitation = z.object({
  id: Id,
  email: z.string(),
  organisationName: z.string(),
  role: z.enum(["admin", "member"]),
  expiresAt: IsoDateTime,
  createdAt: IsoDateTime,
});
export type PendingInvitation = z.infer<typeof PendingInvitation>;

/** What a person who opens an invitation link is shown. */
export const InvitationPreview = z.object({
  kind: z.enum(["organisation", "person"]),
  /** An operator's invitation of a new coalition's first coordinator (kind organisation). */
  coordinator: z.boolean(),
  email: z.string(),
  coalitionName: z.string().nullable(),
  /** The coalition's and the organisation's names in their other language, for a reader of that one. */
  coalitionSecondName: SecondName.nullable(),
  organisationName: z.string(),
  organisationSecondName: SecondName.nullable(),
  expiresAt: IsoDateTime,
  accountExists: z.boolean(),
  /** What the inviter gave, to prefill the account form. */
  displayName: z.string().nullable(),
  language: LanguageSchema.nullable(),
});
export type InvitationPreview = z.infer<typeof InvitationPreview>;

export const AcceptInvitationInput = z.strictObject({
  displayName: DisplayName.optional(),
  password: z.string().min(12).max(256).optional(),
  language: LanguageSchema.optional(),
});
