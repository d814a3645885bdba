import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { type NotificationInput, notify } from "../notifications/notifications.service.ts";

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

/**
 * Due-date reminders, from a background job that may run on several instances at once.
 * A task is due at the end of its due date in the coalition's time zone. "Due soon" is sent
 * from 48 hours before that, "overdue" once it has passed; each at most once per due date
 * (changing the due date resets both). Rows are claimed with FOR UPDATE SKIP LOCKED and marked
 * in the same statement, so a reminder is never sent twice.
 *
 * Each claim reads a partial index holding only the open tasks it has not reminded yet
 * (`task_due_soon_unreminded_idx`, `task_overdue_unreminded_idx`), between due_on bounds that
 * hold in every coalition's time zone (see `coalitionToday`): the index scan stops at the window
 * instead of walking every open task every minute.
 */
export async function sendTaskReminders(db: Executor, batch = 200): Promise<{ dueSoon: number; overdue: number }> {
  const dueSoon = await withTransaction(db, async (trx) => {
    const rows = await dueSoonClaim(batch).execute(trx);
    await notify(trx, await recipients(trx, rows.rows, "task_due_soon"));
    return rows.rows.length;
  });
  const overdue = await withTransaction(db, async (trx) => {
    const rows = await overdueClaim(batch).execute(trx);
    await notify(trx, await recipients(trx, rows.rows, "task_overdue"));
    return rows.rows.length;
  });
  return { dueSoon, overdue };
}

interface ClaimedTask {
  id: string;
  title: string;
  coalition_id: string;
  assignee_organisation_id: string | null;
  assignee_person_id: string | null;
}

/** The assignee person; else the assignee organisation's admins; else the task's watchers. */
async function recipients(db: Executor, tasks: ClaimedTask[], kind: "task_due_soon" | "task_overdue"): Promise<NotificationInput[]> {
  const out: NotificationInput[] = [];
  for (const task of tasks) {
    let people: string[];
    if (task.assignee_person_id) people = [task.assignee_person_id];
    else if (task.assignee_organisation_id)
      people = (
        await db
          .selectFrom("membership")
          .where("organisation_id", "=", task.assignee_organisation_id)
          .where("role", "=", "admin")
          .select("person_id")
          .execute()
      ).map((r) => r.person_id);
    else
      people = (await db.selectFrom("task_watcher").where("task_id", "=", task.id).select("person_id").execute()).map((r) => r.person_id);
    for (const personId of people) {
      out.push({
        personId,
        coalitionId: task.coalition_id,
        kind,
        messageKey: `notifications.${kind}`,
        params: { task: task.title },
        link: `/c/${task.coalition_id}/tasks/${task.id}`,
      });
    }
  }
  return out;
}
