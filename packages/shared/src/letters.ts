import { z } from "zod";
import { DateOnly } from "./campaigns.ts";
import { changesSomething, hasChanges, Id, IsoDateTime, nothingToChange, OrganisationRef, singleLine, textBody } from "./common.ts";

/**
 * Letters to members of parliament and other officials: the coalition's directory of targets,
 * letter actions of a campaign, the letters member organisations send and the replies they get.
 */

/**
 * A province as its ISO 3166-2:KH code (KH-1 … KH-25). A shared list of the provinces with their
 * names (provinces.ts) is added by another piece of work; until then the code is checked here.
 */
export const PROVINCE_PATTERN = /^KH-(?:[1-9]|1\d|2[0-5])$/;
export const ProvinceCode = z
  .string()
  .trim()
  .refine((v) => PROVINCE_PATTERN.test(v), "validation.province");
export const PROVINCE_CODES = [
  "KH-1",
  "KH-2",
  "KH-3",
  "KH-4",
  "KH-5",
  "KH-6",
  "KH-7",
  "KH-8",
  "KH-9",
  "KH-10",
  "KH-11",
  "KH-12",
  "KH-13",
  "KH-14",
  "KH-15",
  "KH-16",
  "KH-17",
  "KH-18",
  "KH-19",
  "KH-20",
  "KH-21",
  "KH-22",
  "KH-23",
  "KH-24",
  "KH-25",
] as const;
export type ProvinceCodeValue = (typeof PROVINCE_CODES)[number];
export const isProvinceCode = (value: string): value is ProvinceCodeValue => (PROVINCE_CODES as readonly string[]).includes(value);

export const LetterChannel = z.enum(["hand", "post", "email", "fax"]);
export type LetterChannel = z.infer<typeof LetterChannel>;
export const Stance = z.enum(["supportive", "undecided", "opposed"]);
export type Stance = z.infer<typeof Stance>;

const shortText = (max: number) => singleLine(0, max);
const optionalEmail = z
  .string()
  .trim()
  .max(254)
  .refine((v) => v === "" || z.email().safeParse(v).success, "validation.invalid_email")
  .transform((v) => v.toLowerCase());

/** A target as the coordinators type or import it. At least one of the two names is required. */
export const TargetInput = z
  .strictObject({
    nameKm: shortText(200).default(""),
    nameEn: shortText(200).default(""),
    role: shortText(200).default(""),
    party: shortText(120).default(""),
    province: ProvinceCode.nullable().default(null),
    constituency: shortText(200).default(""),
    email: optionalEmail.default(""),
    phone: shortText(60).default(""),
    fax: shortText(60).default(""),
    postalAddress: shortText(500).default(""),
  })
  .refine((v) => v.nameKm !== "" || v.nameEn !== "", { message: "validation.target_name_required", path: ["nameEn"] });
export type TargetInput = z.infer<typeof TargetInput>;

export const UpdateTargetInput = z
  .strictObject({
    nameKm: shortText(200).optional(),
    nameEn: shortText(200).optional(),
    role: shortText(200).optional(),
    party: shortText(120).optional(),
    province: ProvinceCode.nullable().optional(),
    constituency: shortText(200).optional(),
    email: optionalEmail.optional(),
    phone: shortText(60).optional(),
    fax: shortText(60).optional(),
    postalAddress: shortText(500).optional(),
    archived: z.boolean().optional(),
  })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);
export type UpdateTargetInput = z.infer<typeof UpdateTargetInput>;

export const Target = z.object({
  id: Id,
  nameKm: z.string(),
  nameEn: z.string(),
  role: z.string(),
  party: z.string(),
  province: z.string().nullable(),
  constituency: z.string(),
  email: z.string(),
  phone: z.string(),
  fax: z.string(),
  postalAddress: z.string(),
  archived: z.boolean(),
  updatedAt: IsoDateTime,
});
export type Target = z.infer<typeof Target>;

export const TargetListQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  province: ProvinceCode.optional(),
  party: z.string().trim().max(120).optional(),
  archived: z.enum(["true", "false", "all"]).default("false"),
});

/** The CSV file as text (UTF-8), at most 512 KiB and 2000 rows. */
export const TargetImportInput = z.strictObject({
  csv: z
    .string()
    .min(1)
    .max(512 * 1024),
});
export const TARGET_IMPORT_MAX_ROWS = 2000;
export const TARGET_CSV_COLUMNS = [
  "name_km",
  "name_en",
  "role",
  "party",
  "province",
  "constituency",
  "email",
  "phone",
  "fax",
  "postal_address",
] as const;

