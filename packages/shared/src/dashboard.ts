import { z } from "zod";
import { Id, IsoDateTime, OrganisationRef, SecondName } from "./common.ts";
import { TaskPriority, TaskStatus } from "./tasks.ts";

/** How many rows each dashboard list shows at most; `more` says a list was cut. */
export const DASHBOARD_LIMITS = { tasks: 8, coalitionOverdue: 8, votes: 6, campaigns: 4, metricsPerCampaign: 3, updates: 5 } as const;

/** Campaigns, organisations and metrics come with their second names (bilingual names): show them with localName. */
const CampaignRef = z.object({ id: Id, title: z.string(), secondTitle: SecondName.nullable() });

/** An open task on the dashboard: assigned to me or to one of my organisations, or overdue anywhere (coordinators). */
export const DashboardTask = z.object({
  id: Id,
  title: z.string(),
  status: TaskStatus,
  priority: TaskPriority,
  dueOn: z.iso.date().nullable(),
  overdue: z.boolean(),
  /** Assigned to me in person (otherwise to one of my organisations, or, in the coalition list, to anyone). */
  mine: z.boolean(),
  campaign: CampaignRef.nullable(),
  assigneeOrganisation: OrganisationRef.nullable(),
  assigneePerson: z.object({ id: Id, displayName: z.string() }).nullable(),
});
export type DashboardTask = z.infer<typeof DashboardTask>;

/**
 * An open vote in which at least one of my organisations still has to cast its ballot. Only whether MY
 * organisations voted: never a tally, a count or another organisation's ballot (totals may be hidden).
 */
export const DashboardVote = z.object({
  statementId: Id,
  title: z.string(),
  closesAt: IsoDateTime,
  organisations: z.array(OrganisationRef.extend({ hasVoted: z.boolean() })),
});
export type DashboardVote = z.infer<typeof DashboardVote>;

export const DashboardMetric = z.object({
  id: Id,
  name: z.string(),
  secondName: SecondName.nullable(),
  unit: z.string(),
  secondUnit: z.string().nullable(),
  total: z.number(),
  target: z.number().nullable(),
  /** total / target, null without a target. */
  progress: z.number().nullable(),
});
export type DashboardMetric = z.infer<typeof DashboardMetric>;

export const DashboardCampaign = CampaignRef.extend({ metrics: z.array(DashboardMetric) });
export type DashboardCampaign = z.infer<typeof DashboardCampaign>;

export const DashboardUpdate = z.object({
  id: Id,
  campaign: CampaignRef,
  author: z.string(),
  /** The start of the update, as plain text (the full update is on the campaign page). */
  excerpt: z.string(),
  createdAt: IsoDateTime,
});
export type DashboardUpdate = z.infer<typeof DashboardUpdate>;

const List = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), more: z.boolean() });

/** GET /api/coalitions/:coalitionId/dashboard: the day's work, each list small and bounded. */
export const Dashboard = z.object({
  /** My open tasks and my organisations' open tasks, overdue first, then by due date. */
  tasks: List(DashboardTask),
  /** Votes waiting for a ballot of my organisations, closing soonest first. */
  votes: List(DashboardVote),
  /** Overdue tasks across the coalition, oldest due date first; null unless I coordinate. */
  coalitionOverdue: List(DashboardTask).nullable(),
  /** Active campaigns (latest changed first) with their metrics' progress. */
  campaigns: List(DashboardCampaign),
  /** The latest campaign updates of the coalition. */
  updates: List(DashboardUpdate),
});
export type Dashboard = z.infer<typeof Dashboard>;
