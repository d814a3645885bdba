import type { AuditAction } from "@samakki/shared/audit";
import type { CreateTaskInput, Task, TaskListQuery, TaskStatus, TaskSummary } from "@samakki/shared/tasks";
import { sql } from "kysely";
import type { CoalitionAccess } from "../../lib/context.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { AppError, notFound, validationFailed } from "../../lib/errors.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { seesCoalition } from "../access/access.repository.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { canEditCampaign, loadCampaign } from "../campaigns/campaigns.access.ts";
import { type NotificationInput, notify } from "../notifications/notifications.service.ts";
import { extractMentions, renderMentions } from "./mentions.ts";
import * as repo from "./tasks.repository.ts";

/** The service context of coalition-scoped calls (see lib/service-context.ts). */
export type Ctx = CoalitionCtx;

type TaskRow = NonNullable<Awaited<ReturnType<typeof repo.findTask>>>;

/** Coordinators edit and assign any task; people of a campaign's co-owner organisations, that campaign's tasks. */
async function canManage(db: Executor, access: CoalitionAccess, task: { campaign_id: string | null }) {
  if (access.isCoordinator) return true;
  return task.campaign_id ? canEditCampaign(db, access, task.campaign_id) : false;
}

async function isOrgAdmin(db: Executor, personId: string, organisationId: string | null) {
  if (!organisationId) return false;
  const row = await db
    .selectFrom("membership")
    .where("organisation_id", "=", organisationId)
    .where("person_id", "=", personId)
    .select("role")
    .executeTakeFirst();
  return row?.role === "admin";
}

async function permissions(db: Executor, ctx: Ctx, task: TaskRow) {
  const manage = await canManage(db, ctx.access, task);
  const assigneeAdmin = await isOrgAdmin(db, ctx.person.id, task.assignee_organisation_id);
  const assignee = task.assignee_person_id === ctx.person.id;
  return {
    edit: manage,
    assign: manage,
    delegate: assigneeAdmin,
    // The assignee and the assignee organisation's admins move a task; while nobody is assigned, its managers do.
    changeStatus: assignee || assigneeAdmin || (manage && task.assignee_organisation_id === null),
  };
}

function toSummary(r: repo.TaskListRow): TaskSummary {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    priority: r.priority,
    dueOn: r.due_on,
    overdue: Boolean(r.overdue),
    campaign: r.campaign_id && r.campaign_title ? { id: r.campaign_id, title: r.campaign_title } : null,
    assigneeOrganisation:
      r.assignee_organisation_id && r.organisation_name
        ? { id: r.assignee_organisation_id, name: r.organisation_name, shortName: r.organisation_short_name }
        : null,
    assigneePerson: r.assignee_person_id && r.person_name ? { id: r.assignee_person_id, displayName: r.person_name } : null,
    labels: r.labels,
    updatedAt: r.updated_at.toISOString(),
  };
}

function statusList(status: string | undefined): string[] | undefined {
  if (!status) return undefined;
  const valid = ["todo", "in_progress", "blocked", "done", "cancelled"];
  const list = status.split(",");
  const bad = list.filter((s) => !valid.includes(s));
  if (bad.length > 0) throw validationFailed([{ path: "query.status", message: "validation.unknown_status" }]);
  return list;
}

export async function listTasks(ctx: Ctx, query: TaskListQuery) {
  const { access } = ctx;
  if (query.view === "overdue" && !access.isCoordinator) throw new AppError("forbidden", "overdue view is for coordinators");
  const cursor = decodeCursor(query.cursor);
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
    cursor,
    limit: query.limit,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(toSummary), nextCursor: rows.length > query.limit && last ? encodeCursor(last.updated_at, last.id) : null };
}

