import type { TaskPriority, TaskStatus } from "@samakki/shared/tasks";
import { type Expression, type Insertable, type SqlBool, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { preparedShapes } from "../../db/prepared.ts";
import type { TaskTable } from "../../db/tables/task.ts";
import { jsonb } from "../../lib/jsonb.ts";
import type { Executor } from "../../lib/transaction.ts";
import { seesCoalition } from "../access/access.repository.ts";
import { coOwnedBy } from "../campaigns/campaigns.repository.ts";

/** Today's date in the coalition's time zone, computed by the database. */
export const todayIn = (timeZone: string) => sql<string>`(now() AT TIME ZONE ${timeZone})::date`;

export interface TaskFilter {
  coalitionId: string;
  timeZone: string;
  statuses?: TaskStatus[] | undefined;
  organisationIds?: string[] | undefined;
  personId?: string | undefined;
  priority?: TaskPriority | undefined;
  dueBefore?: string | undefined;
  label?: string | undefined;
  campaignId?: string | undefined;
  overdue?: boolean | undefined;
  cursor?: { at: Date; id: string } | undefined;
  limit: number;
}

/** Tasks with their campaign, organisation and person names in one query (left joins, no N+1). */
export function selectTaskSummaries(db: Executor, coalitionId: string, timeZone: string) {
  return db
    .selectFrom("task as t")
    .leftJoin("campaign as c", "c.id", "t.campaign_id")
    .leftJoin("organisation as o", "o.id", "t.assignee_organisation_id")
    .leftJoin("person as p", "p.id", "t.assignee_person_id")
    .where("t.coalition_id", "=", coalitionId)
    .select([
      "t.id",
      "t.title",
      "t.status",
      "t.priority",
      "t.due_on",
      "t.labels",
      "t.updated_at",
      "t.campaign_id",
      "c.title as campaign_title",
      "c.second_title as campaign_second_title",
      "c.second_title_language as campaign_second_title_language",
      "t.assignee_organisation_id",
      "o.name as organisation_name",
      "o.short_name as organisation_short_name",
      "o.second_name as organisation_second_name",
      "o.second_name_language as organisation_second_name_language",
      "t.assignee_person_id",
      "p.display_name as person_name",
      sql<boolean>`(t.due_on IS NOT NULL AND t.due_on < ${todayIn(timeZone)} AND t.status NOT IN ('done', 'cancelled'))`.as("overdue"),
    ]);
}

/**
 * A page of tasks, keyset-paginated on (updated_at DESC, id DESC): one query whatever the page size.
 * Each scope has an index in that order (coalition, campaign, organisation, person), so a page
 * reads about its own rows whatever the table's size (task-plans.test.ts checks the plans).
 */
function taskPage(db: Executor, p: TaskPageValues, overdue: boolean) {
  let query = selectTaskSummaries(db, p.coalitionId, p.timeZone).orderBy("t.updated_at", "desc").orderBy("t.id", "desc").limit(p.limit);
  const { statuses, organisationIds, label, cursorAt, cursorId } = p;
  if (p.status) query = query.where("t.status", "=", p.status);
  if (statuses) query = query.where((eb) => eb("t.status", "=", eb.fn.any(sql<TaskStatus[]>`${statuses}::text[]`)));
  if (p.organisationId) query = query.where("t.assignee_organisation_id", "=", p.organisationId);
  if (organisationIds)
    query = query.where((eb) => eb("t.assignee_organisation_id", "=", eb.fn.any(sql<string[]>`${organisationIds}::uuid[]`)));
  if (p.personId) query = query.where("t.assignee_person_id", "=", p.personId);
  if (p.priority) query = query.where("t.priority", "=", p.priority);
  if (p.dueBefore) query = query.where("t.due_on", "<", p.dueBefore);
  if (label) query = query.where(sql<boolean>`t.labels @> ARRAY[${label}]::text[]`);
  if (p.campaignId) query = query.where("t.campaign_id", "=", p.campaignId);
  if (overdue) query = query.where("t.due_on", "<", todayIn(p.timeZone)).where("t.status", "not in", ["done", "cancelled"]);
  if (cursorAt && cursorId) {
    // A row comparison, not `a < x OR (a = x AND id < y)`: only this form is an index condition,
    // so page 50 costs what page 1 does.
    query = query.where((eb) => eb(eb.refTuple("t.updated_at", "t.id"), "<", eb.tuple(cursorAt, cursorId)));
  }
  return query;
}

/** What a page binds: the filters given (undefined: not filtered), the cursor, and the rows to read. */
interface TaskPageValues
  extends Pick<TaskFilter, "coalitionId" | "timeZone" | "personId" | "priority" | "dueBefore" | "label" | "campaignId"> {
  /** Rows to read: the page and one more, which tells whether there is a next page. */
  limit: number;
  // One status or organisation is compared with `=`, several with `= any` of one array. Measured on
  // PostgreSQL 15 in generic plans: `= $1` reads its index in page order (the board's one-status
  // column: task_campaign_idx, exactly its rows; one organisation: task_assignee_organisation_idx),
  // while an array of unknown length is planned as many values, so a sort, or a walk of the whole
  // coalition's index. Several values plan alike as `in ($1, $2)` or as `= any($1)`.
  status?: TaskStatus | undefined;
  statuses?: TaskStatus[] | undefined;
  organisationId?: string | undefined;
  organisationIds?: string[] | undefined;
  cursorAt?: Date | undefined;
  cursorId?: string | undefined;
}

/** A list's one value as itself, several (or none) as the list; no list as neither. */
function oneOrMany<T>(list: readonly T[] | undefined): { one?: T | undefined; many?: T[] | undefined } {
  if (!list) return {};
  const distinct = [...new Set(list)];
  return distinct.length === 1 ? { one: distinct[0] } : { many: distinct };
}

function taskPageValues(f: TaskFilter): TaskPageValues {
  // No statuses is no status filter; no organisations is no task (below).
  const statuses = oneOrMany(f.statuses?.length ? f.statuses : undefined);
  const organisations = oneOrMany(f.organisationIds);
  return {
    coalitionId: f.coalitionId,
    timeZone: f.timeZone,
    limit: f.limit + 1,
    status: statuses.one,
    statuses: statuses.many,
    organisationId: organisations.one,
    organisationIds: organisations.many,
    // Empty values (an empty label) filter nothing, as they always did.
    personId: f.personId || undefined,
    priority: f.priority || undefined,
    dueBefore: f.dueBefore || undefined,
    label: f.label || undefined,
    campaignId: f.campaignId || undefined,
    cursorAt: f.cursor?.at,
    cursorId: f.cursor?.id,
  };
}

/**
 * The task lists are hot reads: each is compiled once per combination of filters present
 * (db/prepared.ts). The overdue view is a condition, not a value, so it has its own shapes.
 */
const taskPages = {
  listed: preparedShapes((db, p: TaskPageValues) => taskPage(db, p, false)),
  overdue: preparedShapes((db, p: TaskPageValues) => taskPage(db, p, true)),
};

/** The query listTasks runs for this filter, with the values bound: for EXPLAIN (task-plans.test.ts, bench/plans.ts). */
export function taskListQuery(db: Executor, f: TaskFilter) {
  return taskPage(db, taskPageValues(f), Boolean(f.overdue));
}

export async function listTasks(db: Executor, f: TaskFilter) {
  // The tasks of no organisation (asked for "my organisations'" with none): nothing to read. Not
  // sent as `= any('{}')`: its generic plan walks all the coalition's tasks to find none.
  if (f.organisationIds?.length === 0) return [];
  return taskPages[f.overdue ? "overdue" : "listed"](db, taskPageValues(f));
}

export type TaskListRow = Awaited<ReturnType<typeof listTasks>>[number];

/**
 * One task as its page shows it, in one query: the summary's columns and joins, its description and
 * creation time, and as JSON arrays its watchers, its history and its comments, each in order. Only
 * watchers who still see the coalition are listed (a watch that outlived access, in a race with a
 * suspension, is not shown). Inside the JSON arrays times arrive as text (ISO 8601 with an offset),
 * whatever Kysely's types say (the columns' Dates).
 */
export function findTaskView(db: Executor, coalitionId: string, timeZone: string, taskId: string) {
  return selectTaskSummaries(db, coalitionId, timeZone)
    .select((eb) => [
      "t.description",
      "t.created_at",
      "t.revision",
      jsonArrayFrom(
        eb
          .selectFrom("task_watcher as w")
          .innerJoin("person as wp", "wp.id", "w.person_id")
          .whereRef("w.task_id", "=", "t.id")
          .where(seesCoalition(sql.ref("w.person_id"), coalitionId))
          .select(["wp.id", "wp.display_name"])
          .orderBy("wp.display_name"),
      ).as("watchers"),
      jsonArrayFrom(
        eb
          .selectFrom("task_event as e")
          .leftJoin("person as ep", "ep.id", "e.actor_id")
          .whereRef("e.task_id", "=", "t.id")
          .select([sql<string>`e.id::text`.as("id"), "e.field", "e.before", "e.after", "e.created_at", "e.actor_id", "ep.display_name"])
          .orderBy("e.id"),
      ).as("history"),
      jsonArrayFrom(
        eb
          .selectFrom("task_comment as tc")
          .innerJoin("person as cp", "cp.id", "tc.author_id")
          .whereRef("tc.task_id", "=", "t.id")
          .select(["tc.id", "tc.body", "tc.created_at", "cp.id as author_id", "cp.display_name"])
          .orderBy("tc.created_at"),
      ).as("comments"),
    ])
    .where("t.id", "=", taskId)
    .executeTakeFirst();
}

export function findTask(db: Executor, coalitionId: string, taskId: string) {
  return db.selectFrom("task").where("coalition_id", "=", coalitionId).where("id", "=", taskId).selectAll().executeTakeFirst();
}

export function lockTask(db: Executor, coalitionId: string, taskId: string) {
  return db.selectFrom("task").where("coalition_id", "=", coalitionId).where("id", "=", taskId).selectAll().forUpdate().executeTakeFirst();
}

export function insertEvents(
  db: Executor,
  events: { task_id: string; actor_id: string | null; field: string; before: unknown; after: unknown }[],
) {
  if (events.length === 0) return Promise.resolve();
  return db
    .insertInto("task_event")
    .values(events.map((e) => ({ ...e, before: jsonb(e.before), after: jsonb(e.after) })))
    .execute();
}

export function addWatchers(db: Executor, taskId: string, personIds: string[]) {
  const unique = [...new Set(personIds)];
  if (unique.length === 0) return Promise.resolve();
  return db
    .insertInto("task_watcher")
    .values(unique.map((person_id) => ({ task_id: taskId, person_id })))
    .onConflict((oc) => oc.constraint("task_watcher_pkey").doNothing())
    .execute();
}

/**
 * Watches end when access ends: delete the watches these people keep on tasks of coalitions they
 * can no longer see (their organisation suspended or gone, removed from it, no longer coordinator).
 * Called in the transaction of the change; notify() and the email job check access again anyway.
 */
export function endWatchesWithoutAccess(db: Executor, personIds: string[], coalitionId?: string) {
  const unique = [...new Set(personIds)];
  if (unique.length === 0) return Promise.resolve();
  let query = db
    .deleteFrom("task_watcher")
    .using("task")
    .whereRef("task.id", "=", "task_watcher.task_id")
    .where("task_watcher.person_id", "in", unique)
    .where(sql<boolean>`NOT ${seesCoalition(sql.ref("task_watcher.person_id"), sql.ref("task.coalition_id"))}`);
  if (coalitionId) query = query.where("task.coalition_id", "=", coalitionId);
  return query.execute();
}

export function watcherIds(db: Executor, taskId: string) {
  return db.selectFrom("task_watcher").where("task_id", "=", taskId).select("person_id").execute();
}

/** The organisation's admins, with the language each reads in (their notifications name the organisation in it). */
export function organisationAdmins(db: Executor, organisationId: string) {
  return db
    .selectFrom("membership as m")
    .innerJoin("person as p", "p.id", "m.person_id")
    .where("m.organisation_id", "=", organisationId)
    .where("m.role", "=", "admin")
    .select(["m.person_id", "p.language"])
    .execute();
}

/**
 * What the task rules need to know about a person, in one query: whether one of their organisations
 * co-owns the campaign (asked only with a campaign and organisations), and their role in the
 * assignee organisation (asked only with one).
 */
export async function taskAccessFacts(
  db: Executor,
  f: { personId: string; organisationIds: readonly string[]; campaignId: string | null; assigneeOrganisationId: string | null },
): Promise<{ coOwner: boolean; assigneeRole: string | null }> {
  const { campaignId, assigneeOrganisationId } = f;
  const askCoOwner = campaignId !== null && f.organisationIds.length > 0;
  if (!askCoOwner && !assigneeOrganisationId) return { coOwner: false, assigneeRole: null };
  const row = await db
    .selectNoFrom((eb) => {
      const coOwner: Expression<SqlBool> = askCoOwner ? coOwnedBy(eb, campaignId, f.organisationIds) : sql<SqlBool>`false`;
      const role: Expression<unknown> = assigneeOrganisationId
        ? eb
            .selectFrom("membership")
            .where("organisation_id", "=", assigneeOrganisationId)
            .where("person_id", "=", f.personId)
            .select("role")
        : sql<null>`null`;
      return [sql<boolean>`${coOwner}`.as("co_owner"), sql<string | null>`(${role})`.as("assignee_role")];
    })
    .executeTakeFirst();
  return { coOwner: Boolean(row?.co_owner), assigneeRole: row?.assignee_role ?? null };
}

export async function membershipRole(db: Executor, personId: string, organisationId: string) {
  const row = await db
    .selectFrom("membership")
    .where("organisation_id", "=", organisationId)
    .where("person_id", "=", personId)
    .select("role")
    .executeTakeFirst();
  return row?.role;
}

export async function isActiveMember(db: Executor, coalitionId: string, organisationId: string) {
  const row = await db
    .selectFrom("coalition_member")
    .where("coalition_id", "=", coalitionId)
    .where("organisation_id", "=", organisationId)
    .where("status", "=", "active")
    .select("status")
    .executeTakeFirst();
  return row !== undefined;
}

export function organisationName(db: Executor, id: string) {
  return db
    .selectFrom("organisation")
    .where("id", "=", id)
    .select(["name", "second_name", "second_name_language"])
    .executeTakeFirstOrThrow();
}

export function insertTask(
  db: Executor,
  task: Omit<Insertable<TaskTable>, "id" | "labels" | "reminded_due_at" | "reminded_overdue_at" | "created_at" | "updated_at"> & {
    labels: string[];
  },
) {
  return db
    .insertInto("task")
    .values({ ...task, labels: sql<string[]>`${[...new Set(task.labels)]}::text[]`, reminded_due_at: null, reminded_overdue_at: null })
    .returning(["id", "title"])
    .executeTakeFirstOrThrow();
}

/** The edited fields, and the next revision (lib/if-match.ts); a new due date re-arms its reminders. */
export function updateTaskFields(
  db: Executor,
  taskId: string,
  fields: { title?: string; description?: string; priority?: TaskPriority; due_on?: string | null; labels?: string[] },
) {
  const { labels, ...rest } = fields;
  return db
    .updateTable("task")
    .set({
      ...rest,
      ...(labels !== undefined ? { labels: sql<string[]>`${labels}::text[]` } : {}),
      ...(fields.due_on !== undefined ? { reminded_due_at: null, reminded_overdue_at: null } : {}),
      updated_at: new Date(),
      revision: sql<number>`revision + 1`,
    })
    .where("id", "=", taskId)
    .execute();
}

export function setAssignees(db: Executor, taskId: string, organisationId: string | null, personId: string | null) {
  return db
    .updateTable("task")
    .set({ assignee_organisation_id: organisationId, assignee_person_id: personId, updated_at: new Date() })
    .where("id", "=", taskId)
    .execute();
}

/**
 * The status change and its history event, in one statement that also returns the task's watchers
 * (whom the change notifies), sparing the caller a round trip while it holds the task's lock.
 */
export async function setStatus(
  db: Executor,
  change: { taskId: string; actorId: string; before: TaskStatus; after: TaskStatus },
): Promise<string[]> {
  const watchers = await db
    .with("changed", (qb) =>
      qb.updateTable("task").set({ status: change.after, updated_at: new Date() }).where("id", "=", change.taskId).returning("id"),
    )
    .with("event", (qb) =>
      qb
        .insertInto("task_event")
        .columns(["task_id", "actor_id", "field", "before", "after"])
        .expression((eb) =>
          eb.selectFrom("changed").select([
            "changed.id",
            // Typed: in INSERT … SELECT a bare parameter would be inferred from the select list, not the column.
            sql<string>`${change.actorId}::uuid`.as("actor_id"),
            sql<string>`'status'`.as("field"),
            jsonb(change.before).as("before"),
            jsonb(change.after).as("after"),
          ]),
        ),
    )
    .selectFrom("task_watcher")
    .where("task_id", "=", change.taskId)
    .select("person_id")
    .execute();
  return watchers.map((w) => w.person_id);
}

export function insertComment(db: Executor, taskId: string, authorId: string, body: string) {
  return db.insertInto("task_comment").values({ task_id: taskId, author_id: authorId, body }).returning(["id"]).executeTakeFirstOrThrow();
}

/** Which of these people belong to the coalition: people of its active or observer organisations, and its coordinators. */
export async function peopleOfCoalition(db: Executor, coalitionId: string, personIds: string[]) {
  if (personIds.length === 0) return [];
  const rows = await db
    .selectFrom("membership as m")
    .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
    .where("cm.coalition_id", "=", coalitionId)
    .where("cm.status", "in", ["active", "observer"])
    .where("m.person_id", "in", personIds)
    .select("m.person_id")
    // Coordinators are people of the coalition even without a member organisation.
    .union(db.selectFrom("coordinator").where("coalition_id", "=", coalitionId).where("person_id", "in", personIds).select("person_id"))
    .execute();
  return rows.map((r) => r.person_id);
}

export function removeWatcher(db: Executor, taskId: string, personId: string) {
  return db.deleteFrom("task_watcher").where("task_id", "=", taskId).where("person_id", "=", personId).execute();
}

// ---------------------------------------------------------------------------------------------
// Due-date reminders (tasks.reminders.ts)

/**
 * The earliest and the latest "today" among the coalitions' time zones (one InitPlan over the
 * small coalition table), as index bounds on due_on. A task is due at E, the start of due_on + 1 in
 * its coalition's zone. Overdue (E <= now) is due_on < its coalition's today, so due_on < the
 * latest today: exact. Due soon (E - 48 h <= now < E) is today <= due_on <= today + 1 in its zone,
 * so due_on between the earliest today and the latest today + 1: exact except in a zone whose
 * clocks move forward within those 48 hours, where the reminder goes at midnight, at most an hour
 * after its 48 hours (never missed). A bound of + 2 would be exact there too, but would read every
 * open task due the day after tomorrow every minute (16,667 heap reads at 2M tasks in the bench).
 * The per-task test below stays the rule.
 */
const coalitionToday = (extreme: "min" | "max") =>
  sql<string>`(SELECT ${sql.raw(extreme)}((now() AT TIME ZONE time_zone)::date) FROM coalition)`;

/** Claim (and mark) up to `batch` tasks now due soon: the statement, exported for the EXPLAIN test. */
export const dueSoonClaim = (batch: number) => sql<ClaimedTask>`
  WITH due AS MATERIALIZED (
    SELECT t.id FROM task t JOIN coalition c ON c.id = t.coalition_id
    WHERE t.due_on IS NOT NULL AND t.status NOT IN ('done', 'cancelled') AND t.reminded_due_at IS NULL
      AND t.due_on BETWEEN ${coalitionToday("min")} AND ${coalitionToday("max")} + 1
      AND ((t.due_on + 1)::timestamp AT TIME ZONE c.time_zone) - interval '48 hours' <= now()
      AND ((t.due_on + 1)::timestamp AT TIME ZONE c.time_zone) > now()
    ORDER BY t.due_on LIMIT ${batch}
    FOR UPDATE OF t SKIP LOCKED)
  UPDATE task SET reminded_due_at = now() FROM due WHERE task.id = due.id
  RETURNING task.id, task.title, task.coalition_id, task.assignee_organisation_id, task.assignee_person_id`;

/** Claim (and mark) up to `batch` tasks now overdue: the statement, exported for the EXPLAIN test. */
export const overdueClaim = (batch: number) => sql<ClaimedTask>`
  WITH due AS MATERIALIZED (
    SELECT t.id FROM task t JOIN coalition c ON c.id = t.coalition_id
    WHERE t.due_on IS NOT NULL AND t.status NOT IN ('done', 'cancelled') AND t.reminded_overdue_at IS NULL
      AND t.due_on < ${coalitionToday("max")}
      AND ((t.due_on + 1)::timestamp AT TIME ZONE c.time_zone) <= now()
    ORDER BY t.due_on LIMIT ${batch}
    FOR UPDATE OF t SKIP LOCKED)
  UPDATE task SET reminded_overdue_at = now(), reminded_due_at = coalesce(task.reminded_due_at, now()) FROM due WHERE task.id = due.id
  RETURNING task.id, task.title, task.coalition_id, task.assignee_organisation_id, task.assignee_person_id`;

/** A task's reminder claim, as returned by the claims above. */
export interface ClaimedTask {
  id: string;
  title: string;
  coalition_id: string;
  assignee_organisation_id: string | null;
  assignee_person_id: string | null;
}

/** The admins of these organisations, in one query. */
export async function adminsOfOrganisations(
  db: Executor,
  organisationIds: string[],
): Promise<{ organisation_id: string; person_id: string }[]> {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom("membership")
    .where("organisation_id", "in", organisationIds)
    .where("role", "=", "admin")
    .select(["organisation_id", "person_id"])
    .execute();
}

/** The watchers of these tasks, in one query. */
export async function watchersOfTasks(db: Executor, taskIds: string[]): Promise<{ task_id: string; person_id: string }[]> {
  if (taskIds.length === 0) return [];
  return db.selectFrom("task_watcher").where("task_id", "in", taskIds).select(["task_id", "person_id"]).execute();
}
