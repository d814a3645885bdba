import { z } from "zod";
import { DateOnly } from "./campaigns.ts";
import {
  changesSomething,
  hasChanges,
  Id,
  IsoDateTime,
  nothingToChange,
  queryInteger,
  SecondName,
  singleLine,
  textBody,
} from "./common.ts";
import { TASK_PRIORITIES, TASK_STATUSES } from "./constants.ts";

export const TaskStatus = z.enum(TASK_STATUSES);
/** The statuses of a task still to do (not done, not cancelled). */
export const OPEN_TASK_STATUSES = ["todo", "in_progress", "blocked"] as const;
export type TaskStatus = z.infer<typeof TaskStatus>;
export const TaskPriority = z.enum(TASK_PRIORITIES);
export type TaskPriority = z.infer<typeof TaskPriority>;
const Label = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^,]+$/);

export const TaskSummary = z.object({
  id: Id,
  title: z.string(),
  status: TaskStatus,
  priority: TaskPriority,
  dueOn: DateOnly.nullable(),
  overdue: z.boolean(),
  /** With their second names (bilingual names): show them with localName. */
  campaign: z.object({ id: Id, title: z.string(), secondTitle: SecondName.nullable() }).nullable(),
  assigneeOrganisation: z
    .object({ id: Id, name: z.string(), shortName: z.string().nullable(), secondName: SecondName.nullable() })
    .nullable(),
  assigneePerson: z.object({ id: Id, displayName: z.string() }).nullable(),
  labels: z.array(z.string()),
  updatedAt: IsoDateTime,
});
export type TaskSummary = z.infer<typeof TaskSummary>;

export const TaskHistoryEntry = z.object({
  id: z.string(),
  actor: z.object({ id: Id, displayName: z.string() }).nullable(),
  field: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  createdAt: IsoDateTime,
});
export const TaskComment = z.object({
  id: Id,
  author: z.object({ id: Id, displayName: z.string() }),
  body: z.string(),
  bodyHtml: z.string(),
  createdAt: IsoDateTime,
});
export type TaskComment = z.infer<typeof TaskComment>;

export const Task = TaskSummary.extend({
  coalitionId: Id,
  description: z.string(),
  descriptionHtml: z.string(),
  watchers: z.array(z.object({ id: Id, displayName: z.string() })),
  history: z.array(TaskHistoryEntry),
  comments: z.array(TaskComment),
  permissions: z.object({ edit: z.boolean(), assign: z.boolean(), delegate: z.boolean(), changeStatus: z.boolean() }),
  createdAt: IsoDateTime,
  /**
   * Up by one with each edit of the title, description, priority, due date or labels (not a status
   * change or an assignment, which have their own commands): send it back as `If-Match: "<revision>"`
   * with an edit, and the edit is refused (412 edit_conflict) if someone else's came first. Also the
   * answer's ETag.
   */
  revision: z.number().int().positive(),
});
export type Task = z.infer<typeof Task>;

export const CreateTaskInput = z.strictObject({
  campaignId: Id.nullable().optional(),
  title: singleLine(2, 200),
  description: z.string().max(20_000).default(""),
  status: TaskStatus.default("todo"),
  priority: TaskPriority.default("normal"),
  dueOn: DateOnly.nullable().optional(),
  assigneeOrganisationId: Id.nullable().optional(),
  assigneePersonId: Id.nullable().optional(),
  labels: z.array(Label).max(20).default([]),
});
export type CreateTaskInput = z.infer<typeof CreateTaskInput>;

export const UpdateTaskInput = z
  .strictObject({
    title: singleLine(2, 200).optional(),
    description: z.string().max(20_000).optional(),
    priority: TaskPriority.optional(),
    dueOn: DateOnly.nullable().optional(),
    labels: z.array(Label).max(20).optional(),
  })
  .refine(hasChanges, nothingToChange())
  .meta(changesSomething);

export const AssignTaskInput = z.strictObject({ organisationId: Id.nullable(), personId: Id.nullable().optional() });
export const DelegateTaskInput = z.strictObject({ personId: Id.nullable() });
export const ChangeTaskStatusInput = z.strictObject({ status: TaskStatus });
export const TaskCommentInput = z.strictObject({ body: textBody(10_000) });

export const TaskListQuery = z.strictObject({
  view: z.enum(["all", "mine", "organisation", "overdue"]).default("all"),
  /** One status or several, comma-separated (e.g. `todo,in_progress`). */
  status: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .refine((value) => value.split(",").every((s) => TaskStatus.safeParse(s).success), "Unknown status")
    .optional(),
  organisationId: Id.optional(),
  personId: Id.optional(),
  priority: TaskPriority.optional(),
  dueBefore: DateOnly.optional(),
  label: z.string().max(40).optional(),
  campaignId: Id.optional(),
  // `cursor`: the API adds its one Cursor schema (packages/api/src/lib/cursor.ts: decoded at the edge, 400 when malformed).
  limit: queryInteger(1, 100).default(50),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;