export async function getTask(ctx: Ctx, taskId: string): Promise<Task> {
  const { db } = ctx.deps;
  const task = await repo.findTask(db, ctx.access.coalitionId, taskId);
  if (!task) throw notFound("task");
  const summaryRow = await repo
    .selectTaskSummaries(db, ctx.access.coalitionId, ctx.access.timeZone)
    .where("t.id", "=", taskId)
    .executeTakeFirst();
  if (!summaryRow) throw notFound("task");
  const [watchers, history, comments] = await Promise.all([
    db
      .selectFrom("task_watcher as w")
      .innerJoin("person as p", "p.id", "w.person_id")
      .where("w.task_id", "=", taskId)
      // Watches end with access; one that outlived it (a race with a suspension) is not shown either.
      .where(seesCoalition(sql.ref("w.person_id"), ctx.access.coalitionId))
      .select(["p.id", "p.display_name"])
      .orderBy("p.display_name")
      .execute(),
    db
      .selectFrom("task_event as e")
      .leftJoin("person as p", "p.id", "e.actor_id")
      .where("e.task_id", "=", taskId)
      .select([sql<string>`e.id::text`.as("id"), "e.field", "e.before", "e.after", "e.created_at", "e.actor_id", "p.display_name"])
      .orderBy("e.id")
      .execute(),
    db
      .selectFrom("task_comment as c")
      .innerJoin("person as p", "p.id", "c.author_id")
      .where("c.task_id", "=", taskId)
      .select(["c.id", "c.body", "c.created_at", "p.id as author_id", "p.display_name"])
      .orderBy("c.created_at")
      .execute(),
  ]);
  return {
    ...toSummary(summaryRow),
    coalitionId: task.coalition_id,
    description: task.description,
    descriptionHtml: renderMarkdown(task.description),
    watchers: watchers.map((w) => ({ id: w.id, displayName: w.display_name })),
    history: history.map((h) => ({
      id: h.id,
      actor: h.actor_id ? { id: h.actor_id, displayName: h.display_name ?? "" } : null,
      field: h.field,
      before: h.before ?? null,
      after: h.after ?? null,
      createdAt: h.created_at.toISOString(),
    })),
    comments: comments.map((c) => ({
      id: c.id,
      author: { id: c.author_id, displayName: c.display_name },
      body: c.body,
      bodyHtml: renderMarkdown(renderMentions(c.body)),
      createdAt: c.created_at.toISOString(),
    })),
    permissions: await permissions(db, ctx, task),
    createdAt: task.created_at.toISOString(),
  };
}

/** The assignee organisation must be an active member of the coalition, and the person one of its people. */
async function checkAssignee(
  db: Executor,
  coalitionId: string,
  organisationId: string | null,
  personId: string | null | undefined,
  paths: { organisation: string; person: string } = { organisation: "organisationId", person: "personId" },
) {
  if (!organisationId) {
    if (personId) throw validationFailed([{ path: paths.person, message: "validation.assign_organisation_first" }]);
    return;
  }
  const member = await db
    .selectFrom("coalition_member")
    .where("coalition_id", "=", coalitionId)
    .where("organisation_id", "=", organisationId)
    .where("status", "=", "active")
    .select("status")
    .executeTakeFirst();
  if (!member) throw validationFailed([{ path: paths.organisation, message: "validation.not_active_member" }]);
  if (personId) {
    const inOrg = await db
      .selectFrom("membership")
      .where("organisation_id", "=", organisationId)
      .where("person_id", "=", personId)
      .select("role")
      .executeTakeFirst();
    if (!inOrg) throw validationFailed([{ path: paths.person, message: "validation.not_in_assignee_organisation" }]);
  }
}

async function organisationName(db: Executor, id: string) {
  return (await db.selectFrom("organisation").where("id", "=", id).select("name").executeTakeFirstOrThrow()).name;
}

