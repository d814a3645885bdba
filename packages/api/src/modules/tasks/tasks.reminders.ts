import * as paths from "@samakki/shared/paths";
import type { Executor } from "../../lib/transaction.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { type NotificationInput, notify } from "../notifications/notifications.service.ts";
import { adminsOfOrganisations, type ClaimedTask, dueSoonClaim, overdueClaim, watchersOfTasks } from "./tasks.repository.ts";

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

/** The assignee person; else the assignee organisation's admins; else the task's watchers (two queries for the batch). */
async function recipients(db: Executor, tasks: ClaimedTask[], kind: "task_due_soon" | "task_overdue"): Promise<NotificationInput[]> {
  const byOrganisation = new Map<string, string[]>();
  const organisationIds = [
    ...new Set(tasks.flatMap((t) => (!t.assignee_person_id && t.assignee_organisation_id ? [t.assignee_organisation_id] : []))),
  ];
  for (const row of await adminsOfOrganisations(db, organisationIds))
    byOrganisation.set(row.organisation_id, [...(byOrganisation.get(row.organisation_id) ?? []), row.person_id]);
  const byTask = new Map<string, string[]>();
  const watched = tasks.filter((t) => !t.assignee_person_id && !t.assignee_organisation_id).map((t) => t.id);
  for (const row of await watchersOfTasks(db, watched)) byTask.set(row.task_id, [...(byTask.get(row.task_id) ?? []), row.person_id]);
  return tasks.flatMap((task) => {
    const people = task.assignee_person_id
      ? [task.assignee_person_id]
      : task.assignee_organisation_id
        ? (byOrganisation.get(task.assignee_organisation_id) ?? [])
        : (byTask.get(task.id) ?? []);
    return people.map((personId) => ({
      personId,
      coalitionId: task.coalition_id,
      kind,
      messageKey: `notifications.${kind}`,
      params: { task: task.title },
      link: paths.task(task.coalition_id, task.id),
    }));
  });
}
