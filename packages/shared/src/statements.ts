import { z } from "zod";
import { Id, IsoDateTime, isVisibleText, OrganisationRef, SecondName, singleLine, textBody } from "./common.ts";

export const StatementStatus = z.enum(["draft", "voting", "adopted", "rejected", "no_quorum", "published", "withdrawn"]);
export type StatementStatus = z.infer<typeof StatementStatus>;
export const Threshold = z.enum(["majority", "two_thirds", "consensus"]);
export type Threshold = z.infer<typeof Threshold>;
export const Choice = z.enum(["endorse", "object", "abstain"]);
export type Choice = z.infer<typeof Choice>;
export const Outcome = z.enum(["adopted", "rejected", "no_quorum"]);
export type Outcome = z.infer<typeof Outcome>;

const Person = z.object({ id: Id, displayName: z.string() });

const Body = z.string().max(100_000);

/**
 * A statement says something in at least one language. The error goes on the field its author
 * wrote in (Khmer when only the Khmer body holds anything, even if only invisible characters), else
 * on the English one.
 */
function requireText(v: { bodyEn: string; bodyKm: string }, ctx: z.RefinementCtx): void {
  if (isVisibleText(v.bodyEn) || isVisibleText(v.bodyKm)) return;
  const field = v.bodyKm.trim() !== "" && v.bodyEn.trim() === "" ? "bodyKm" : "bodyEn";
  ctx.addIssue({ code: "custom", message: "validation.text_required", path: [field] });
}

/** The rule requireText keeps, which the OpenAPI document cannot show as a schema. */
const TEXT_RULE = {
  description: "A text in at least one language: `bodyEn` or `bodyKm` must hold visible text (the other may be empty).",
} as const;

export const StatementText = z
  .strictObject({
    title: singleLine(2, 300),
    bodyEn: Body.default(""),
    bodyKm: Body.default(""),
  })
  .superRefine(requireText)
  .meta(TEXT_RULE);

export const CreateStatementInput = z
  .strictObject({
    campaignId: Id.nullable().optional(),
    title: singleLine(2, 300),
    bodyEn: Body.default(""),
    bodyKm: Body.default(""),
  })
  .superRefine(requireText)
  .meta(TEXT_RULE);
export type CreateStatementInput = z.infer<typeof CreateStatementInput>;

export const StatementVersion = z.object({
  id: Id,
  number: z.number().int(),
  title: z.string(),
  bodyEn: z.string(),
  bodyKm: z.string(),
  bodyEnHtml: z.string(),
  bodyKmHtml: z.string(),
  sha256: z.string(),
  author: Person,
  createdAt: IsoDateTime,
});
export type StatementVersion = z.infer<typeof StatementVersion>;

export const StatementSummary = z.object({
  id: Id,
  title: z.string(),
  status: StatementStatus,
  campaignId: Id.nullable(),
  versionCount: z.number().int(),
  updatedAt: IsoDateTime,
  publishedAt: IsoDateTime.nullable(),
});
export type StatementSummary = z.infer<typeof StatementSummary>;

export const Tally = z.object({
  eligible: z.number().int(),
  cast: z.number().int(),
  endorse: z.number().int(),
  object: z.number().int(),
  abstain: z.number().int(),
  named: z.number().int(),
  anonymous: z.number().int(),
  quorumMet: z.boolean(),
});
export type Tally = z.infer<typeof Tally>;

/** How many organisations may vote and how many have cast a ballot (never how). */
export const Turnout = z.object({ eligible: z.number().int(), voted: z.number().int() });
export type Turnout = z.infer<typeof Turnout>;

/**
 * The eligible organisations by name, each with whether it has voted (never how): the vote panel's
 * "who has voted" list, loaded when it is opened. A few hundred organisations are most of a vote's
 * weight, so the statement itself carries only the counts.
 */
export const TurnoutList = Turnout.extend({ organisations: z.array(OrganisationRef.extend({ hasVoted: z.boolean() })) });
export type TurnoutList = z.infer<typeof TurnoutList>;