async function assignmentNotifications(
  db: Executor,
  ctx: Ctx,
  task: { id: string; title: string },
  organisationId: string | null,
  personId: string | null,
  changedOrg: boolean,
  changedPerson: boolean,
) {
  const out: NotificationInput[] = [];
  const link = `/c/${ctx.access.coalitionId}/tasks/${task.id}`;
  if (changedOrg && organisationId) {
    const admins = await repo.organisationAdmins(db, organisationId);
    const org = await organisationName(db, organisationId);
    for (const a of admins) {
      if (a.person_id !== ctx.person.id)
        out.push({
          personId: a.person_id,
          coalitionId: ctx.access.coalitionId,
          kind: "task_assigned",
          messageKey: "notifications.task_assigned",
          params: { task: task.title, organisation: org },
          link,
        });
    }
  }
  if (changedPerson && personId && personId !== ctx.person.id) {
    out.push({
      personId,
      coalitionId: ctx.access.coalitionId,
      kind: "task_delegated",
      messageKey: "notifications.task_delegated",
      params: { task: task.title },
      link,
    });
  }
  await notify(db, out);
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
    const task = await trx
      .insertInto("task")
      .values({
        coalition_id: ctx.access.coalitionId,
        campaign_id: input.campaignId ?? null,
        title: input.title,
        description: input.description,
        status: input.status,
        priority: input.priority,
        due_on: input.dueOn ?? null,
        assignee_organisation_id: organisationId,
        assignee_person_id: personId,
        labels: sql<string[]>`${[...new Set(input.labels)]}::text[]`,
        created_by: ctx.person.id,
        reminded_due_at: null,
        reminded_overdue_at: null,
      })
      .returning(["id", "title"])
      .executeTakeFirstOrThrow();
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
    priority?: string | undefined;
    dueOn?: string | null | undefined;
    labels?: string[] | undefined;
  },
) {
  await withTransaction(ctx.deps.db, async (trx) => {
    const task = await repo.lockTask(trx, ctx.access.coalitionId, taskId);
    if (!task) throw notFound("task");
    if (!(await canManage(trx, ctx.access, task))) throw new AppError("forbidden", "coordinators and campaign co-owners edit tasks");
    const set: Record<string, unknown> = {};
    const events: Parameters<typeof repo.insertEvents>[1] = [];
    for (const [key, column] of Object.entries(FIELDS) as [keyof typeof FIELDS, (typeof FIELDS)[keyof typeof FIELDS]][]) {
      const value = input[key];
      if (value === undefined) continue;
      const before = task[column];
      const after = key === "labels" ? [...new Set(value as string[])] : value;
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      set[column] = key === "labels" ? sql`${after}::text[]` : after;
      events.push({ task_id: taskId, actor_id: ctx.person.id, field: key, before, after });
    }
    if (events.length === 0) return;
    await trx
      .updateTable("task")
      .set({ ...set, updated_at: new Date(), ...(set.due_on !== undefined ? { reminded_due_at: null, reminded_overdue_at: null } : {}) })
      .where("id", "=", taskId)
      .execute();
    await repo.insertEvents(trx, events);
    if (input.title !== undefined && input.title !== task.title) {
      await notifyWatchers(trx, ctx, taskId, "task_renamed", "notifications.task_renamed", { before: task.title, task: input.title });
    }
  });
}

/** Coordinators and co-owners assign to an organisation (and optionally one of its people). */
export async function assignTask(ctx: Ctx, taskId: string, input: { organisationId: string | null; personId?: string | null | undefined }) {
  await withTransaction(ctx.deps.db, async (trx) => {
    const task = await repo.lockTask(trx, ctx.access.coalitionId, taskId);
    if (!task) throw notFound("task");
    if (!(await canManage(trx, ctx.access, task))) throw new AppError("forbidden", "coordinators and campaign co-owners assign tasks");
    const personId = input.personId ?? null;
    await checkAssignee(trx, ctx.access.coalitionId, input.organisationId, personId);
    await applyAssignment(trx, ctx, task, input.organisationId, personId, "task.assign");
  });
}

/** The assignee organisation's admins delegate the task to one of its people (or take it back). */
export async function delegateTask(ctx: Ctx, taskId: string, personId: string | null) {
  await withTransaction(ctx.deps.db, async (trx) => {
    const task = await repo.lockTask(trx, ctx.access.coalitionId, taskId);
    if (!task) throw notFound("task");
    if (!task.assignee_organisation_id || !(await isOrgAdmin(trx, ctx.person.id, task.assignee_organisation_id))) {
      throw new AppError("forbidden", "the assignee organisation's admins delegate");
    }
    await checkAssignee(trx, ctx.access.coalitionId, task.assignee_organisation_id, personId);
    await applyAssignment(trx, ctx, task, task.assignee_organisation_id, personId, "task.delegate");
  });
}

/** Under the task's row lock: concurrent assignments apply one after the other, and each is in the history. */
async function applyAssignment(
  trx: Executor,
  ctx: Ctx,
  task: TaskRow,
  organisationId: string | null,
  personId: string | null,
  action: AuditAction,
) {
  const changedOrg = task.assignee_organisation_id !== organisationId;
  const changedPerson = task.assignee_person_id !== personId;
  const events: Parameters<typeof repo.insertEvents>[1] = [];
  if (changedOrg)
    events.push({
      task_id: task.id,
      actor_id: ctx.person.id,
      field: "assigneeOrganisation",
      before: task.assignee_organisation_id,
      after: organisationId,
    });
  if (changedPerson || events.length === 0)
    events.push({ task_id: task.id, actor_id: ctx.person.id, field: "assigneePerson", before: task.assignee_person_id, after: personId });
  await trx
    .updateTable("task")
    .set({ assignee_organisation_id: organisationId, assignee_person_id: personId, updated_at: new Date() })
    .where("id", "=", task.id)
    .execute();
  await repo.insertEvents(trx, events);
  if (personId) await repo.addWatchers(trx, task.id, [personId]);
  await recordAudit(trx, {
    coalitionId: ctx.access.coalitionId,
    actorId: ctx.person.id,
    action,
    targetType: "task",
    targetId: task.id,
    before: { organisationId: task.assignee_organisation_id, personId: task.assignee_person_id },
    after: { organisationId, personId },
  });
  await assignmentNotifications(trx, ctx, task, organisationId, personId, changedOrg, changedPerson);
}

