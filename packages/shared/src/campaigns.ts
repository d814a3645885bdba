import { z } from "zod";
import {
  changesSomething,
  DateOnly,
  hasChanges,
  Id,
  IsoDateTime,
  inDateYears,
  nothingToChange,
  queryInteger,
  SecondName,
  secondNameInput,
  singleLine,
  textBody,
} from "./common.ts";

export const CampaignStatus = z.enum(["planning", "active", "paused", "concluded", "archived"]);
export type CampaignStatus = z.infer<typeof CampaignStatus>;
export const Visibility = z.enum(["members", "public"]);
export const ActivityKind = z.enum(["demonstration", "march", "letter", "petition", "distribution", "press", "meeting", "other"]);
export type ActivityKind = z.infer<typeof ActivityKind>;

export { DateOnly };
/** A local date-time without offset, YYYY-MM-DDTHH:mm, interpreted in the coalition's time zone, from 1900 to 2999. */
export const LocalDateTime = z
  .string()
  // Each check only when the one before it held: one error for a value, not three.
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: "Use YYYY-MM-DDTHH:mm", abort: true })
  .refine(isRealLocalDateTime, { message: "validation.not_real_datetime", abort: true })
  .refine(inDateYears, "validation.date_out_of_range");

/** The shape alone lets through 2026-02-30 or 24:30, which the database then refuses (a 500). */
function isRealLocalDateTime(value: string): boolean {
  const [date = "", time = ""] = value.split("T");
  const [hours, minutes] = time.split(":").map(Number);
  if (hours === undefined || minutes === undefined || hours > 23 || minutes > 59) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** Amounts are stored as numeric(…, 2): more decimals would be rounded silently (or to 0, against the CHECK). */
const hasAtMostTwoDecimals = (value: number) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6;

const Slug = z
  .string()
  .trim()
  .min(2)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Lowercase letters, digits and hyphens");

/** An organisation named in a campaign; `secondName` where the query reads it (owners, participants, shares). */
const OrgRef = z.object({ id: Id, name: z.string(), shortName: z.string().nullable(), secondName: SecondName.nullable().optional() });

export const CampaignSummary = z.object({
  id: Id,
  slug: z.string(),
  title: z.string(),
  /** The optional title in the other language (see names.ts). */
  secondTitle: SecondName.nullable(),
  summary: z.string(),
  status: CampaignStatus,
  visibility: Visibility,
  startsOn: DateOnly.nullable(),
  endsOn: DateOnly.nullable(),
  owners: z.array(OrgRef),
  updatedAt: IsoDateTime,
});
export type CampaignSummary = z.infer<typeof CampaignSummary>;

export const Campaign = CampaignSummary.extend({
  coalitionId: Id,
  description: z.string(),
  /** The description rendered from Markdown through the sanitiser. */
  descriptionHtml: z.string(),
  goals: z.string(),
  participants: z.array(OrgRef),
  canEdit: z.boolean(),
  createdAt: IsoDateTime,
  /**
   * Up by one with each edit of the fields PATCH changes (not its organisations, activities,
   * metrics or updates): send it back as `If-Match: "<revision>"` with an edit, and the edit is
   * refused (412 edit_conflict) if someone else's came first. Also the answer's ETag.
   */
  revision: z.number().int().positive(),
});
export type Campaign = z.infer<typeof Campaign>;

export const CreateCampaignInput = z.strictObject({
  title: singleLine(2, 200),
  secondTitle: secondNameInput(200).optional(),
  slug: Slug.optional(),
  summary: z.string().trim().max(500).default(""),
  description: z.string().max(20_000).default(""),
  goals: z.string().max(5000).default(""),
  status: CampaignStatus.default("planning"),
  visibility: Visibility.default("members"),
  startsOn: DateOnly.nullable().optional(),
  endsOn: DateOnly.nullable().optional(),
  ownerOrganisationIds: z.array(Id).min(1).max(50),
  participantOrganisationIds: z.array(Id).max(500).default([]),
});
export type CreateCampaignInput = z.infer<typeof CreateCampaignInput>;

export const UpdateCampaignInput = z
  .strictObject({
    title: singleLine(2, 200).optional(),
    secondTitle: secondNameInput(200).optional(),
    slug: Slug.optional(),
    summary: z.string().trim().max(500).optional(),
    description: z.string().max(20_000).optional(),
    goals: z.string().max(5000).optional(),
    status: CampaignStatus.optional(),
    visibility: Visibility.optional(),
    startsOn: DateOnly.nullable().optional(),
    endsOn: DateOnly.nullable().optional(),
  })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);

export const SetOrganisationsInput = z.strictObject({ organisationIds: z.array(Id).max(500) });

