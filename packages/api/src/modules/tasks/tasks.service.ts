import { isMemberOf } from "@samakki/shared/common";
import { secondNameOf } from "@samakki/shared/names";
import * as paths from "@samakki/shared/paths";
import {
  type CreateTaskInput,
  type Task,
  type TaskListQuery,
  type TaskPriority,
  TaskStatus,
  type TaskSummary,
} from "@samakki/shared/tasks";
import { decodeCursor, encodeCursor, type KeysetCursor } from "../../lib/cursor.ts";
import { AppError, notFound, validationFailed } from "../../lib/errors.ts";
import { requireMatch } from "../../lib/if-match.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { isoTime } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { loadCampaign } from "../campaigns/campaigns.access.ts";
import { notify } from "../notifications/notifications.service.ts";
import { renderMentions } from "./mentions.ts";
import { canManage, permissions, type TaskPermissions } from "./tasks.access.ts";
import { assignmentNotifications, checkAssignee } from "./tasks.assignment.ts";
import { tasksToCsv } from "./tasks.csv.ts";
import * as repo from "./tasks.repository.ts";

/**
 * Tasks: the list, a task's view, creating and editing, status and watching. Assignment and
 * delegation are in tasks.assignment.ts, comments in tasks.comments.ts, who may do what in
 * tasks.access.ts, every query in tasks.repository.ts.
 */

/** The service context of coalition-scoped calls (see lib/service-context.ts). */
type Ctx = CoalitionCtx;

/** A task row of selectTaskSummaries as the API gives it; the dashboard gives the same, without labels and time. */
export function toSummary(r: repo.TaskListRow): TaskSummary {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    priority: r.priority,
    dueOn: r.due_on,
    overdue: Boolean(r.overdue),
    campaign:
      r.campaign_id && r.campaign_title
        ? {
            id: r.campaign_id,
            title: r.campaign_title,
            secondTitle: secondNameOf(r.campaign_second_title, r.campaign_second_title_language),
          }
        : null,
    assigneeOrganisation:
      r.assignee_organisation_id && r.organisation_name
        ? {
            id: r.assignee_organisation_id,
            name: r.organisation_name,
            shortName: r.organisation_short_name,
            secondName: secondNameOf(r.organisation_second_name, r.organisation_second_name_language),
          }
        : null,
    assigneePerson: r.assignee_person_id && r.person_name ? { id: r.assignee_person_id, displayName: r.person_name } : null,
    labels: r.labels,
    updatedAt: isoTime(r.updated_at),
  };
}

function statusList(status: string | undefined): TaskStatus[] | undefined {
  if (!status) return undefined;
  const list = status.split(",");
  if (!list.every(isMemberOf(TaskStatus))) throw validationFailed([{ path: "query.status", message: "validation.unknown_status" }]);
  return list;
}

