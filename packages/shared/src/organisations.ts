import { z } from "zod";
import { OrgRole } from "./auth.ts";
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
} from "./common.ts";

const OptionalUrl = z.union([z.literal(""), z.url({ protocol: /^https?$/ }).max(300)]);

export const Organisation = z.object({
  id: Id,
  name: z.string(),
  shortName: z.string().nullable(),
  /** The optional name in the other language (see names.ts). */
  secondName: SecondName.nullable(),
  description: z.string(),
  website: z.string(),
  contactEmail: z.string(),
  createdAt: IsoDateTime,
  /** Whether the viewer administers this organisation. */
  canAdminister: z.boolean(),
});
export type Organisation = z.infer<typeof Organisation>;

export const UpdateOrganisationInput = z
  .strictObject({
    name: singleLine(2, 160).optional(),
    shortName: singleLine(0, 20).optional(),
    secondName: secondNameInput(160).optional(),
    description: z.string().max(5000).optional(),
    website: OptionalUrl.optional(),
    contactEmail: Email.optional(),
  })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);

export const OrganisationPerson = z.object({
  personId: Id,
  displayName: z.string(),
  /** Only for the organisation's own people and its coalitions' coordinators; null for other members. */
  email: z.string().nullable(),
  role: OrgRole,
  representative: z.boolean(),
});
export type OrganisationPerson = z.infer<typeof OrganisationPerson>;

/** The person's name and language are optional: the email goes out in that language, and the account form opens with both. */
export const InvitePersonInput = z.strictObject({
  email: Email,
  role: OrgRole.default("member"),
  displayName: DisplayName.optional(),
  language: LanguageSchema.optional(),
});
export const UpdatePersonInput = z
  .strictObject({ role: OrgRole.optional(), representative: z.boolean().optional() })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);

export const OrganisationInvitation = z.object({
  id: Id,
  email: z.string(),
  displayName: z.string().nullable(),
  language: LanguageSchema.nullable(),
  role: OrgRole,
  expiresAt: IsoDateTime,
  createdAt: IsoDateTime,
});
export type OrganisationInvitation = z.infer<typeof OrganisationInvitation>;
