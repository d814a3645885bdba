import { z } from "zod";
import { DateOnly, Email, Id, IsoDateTime, OrganisationRef, queryInteger, singleLine } from "./common.ts";
import { LANGUAGES } from "./i18n/translate.ts";
import { ProvinceCode } from "./provinces.ts";

const Title = singleLine(1, 200);
const Body = z.string().trim().max(20_000);

export const PetitionStatus = z.enum(["open", "closed"]);
export type PetitionStatus = z.infer<typeof PetitionStatus>;

const PetitionFields = z.strictObject({
  titleKm: Title,
  titleEn: Title,
  bodyKm: Body,
  bodyEn: Body,
  target: z.number().int().min(1).max(20_000_000),
  opensOn: DateOnly,
  closesOn: DateOnly,
});

const datesInOrder = (value: { opensOn?: string | undefined; closesOn?: string | undefined }) =>
  !value.opensOn || !value.closesOn || value.opensOn <= value.closesOn;
const datesMessage = { message: "validation.petition_dates_order", path: ["closesOn"] };

export const PetitionInput = PetitionFields.refine(datesInOrder, datesMessage);
export type PetitionInput = z.infer<typeof PetitionInput>;

export const UpdatePetitionInput = PetitionFields.partial().refine(datesInOrder, datesMessage);
export type UpdatePetitionInput = z.infer<typeof UpdatePetitionInput>;

/** Closing: optionally delete the signers' personal data N days later, keeping counts by province. */
export const ClosePetitionInput = z.strictObject({
  deleteAfterDays: z.number().int().min(0).max(3650).nullable(),
});
export type ClosePetitionInput = z.infer<typeof ClosePetitionInput>;

export const ProvinceCount = z.object({ province: ProvinceCode, online: z.number().int(), paper: z.number().int() });

export const PetitionCounts = z.object({
  online: z.number().int(),
  paper: z.number().int(),
  total: z.number().int(),
  byProvince: z.array(ProvinceCount),
});
export type PetitionCounts = z.infer<typeof PetitionCounts>;

export const Petition = z.object({
  id: Id,
  campaignId: Id,
  titleKm: z.string(),
  titleEn: z.string(),
  bodyKm: z.string(),
  bodyEn: z.string(),
  target: z.number().int(),
  opensOn: DateOnly,
  closesOn: DateOnly,
  status: PetitionStatus,
  closedAt: IsoDateTime.nullable(),
  deleteAfterDays: z.number().int().nullable(),
  purgeDueAt: IsoDateTime.nullable(),
  purgedAt: IsoDateTime.nullable(),
  counts: PetitionCounts,
  /** Whether the caller owns the petition (coordinators, co-owner organisations' admins). */
  canManage: z.boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Petition = z.infer<typeof Petition>;

export const SignatureStatus = z.enum(["pending", "confirmed"]);
export type SignatureStatus = z.infer<typeof SignatureStatus>;

export const Signer = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  province: ProvinceCode,
  comment: z.string(),
  showName: z.boolean(),
  language: z.enum(LANGUAGES),
  status: SignatureStatus,
  createdAt: IsoDateTime,
  confirmedAt: IsoDateTime.nullable(),
});
export type Signer = z.infer<typeof Signer>;

export const SignerListQuery = z.strictObject({
  status: SignatureStatus.optional(),
  // `cursor`: the API adds its one Cursor schema (packages/api/src/lib/cursor.ts: decoded at the edge, 400 when malformed).
  limit: queryInteger(1, 200).default(50),
});

export const PaperSheetRevision = z.object({
  revision: z.number().int(),
  count: z.number().int(),
  province: ProvinceCode,
  date: DateOnly,
  note: z.string(),
  changedAt: IsoDateTime,
  changedBy: z.object({ id: Id, displayName: z.string() }).nullable(),
});

export const PaperSheet = z.object({
  id: Id,
  organisation: OrganisationRef,
  count: z.number().int(),
  province: ProvinceCode,
  date: DateOnly,
  note: z.string(),
  revision: z.number().int(),
  createdAt: IsoDateTime,
  history: z.array(PaperSheetRevision),
});
export type PaperSheet = z.infer<typeof PaperSheet>;

export const PaperSheetInput = z.strictObject({
  organisationId: Id,
  count: z.number().int().min(1).max(10_000_000),
  province: ProvinceCode,
  date: DateOnly,
  note: z.string().trim().max(1000).default(""),
});
export type PaperSheetInput = z.infer<typeof PaperSheetInput>;

export const CorrectPaperSheetInput = z
  .strictObject({
    count: z.number().int().min(0).max(10_000_000).optional(),
    province: ProvinceCode.optional(),
    date: DateOnly.optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "validation.nothing_to_change", path: ["count"] });
export type CorrectPaperSheetInput = z.infer<typeof CorrectPaperSheetInput>;

/** The public signing form (application/x-www-form-urlencoded; works without JavaScript). */
export const SignPetitionForm = z.object({
  name: singleLine(1, 120),
  email: Email,
  province: ProvinceCode,
  comment: z.string().trim().max(1000).default(""),
  /** A checkbox: present ("on") when the signer agrees to be shown by name. */
  showName: z
    .string()
    .max(10)
    .optional()
    .transform((v) => v === "on" || v === "true"),
  /** The proof-of-work payload (ALTCHA format, base64 JSON); absent without JavaScript. */
  altcha: z.string().max(4000).optional(),
});
export type SignPetitionForm = z.infer<typeof SignPetitionForm>;