export const VoteInfo = z.object({
  id: Id,
  versionId: Id,
  versionNumber: z.number().int(),
  sha256: z.string(),
  status: z.enum(["open", "closed", "cancelled"]),
  quorum: z.number(),
  threshold: Threshold,
  closesAt: IsoDateTime,
  totalsVisible: z.boolean(),
  openedAt: IsoDateTime,
  closedAt: IsoDateTime.nullable(),
  outcome: Outcome.nullable(),
  /** Running totals while open (only when the vote allows), the final tally after the close; else null. */
  tally: Tally.nullable(),
  /** How many organisations may vote and how many have voted; who they are is `GET …/vote/turnout`, for coordinators. */
  turnout: Turnout,
  /**
   * After the close: the named endorsements (members only until publication). Objections, abstentions
   * and anonymous endorsements are only counted: named, they would tell who endorsed anonymously.
   */
  ballots: z.array(z.object({ organisation: OrganisationRef, choice: Choice, named: z.boolean() })).nullable(),
  /** After the close: every counted receipt, so each organisation can find its own. */
  receipts: z.array(z.string()).nullable(),
  /** The viewer's organisations that may vote, with their current ballot. */
  myOrganisations: z.array(
    z.object({
      organisation: OrganisationRef,
      canCast: z.boolean(),
      ballot: z.object({ choice: Choice, named: z.boolean(), comment: z.string(), receipt: z.string(), castAt: IsoDateTime }).nullable(),
      history: z.array(z.object({ choice: Choice, named: z.boolean(), castAt: IsoDateTime, castBy: z.string() })),
    }),
  ),
  /**
   * The viewer's other organisations in the coalition, which have no ballot in this vote, and why: an
   * observer, or an organisation that was not an active member when the vote opened (not in its
   * eligibility snapshot). Only the viewer's own organisations' standing: nothing about any ballot.
   * Empty by default: an answer kept for offline reading before this field existed still reads.
   */
  myOrganisationsNotVoting: z
    .array(z.object({ organisation: OrganisationRef, reason: z.enum(["observer", "not_member_at_opening"]) }))
    .default([]),
});
export type VoteInfo = z.infer<typeof VoteInfo>;

/** A published statement's frozen record: the signatories as named at the close, and the fingerprint over text and signatories. */
export const StatementPublication = z.object({
  publishedAt: IsoDateTime,
  /** SHA-256 of the publication record; null for statements published before it was taken. */
  fingerprint: z.string().nullable(),
  signatories: z.array(z.object({ name: z.string(), shortName: z.string().nullable(), secondName: SecondName.nullable().optional() })),
  anonymousCount: z.number().int(),
});
export type StatementPublication = z.infer<typeof StatementPublication>;

export const Statement = StatementSummary.extend({
  coalitionId: Id,
  versions: z.array(StatementVersion.pick({ id: true, number: true, sha256: true, author: true, createdAt: true, title: true })),
  current: StatementVersion,
  vote: VoteInfo.nullable(),
  publicUrl: z.string().nullable(),
  publication: StatementPublication.nullable(),
  permissions: z.object({ edit: z.boolean(), manage: z.boolean() }),
});
export type Statement = z.infer<typeof Statement>;

export const StatementComment = z.object({
  id: Id,
  versionId: Id,
  author: Person,
  body: z.string(),
  bodyHtml: z.string(),
  createdAt: IsoDateTime,
});
export type StatementComment = z.infer<typeof StatementComment>;
export const StatementCommentInput = z.strictObject({ body: textBody(10_000) });

export const DiffPart = z.object({ value: z.string(), added: z.boolean(), removed: z.boolean() });
export const VersionDiff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  title: z.array(DiffPart),
  bodyEn: z.array(DiffPart),
  bodyKm: z.array(DiffPart),
});

/** "2026-02-30T25:00" matches the pattern but is no date: refuse it here rather than let the database fail. */
function isRealLocalDateTime(value: string): boolean {
  const [datePart = "", timePart = ""] = value.split("T");
  const [y, m, d] = datePart.split("-").map(Number);
  const [hh, mm] = timePart.split(":").map(Number);
  if (y === undefined || m === undefined || d === undefined || hh === undefined || mm === undefined) return false;
  if (y < 2000 || hh > 23 || mm > 59) return false;
  const date = new Date(Date.UTC(y, m - 1, d, hh, mm));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export const OpenVoteInput = z.strictObject({
  versionId: Id,
  quorum: z.number().min(0).max(1).default(0.5),
  threshold: Threshold.default("majority"),
  /** Local date-time in the coalition's time zone, at least one hour ahead. */
  closesAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: "Use YYYY-MM-DDTHH:mm", abort: true })
    .refine(isRealLocalDateTime, "validation.not_real_datetime"),
  totalsVisible: z.boolean().default(false),
});
export const CastBallotInput = z.strictObject({
  organisationId: Id,
  choice: Choice,
  /** With `endorse`: whether the organisation may be named publicly as a signatory. */
  named: z.boolean().default(true),
  comment: z.string().trim().max(2000).default(""),
});
/** The answer to a cast ballot: its receipt, and whether it replaced an earlier ballot of the organisation. */
export const BallotReceipt = z.object({ receipt: z.string(), castAt: IsoDateTime, changed: z.boolean() });
export type BallotReceipt = z.infer<typeof BallotReceipt>;
export const VerifyResult = z.object({
  matches: z.boolean(),
  stored: z.object({ outcome: Outcome.nullable(), tally: Tally.nullable() }),
  recomputed: z.object({ outcome: Outcome, tally: Tally }),
});