/** Tell a task's watchers, except the person acting, of a change; notify() keeps only those who can still see the task. */
async function notifyWatchers(trx: Executor, ctx: Ctx, taskId: string, kind: string, messageKey: string, params: Record<string, string>) {
  const watchers = await repo.watcherIds(trx, taskId);
  await notify(
    trx,
    watchers
      .filter((w) => w.person_id !== ctx.person.id)
      .map((w) => ({
        personId: w.person_id,
        coalitionId: ctx.access.coalitionId,
        kind,
        messageKey,
        params,
        link: `/c/${ctx.access.coalitionId}/tasks/${taskId}`,
      })),
  );
}

export async function changeStatus(ctx: Ctx, taskId: string, status: TaskStatus) {
  await withTransaction(ctx.deps.db, async (trx) => {
    const task = await repo.lockTask(trx, ctx.access.coalitionId, taskId);
    if (!task) throw notFound("task");
    if (!(await permissions(trx, ctx, task)).changeStatus)
      throw new AppError("forbidden", "the assignee and its organisation's admins change status");
    if (task.status === status) return;
    await trx.updateTable("task").set({ status, updated_at: new Date() }).where("id", "=", taskId).execute();
    await repo.insertEvents(trx, [{ task_id: taskId, actor_id: ctx.person.id, field: "status", before: task.status, after: status }]);
    await notifyWatchers(trx, ctx, taskId, "task_status", `notifications.task_status_${status}`, { task: task.title, status });
  });
}

/** Anyone who sees the task comments; mentioned people of the coalition are notified and start watching. */
export async function addComment(ctx: Ctx, taskId: string, body: string) {
  return withTransaction(ctx.deps.db, async (trx) => {
    const task = await repo.findTask(trx, ctx.access.coalitionId, taskId);
    if (!task) throw notFound("task");
    const comment = await trx
      .insertInto("task_comment")
      .values({ task_id: taskId, author_id: ctx.person.id, body })
      .returning(["id"])
      .executeTakeFirstOrThrow();
    const mentioned = extractMentions(body);
    const inCoalition = mentioned.length
      ? (
          await trx
            .selectFrom("membership as m")
            .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
            .where("cm.coalition_id", "=", ctx.access.coalitionId)
            .where("cm.status", "in", ["active", "observer"])
            .where("m.person_id", "in", mentioned)
            .select("m.person_id")
            // Coordinators are people of the coalition even without a member organisation.
            .union(
              trx
                .selectFrom("coordinator")
                .where("coalition_id", "=", ctx.access.coalitionId)
                .where("person_id", "in", mentioned)
                .select("person_id"),
            )
            .execute()
        ).map((r) => r.person_id)
      : [];
    const watchersBefore = (await repo.watcherIds(trx, taskId)).map((w) => w.person_id);
    await repo.addWatchers(trx, taskId, [ctx.person.id, ...inCoalition]);
    const link = `/c/${ctx.access.coalitionId}/tasks/${taskId}`;
    const recipients = new Map<string, NotificationInput>();
    for (const id of watchersBefore)
      recipients.set(id, {
        personId: id,
        coalitionId: ctx.access.coalitionId,
        kind: "task_comment",
        messageKey: "notifications.task_comment",
        params: { task: task.title, author: ctx.person.displayName },
        link,
      });
    for (const id of inCoalition)
      recipients.set(id, {
        personId: id,
        coalitionId: ctx.access.coalitionId,
        kind: "task_mention",
        messageKey: "notifications.task_mention",
        params: { task: task.title, author: ctx.person.displayName },
        link,
      });
    recipients.delete(ctx.person.id);
    await notify(trx, [...recipients.values()]);
    return comment;
  });
}

export async function setWatching(ctx: Ctx, taskId: string, watching: boolean) {
  const task = await repo.findTask(ctx.deps.db, ctx.access.coalitionId, taskId);
  if (!task) throw notFound("task");
  if (watching) await repo.addWatchers(ctx.deps.db, taskId, [ctx.person.id]);
  else await ctx.deps.db.deleteFrom("task_watcher").where("task_id", "=", taskId).where("person_id", "=", ctx.person.id).execute();
}
