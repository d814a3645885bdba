import { sql } from "kysely";
import { jsonb } from "../../lib/jsonb.ts";
import type { Executor } from "../../lib/transaction.ts";
import { seesCoalition } from "../access/access.repository.ts";

/** Today's date in the coalition's time zone, computed by the database. */
export const todayIn = (timeZone: string) => sql<string>`(now() AT TIME ZONE ${timeZone})::date`;

export interface TaskFilter {
  coalitionId: string;
  timeZone: string;
  statuses?: string[] | undefined;
  organisationIds?: string[] | undefined;
  personId?: string | undefined;
  priority?: string | undefined;
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
      "t.assignee_organisation_id",
      "o.name as organisation_name",
      "o.short_name as organisation_short_name",
      "t.assignee_person_id",
      "p.display_name as person_name",
      sql<boolean>`(t.due_on IS NOT NULL AND t.due_on < ${todayIn(timeZone)} AND t.status NOT IN ('done', 'cancelled'))`.as("overdue"),
    ]);
}

/**
 * A page of tasks, keyset-paginated on (updated_at DESC, id DESC): one query whatever the page size.
 * Each scope has an index in that order (coalition, campaign, organisation, person), so a page
 * reads about its own rows whatever the table's size; the query is exported for the EXPLAIN test.
 */
export function taskListQuery(db: Executor, f: TaskFilter) {
  let query = selectTaskSummaries(db, f.coalitionId, f.timeZone)
    .orderBy("t.updated_at", "desc")
    .orderBy("t.id", "desc")
    .limit(f.limit + 1);
  if (f.statuses?.length) query = query.where("t.status", "in", f.statuses as never[]);
  if (f.organisationIds)
    query = query.where(
      "t.assignee_organisation_id",
      "in",
      f.organisationIds.length ? f.organisationIds : ["00000000-0000-0000-0000-000000000000"],
    );
  if (f.personId) query = query.where("t.assignee_person_id", "=", f.personId);
  if (f.priority) query = query.where("t.priority", "=", f.priority as never);
  if (f.dueBefore) query = query.where("t.due_on", "<", f.dueBefore);
  if (f.label) query = query.where(sql<boolean>`t.labels @> ARRAY[${f.label}]::text[]`);
  if (f.campaignId) query = query.where("t.campaign_id", "=", f.campaignId);
  if (f.overdue) query = query.where("t.due_on", "<", todayIn(f.timeZone)).where("t.status", "not in", ["done", "cancelled"]);
  if (f.cursor) {
    const { at, id } = f.cursor;
    // A row comparison, not `a < x OR (a = x AND id < y)`: only this form is an index condition,
    // so page 50 costs what page 1 does.
    query = query.where((eb) => eb(eb.refTuple("t.updated_at", "t.id"), "<", eb.tuple(at, id)));
  }
  return query;
}

export function listTasks(db: Executor, f: TaskFilter) {
  return taskListQuery(db, f).execute();
}

export type TaskListRow = Awaited<ReturnType<typeof listTasks>>[number];

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

export function organisationAdmins(db: Executor, organisationId: string) {
  return db
    .selectFrom("membership")
    .where("organisation_id", "=", organisationId)
    .where("role", "=", "admin")
    .select("person_id")
    .execute();
}