export const TargetImportRow = z.object({
  /** 1-based line number of the row in the file (the header is line 1). */
  line: z.number().int(),
  target: TargetInput.nullable(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});
export const TargetImportPreview = z.object({
  rows: z.array(TargetImportRow),
  valid: z.number().int(),
  invalid: z.number().int(),
});
export type TargetImportPreview = z.infer<typeof TargetImportPreview>;
export const TargetImportResult = z.object({ imported: z.number().int(), skipped: z.number().int() });

const TargetRef = z.object({
  id: Id,
  nameKm: z.string(),
  nameEn: z.string(),
  party: z.string(),
  province: z.string().nullable(),
  archived: z.boolean(),
});
export type TargetRef = z.infer<typeof TargetRef>;

export const LetterActionInput = z.strictObject({
  title: singleLine(2, 200),
  subjectKm: shortText(200).default(""),
  subjectEn: shortText(200).default(""),
  bodyKm: z.string().max(20_000).default(""),
  bodyEn: z.string().max(20_000).default(""),
  targetIds: z.array(Id).max(500).default([]),
});
export type LetterActionInput = z.infer<typeof LetterActionInput>;

export const UpdateLetterActionInput = z
  .strictObject({
    title: singleLine(2, 200).optional(),
    subjectKm: shortText(200).optional(),
    subjectEn: shortText(200).optional(),
    bodyKm: z.string().max(20_000).optional(),
    bodyEn: z.string().max(20_000).optional(),
    targetIds: z.array(Id).max(500).optional(),
  })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);
export type UpdateLetterActionInput = z.infer<typeof UpdateLetterActionInput>;

export const LetterAction = z.object({
  id: Id,
  campaignId: Id,
  title: z.string(),
  subjectKm: z.string(),
  subjectEn: z.string(),
  bodyKm: z.string(),
  bodyEn: z.string(),
  targets: z.array(TargetRef),
  /** Letters recorded, delivered (confirmed), and replied to. */
  counts: z.object({ sent: z.number().int(), delivered: z.number().int(), replied: z.number().int() }),
  /** Letters the public page helped start (mailto links followed). */
  started: z.number().int(),
  canEdit: z.boolean(),
  createdAt: IsoDateTime,
});
export type LetterAction = z.infer<typeof LetterAction>;

export const LetterInput = z.strictObject({
  targetId: Id,
  organisationId: Id,
  sentOn: DateOnly,
  channel: LetterChannel,
  deliveryConfirmed: z.boolean().default(false),
});
export type LetterInput = z.infer<typeof LetterInput>;

export const UpdateLetterInput = z
  .strictObject({ deliveryConfirmed: z.boolean().optional(), sentOn: DateOnly.optional(), channel: LetterChannel.optional() })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);

export const ReplyInput = z.strictObject({
  receivedOn: DateOnly,
  summary: textBody(5000),
  stance: Stance,
  scanReference: shortText(500).default(""),
});
export type ReplyInput = z.infer<typeof ReplyInput>;

export const Reply = z.object({
  receivedOn: DateOnly,
  summary: z.string(),
  stance: Stance,
  scanReference: z.string(),
  createdAt: IsoDateTime,
});

export const Letter = z.object({
  id: Id,
  actionId: Id,
  target: TargetRef,
  organisation: OrganisationRef,
  sentOn: DateOnly,
  channel: LetterChannel,
  deliveryConfirmed: z.boolean(),
  reply: Reply.nullable(),
  /** Whether the person asking may change it (their organisation sent it). */
  canEdit: z.boolean(),
  createdAt: IsoDateTime,
});
export type Letter = z.infer<typeof Letter>;

export const LetterListQuery = z.strictObject({
  awaitingReply: z.enum(["true", "false"]).optional(),
  organisationId: Id.optional(),
});

export const ResponseRate = z.object({
  key: z.string(),
  letters: z.number().int(),
  replied: z.number().int(),
  supportive: z.number().int(),
  undecided: z.number().int(),
  opposed: z.number().int(),
  /** replied / letters, 0..1; null without letters. */
  rate: z.number().nullable(),
});
export type ResponseRate = z.infer<typeof ResponseRate>;

export const LetterStats = z.object({
  notContacted: z.array(TargetRef),
  awaitingReply: z.array(Letter),
  byParty: z.array(ResponseRate),
  byProvince: z.array(ResponseRate),
});
export type LetterStats = z.infer<typeof LetterStats>;
