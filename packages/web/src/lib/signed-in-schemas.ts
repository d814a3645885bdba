/**
 * The answers the signed-in first screen reads (the dashboard and the bell's unread count),
 * validated with zod/mini, as first-screen-schemas.ts does for the sign-in page (and for /api/me,
 * which carries what the two-factor gate reads).
 * With the shared schemas, full zod and the schemas themselves were 47 of the signed-in chunk's
 * 65 KB (about 13 KiB as sent), and building them took 0.1 s of a slow phone's CPU before the
 * dashboard could draw (issue 10, LCP). The pages opened later load full zod with their own code.
 *
 * Each schema mirrors the shared one of the same name, field for field, and
 * signed-in-schemas.test.ts compares their JSON Schemas. A change to a shared schema that is not
 * made here too fails the tests. The enums' values come from the shared lists, never copied.
 */

import { TASK_PRIORITIES, TASK_STATUSES } from "@samakki/shared/constants";
import { LANGUAGES } from "@samakki/shared/i18n/translate";
import * as z from "zod/mini";

const Id = z.uuid();
const IsoDateTime = z.iso.datetime({ offset: true });
const SecondName = z.object({ language: z.enum(LANGUAGES), name: z.string() });

/** The part of GET /api/notifications the bell reads (shared NotificationPage's `unreadCount`). */
export const NotificationUnreadCount = z.object({ unreadCount: z.int() });

const OrganisationRef = z.object({ id: Id, name: z.string(), shortName: z.nullable(z.string()), secondName: z.nullable(SecondName) });
const CampaignRef = z.object({ id: Id, title: z.string(), secondTitle: z.nullable(SecondName) });

export const DashboardTask = z.object({
  id: Id,
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(TASK_PRIORITIES),
  dueOn: z.nullable(z.iso.date()),
  overdue: z.boolean(),
  mine: z.boolean(),
  campaign: z.nullable(CampaignRef),
  assigneeOrganisation: z.nullable(OrganisationRef),
  assigneePerson: z.nullable(z.object({ id: Id, displayName: z.string() })),
});

export const DashboardVote = z.object({
  statementId: Id,
  title: z.string(),
  closesAt: IsoDateTime,
  organisations: z.array(z.extend(OrganisationRef, { hasVoted: z.boolean() })),
});

export const DashboardMetric = z.object({
  id: Id,
  name: z.string(),
  secondName: z.nullable(SecondName),
  unit: z.string(),
  secondUnit: z.nullable(z.string()),
  total: z.number(),
  target: z.nullable(z.number()),
  progress: z.nullable(z.number()),
});

export const DashboardCampaign = z.extend(CampaignRef, { metrics: z.array(DashboardMetric) });

export const DashboardUpdate = z.object({
  id: Id,
  campaign: CampaignRef,
  author: z.string(),
  excerpt: z.string(),
  createdAt: IsoDateTime,
});

const List = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item), more: z.boolean() });

export const Dashboard = z.object({
  tasks: List(DashboardTask),
  votes: List(DashboardVote),
  coalitionOverdue: z.nullable(List(DashboardTask)),
  campaigns: List(DashboardCampaign),
  updates: List(DashboardUpdate),
});
