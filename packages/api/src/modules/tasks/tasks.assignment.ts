import type { AuditAction } from "@samakki/shared/audit";
import * as paths from "@samakki/shared/paths";
import { AppError, notFound, validationFailed } from "../../lib/errors.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { type NotificationInput, notify } from "../notifications/notifications.service.ts";
import { localOrganisationName } from "../organisations/organisation-ref.ts";
import { canManage, isOrgAdmin } from "./tasks.access.ts";
import * as repo from "./tasks.repository.ts";

/** Assigning a task to an organisation (coordinators, co-owners) and delegating it to one of its people (its admins). */

type TaskRow = NonNullable<Awaited<ReturnType<typeof repo.lockTask>>>;

/** The assignee organisation must be an active member of the coalition, and the person one of its people. */
export async function checkAssignee(
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
  if (!(await repo.isActiveMember(db, coalitionId, organisationId)))
    throw validationFailed([{ path: paths.organisation, message: "validation.not_active_member" }]);
  if (personId && !(await repo.membershipRole(db, personId, organisationId)))
    throw validationFailed([{ path: paths.person, message: "validation.not_in_assignee_organisation" }]);
}

/** Tell the new assignee organisation's admins and the new assignee person, except the person acting. */
export async function assignmentNotifications(
  db: Executor,
  ctx: CoalitionCtx,
  task: { id: string; title: string },
  organisationId: string | null,
  personId: string | null,
  changedOrg: boolean,
  changedPerson: boolean,
) {
  const out: NotificationInput[] = [];
  const link = paths.task(ctx.access.coalitionId, task.id);
  if (changedOrg && organisationId) {
    const admins = await repo.organisationAdmins(db, organisationId);
    const org = await repo.organisationName(db, organisationId);
    for (const a of admins) {
      if (a.person_id !== ctx.person.id)
        out.push({
          personId: a.person_id,
          coalitionId: ctx.access.coalitionId,
          kind: "task_assigned",
          messageKey: "notifications.task_assigned",
          // In the admin's language: the organisation's second name when it is theirs.
          params: {
            task: task.title,
            organisation: localOrganisationName(org, a.language),
          },
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

/** Coordinators and co-owners assign to an organisation (and optionally one of its people). */
export async function assignTask(
  ctx: CoalitionCtx,
  taskId: string,
  input: { organisationId: string | null; personId?: string | null | undefined },
) {
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
export async function delegateTask(ctx: CoalitionCtx, taskId: string, personId: string | null) {
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
  ctx: CoalitionCtx,
  task: TaskRow,
  organisationId: string | null,
  personId: string | null,
  action: AuditAction,
) {
  const changedOrg = task.assignee_organisation_id !== organisationId;
  const changedPerson = task.assignee_person_id !== personId;
  // Nothing changes (the form sent as it was): nothing to write, and no "removed the assignee" in the history.
  if (!changedOrg && !changedPerson) return;
  const events: Parameters<typeof repo.insertEvents>[1] = [];
  if (changedOrg)
    events.push({
      task_id: task.id,
      actor_id: ctx.person.id,
      field: "assigneeOrganisation",
      before: task.assignee_organisation_id,
      after: organisationId,
    });
  if (changedPerson)
    events.push({ task_id: task.id, actor_id: ctx.person.id, field: "assigneePerson", before: task.assignee_person_id, after: personId });
  await repo.setAssignees(trx, task.id, organisationId, personId);
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