export const CampaignListQuery = z.strictObject({
  status: CampaignStatus.optional(),
  organisationId: Id.optional(),
  q: z.string().trim().max(100).optional(),
  // `cursor`: the API adds its one Cursor schema (packages/api/src/lib/cursor.ts: decoded at the edge, 400 when malformed).
  limit: queryInteger(1, 100).default(20),
});

export const MarchStage = z.object({
  position: z.number().int(),
  date: DateOnly,
  from: z.string(),
  to: z.string(),
  distanceKm: z.number(),
});
export const MarchStageInput = z.strictObject({
  date: DateOnly,
  from: singleLine(1, 120),
  to: singleLine(1, 120),
  distanceKm: z.number().min(0).max(2000).refine(hasAtMostTwoDecimals, "At most two decimals"),
});

export const Activity = z.object({
  id: Id,
  kind: ActivityKind,
  title: z.string(),
  startsAt: LocalDateTime,
  endsAt: LocalDateTime.nullable(),
  location: z.string(),
  description: z.string(),
  descriptionHtml: z.string(),
  stages: z.array(MarchStage),
  totalDistanceKm: z.number(),
});
export type Activity = z.infer<typeof Activity>;

export const ActivityInput = z.strictObject({
  kind: ActivityKind,
  title: singleLine(2, 200),
  startsAt: LocalDateTime,
  endsAt: LocalDateTime.nullable().optional(),
  location: singleLine(0, 200).default(""),
  description: z.string().max(10_000).default(""),
  stages: z.array(MarchStageInput).max(200).default([]),
});
export type ActivityInput = z.infer<typeof ActivityInput>;

export const MetricSource = z.enum(["typed", "letters"]);
export type MetricSource = z.infer<typeof MetricSource>;

export const Metric = z.object({
  id: Id,
  name: z.string(),
  /** The optional name in the other language (see names.ts). */
  secondName: SecondName.nullable(),
  unit: z.string(),
  /** The unit in the second name's language, shown with it (localUnit); null when it has none. */
  secondUnit: z.string().nullable(),
  target: z.number().nullable(),
  total: z.number(),
  /** total / target, 0..∞ (can exceed 1); null without a target. */
  progress: z.number().nullable(),
  shares: z.array(z.object({ organisation: OrgRef, amount: z.number() })),
  /** 'typed': contributions reported by hand; 'letters': the delivered letters of the campaign's letter actions. */
  source: MetricSource,
});
export type Metric = z.infer<typeof Metric>;

export const MetricInput = z.strictObject({
  name: singleLine(2, 120),
  secondName: secondNameInput(120).optional(),
  source: MetricSource.default("typed"),
  unit: singleLine(0, 40).default(""),
  /** The unit in the second name's language (needs a second name; empty for none). */
  secondUnit: singleLine(0, 40).default(""),
  target: z.number().positive().max(1e12).refine(hasAtMostTwoDecimals, "At most two decimals").nullable().optional(),
});

/** Renaming a metric: its name, its second name (null removes it, with its unit) and its units. */
export const UpdateMetricInput = z
  .strictObject({
    name: singleLine(2, 120).optional(),
    secondName: secondNameInput(120).optional(),
    unit: singleLine(0, 40).optional(),
    secondUnit: singleLine(0, 40).optional(),
  })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);

export const ContributionInput = z.strictObject({
  organisationId: Id,
  amount: z.number().positive().max(1e9).refine(hasAtMostTwoDecimals, "At most two decimals"),
  date: DateOnly,
  note: z.string().trim().max(500).default(""),
});
export const CorrectContributionInput = z
  .strictObject({
    amount: z.number().positive().max(1e9).refine(hasAtMostTwoDecimals, "At most two decimals").optional(),
    date: DateOnly.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);

export const Contribution = z.object({
  id: Id,
  organisation: OrgRef,
  amount: z.number(),
  date: DateOnly,
  note: z.string(),
  createdAt: IsoDateTime,
  corrected: z.boolean(),
  /** Who recorded it: one of the organisation's people, or a coordinator on its behalf. */
  recordedBy: z.object({ id: Id, displayName: z.string(), coordinator: z.boolean() }),
});
export type Contribution = z.infer<typeof Contribution>;

export const CampaignUpdate = z.object({
  id: Id,
  author: z.object({ id: Id, displayName: z.string() }),
  bodyHtml: z.string(),
  body: z.string(),
  createdAt: IsoDateTime,
  /** Whether the reader may remove it: its author, the campaign's co-owners and the coordinators. */
  canRemove: z.boolean(),
});
export type CampaignUpdate = z.infer<typeof CampaignUpdate>;
export const CampaignUpdateInput = z.strictObject({ body: textBody(5000) });