export async function listTasks(ctx: Ctx, query: TaskListQuery & { cursor?: KeysetCursor | undefined }) {
  const { access } = ctx;
  if (query.view === "overdue" && !access.isCoordinator) throw new AppError("forbidden", "overdue view is for coordinators");
  const organisationIds =
    query.view === "organisation"
      ? query.organisationId
        ? access.organisationIds.filter((id) => id === query.organisationId)
        : access.organisationIds
      : query.organisationId
        ? [query.organisationId]
        : undefined;
  const rows = await repo.listTasks(ctx.deps.db, {
    coalitionId: access.coalitionId,
    timeZone: access.timeZone,
    statuses: statusList(query.status),
    organisationIds,
    personId: query.view === "mine" ? ctx.person.id : query.personId,
    priority: query.priority,
    dueBefore: query.dueBefore,
    label: query.label,
    campaignId: query.campaignId,
    overdue: query.view === "overdue",
    cursor: query.cursor,
    limit: query.limit,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(toSummary), nextCursor: rows.length > query.limit && last ? encodeCursor(last.updated_at, last.id) : null };
}

/** A JSON time from the task's view (text there, whatever Kysely's type says) as the API writes times. */
const isoFrom = (value: Date | string) => isoTime(typeof value === "string" ? new Date(value) : value);

/**
 * A task's page, from one query (repo.findTaskView). `known` carries the person's permissions when a
 * command just computed them on the same task (a status change does not alter who may do what),
 * sparing their query.
 */
export async function getTask(ctx: Ctx, taskId: string, known?: { permissions: TaskPermissions }): Promise<Task> {
  const { db } = ctx.deps;
  const task = await repo.findTaskView(db, ctx.access.coalitionId, ctx.access.timeZone, taskId);
  if (!task) throw notFound("task");
  return {
    ...toSummary(task),
    coalitionId: ctx.access.coalitionId,
    description: task.description,
    descriptionHtml: renderMarkdown(task.description),
    watchers: task.watchers.map((w) => ({ id: w.id, displayName: w.display_name })),
    history: task.history.map((h) => ({
      id: h.id,
      actor: h.actor_id ? { id: h.actor_id, displayName: h.display_name ?? "" } : null,
      field: h.field,
      before: h.before ?? null,
      after: h.after ?? null,
      createdAt: isoFrom(h.created_at),
    })),
    comments: task.comments.map((c) => ({
      id: c.id,
      author: { id: c.author_id, displayName: c.display_name },
      body: c.body,
      bodyHtml: renderMarkdown(renderMentions(c.body)),
      createdAt: isoFrom(c.created_at),
    })),
    permissions: known?.permissions ?? (await permissions(db, ctx, task)),
    createdAt: isoTime(task.created_at),
    revision: task.revision,
  };
}

export async function createTask(ctx: Ctx, input: CreateTaskInput) {
  return withTransaction(ctx.deps.db, async (trx) => {
    if (input.campaignId) {
      await loadCampaign(trx, ctx.access, input.campaignId).catch(() => {
        throw validationFailed([{ path: "campaignId", message: "validation.unknown_campaign" }]);
      });
    }
    if (!(await canManage(trx, ctx.access, { campaign_id: input.campaignId ?? null })))
      throw new AppError("forbidden", "coordinators and campaign co-owners create tasks");
    const organisationId = input.assigneeOrganisationId ?? null;
    const personId = input.assigneePersonId ?? null;
    await checkAssignee(trx, ctx.access.coalitionId, organisationId, personId, {
      organisation: "assigneeOrganisationId",
      person: "assigneePersonId",
    });
    const task = await repo.insertTask(trx, {
      coalition_id: ctx.access.coalitionId,
      campaign_id: input.campaignId ?? null,
      title: input.title,
      description: input.description,
      status: input.status,
      priority: input.priority,
      due_on: input.dueOn ?? null,
      assignee_organisation_id: organisationId,
      assignee_person_id: personId,
      labels: input.labels,
      created_by: ctx.person.id,
    });
    await repo.insertEvents(trx, [
      {
        task_id: task.id,
        actor_id: ctx.person.id,
        field: "created",
        before: null,
        after: { title: input.title, status: input.status, organisationId, personId },
      },
    ]);
    await repo.addWatchers(trx, task.id, [ctx.person.id, ...(personId ? [personId] : [])]);
    if (organisationId) {
      await recordAudit(trx, {
        coalitionId: ctx.access.coalitionId,
        actorId: ctx.person.id,
        action: "task.assign",
        targetType: "task",
        targetId: task.id,
        before: null,
        after: { organisationId, personId },
      });
    }
    await assignmentNotifications(trx, ctx, task, organisationId, personId, true, true);
    return task;
  });
}

const FIELDS = { title: "title", description: "description", priority: "priority", dueOn: "due_on", labels: "labels" } as const;

export async function updateTask(
  ctx: Ctx,
  taskId: string,
  input: {
    title?: string | undefined;
    description?: string | undefined;
    priority?: TaskPriority | undefined;
    dueOn?: string | null | undefined;
    labels?: string[] | undefined;
  },
  ifMatch?: string,
) {
  await withTransaction(ctx.deps.db, async (trx) => {
    const task = await repo.lockTask(trx, ctx.access.coalitionId, taskId);
    if (!task) throw notFound("task");
    if (!(await canManage(trx, ctx.access, task))) throw new AppError("forbidden", "coordinators and campaign co-owners edit tasks");
    // On the locked row: of two edits based on the same revision, the second finds it moved on.
    requireMatch(ifMatch, task.revision);
    const set: Record<string, unknown> = {};
    const events: Parameters<typeof repo.insertEvents>[1] = [];
    for (const [key, column] of Object.entries(FIELDS) as [keyof typeof FIELDS, (typeof FIELDS)[keyof typeof FIELDS]][]) {
      const value = input[key];
      if (value === undefined) continue;
      const before = task[column];
      const after = key === "labels" ? [...new Set(value as string[])] : value;
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      set[column] = after;
      events.push({ task_id: taskId, actor_id: ctx.person.id, field: key, before, after });
    }
    if (events.length === 0) return;
    await repo.updateTaskFields(trx, taskId, set as Parameters<typeof repo.updateTaskFields>[2]);
    await repo.insertEvents(trx, events);
    if (input.title !== undefined && input.title !== task.title) {
      await notifyWatchers(trx, ctx, taskId, "task_renamed", "notifications.task_renamed", { before: task.title, task: input.title });
    }
  });
}

/**
 * Tell a task's watchers, except the person acting, of a change; notify() keeps only those who can
 * still see the task. `watchers` when the caller already read them (setStatus returns them).
 */
async function notifyWatchers(
  trx: Executor,
  ctx: Ctx,
  taskId: string,
  kind: string,
  messageKey: string,
  params: Record<string, string>,
  watchers?: readonly string[],
) {
  const ids = watchers ?? (await repo.watcherIds(trx, taskId)).map((w) => w.person_id);
  await notify(
    trx,
    ids
      .filter((personId) => personId !== ctx.person.id)
      .map((personId) => ({
        personId,
        coalitionId: ctx.access.coalitionId,
        kind,
        messageKey,
        params,
        link: paths.task(ctx.access.coalitionId, taskId),
      })),
  );
}

/** Returns the person's permissions on the task (for its view: a status change does not alter them). */
export async function changeStatus(ctx: Ctx, taskId: string, status: TaskStatus): Promise<{ permissions: TaskPermissions }> {
  return withTransaction(ctx.deps.db, async (trx) => {
    const task = await repo.lockTask(trx, ctx.access.coalitionId, taskId);
    if (!task) throw notFound("task");
    const allowed = await permissions(trx, ctx, task);
    if (!allowed.changeStatus) throw new AppError("forbidden", "the assignee and its organisation's admins change status");
    if (task.status !== status) {
      const watchers = await repo.setStatus(trx, { taskId, actorId: ctx.person.id, before: task.status, after: status });
      await notifyWatchers(trx, ctx, taskId, "task_status", `notifications.task_status_${status}`, { task: task.title, status }, watchers);
    }
    return { permissions: allowed };
  });
}

export async function setWatching(ctx: Ctx, taskId: string, watching: boolean) {
  const task = await repo.findTask(ctx.deps.db, ctx.access.coalitionId, taskId);
  if (!task) throw notFound("task");
  if (watching) await repo.addWatchers(ctx.deps.db, taskId, [ctx.person.id]);
  else await repo.removeWatcher(ctx.deps.db, taskId, ctx.person.id);
}

/** The most rows one CSV export holds. */
const EXPORT_LIMIT = 10_000;

/** The filtered list as CSV, up to EXPORT_LIMIT rows, a page at a time; the export is audited (it takes data out). */
export async function exportTasksCsv(ctx: Ctx, query: Omit<TaskListQuery, "limit">) {
  const all: TaskSummary[] = [];
  let cursor: KeysetCursor | undefined;
  do {
    const page = await listTasks(ctx, { ...query, limit: 100, cursor });
    all.push(...page.items);
    cursor = page.nextCursor ? decodeCursor(page.nextCursor) : undefined;
  } while (cursor && all.length < EXPORT_LIMIT);
  await recordAudit(ctx.deps.db, {
    coalitionId: ctx.access.coalitionId,
    actorId: ctx.person.id,
    action: "task.export",
    targetType: "coalition",
    targetId: ctx.access.coalitionId,
    after: { rows: all.length, query },
  });
  return tasksToCsv(all);
}
