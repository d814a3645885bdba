import type { Coalition, CoalitionMember, MemberStatus } from "@samakki/shared/coalitions";
import { type SecondName, secondNameOf } from "@samakki/shared/names";
import * as paths from "@samakki/shared/paths";
import type { AppDeps, CurrentPerson } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { isoTime } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { VISIBLE_STATUSES } from "../access/access.repository.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { notify } from "../notifications/notifications.service.ts";
import { endWatchesWithoutAccess } from "../tasks/tasks.repository.ts";
import * as repo from "./coalitions.repository.ts";

export async function getCoalition(db: Executor, coalitionId: string): Promise<Coalition> {
  const row = await repo.findCoalition(db, coalitionId);
  return {
    id: row.id,
    name: row.name,
    secondName: secondNameOf(row.second_name, row.second_name_language),
    slug: row.slug,
    description: row.description,
    timeZone: row.time_zone,
    requireTwoFactor: row.require_two_factor,
    createdAt: isoTime(row.created_at),
  };
}

export async function updateCoalition(
  deps: AppDeps,
  actor: CurrentPerson,
  coalitionId: string,
  input: {
    name?: string | undefined;
    secondName?: SecondName | null | undefined;
    description?: string | undefined;
    timeZone?: string | undefined;
    requireTwoFactor?: boolean | undefined;
  },
) {
  return withTransaction(deps.db, async (trx) => {
    const before = await getCoalition(trx, coalitionId);
    await repo.updateCoalition(trx, coalitionId, input);
    const after = await getCoalition(trx, coalitionId);
    await recordAudit(trx, {
      coalitionId,
      actorId: actor.id,
      action: "coalition.update",
      targetType: "coalition",
      targetId: coalitionId,
      before,
      after,
    });
    return after;
  });
}

export async function listMembers(db: Executor, coalitionId: string): Promise<CoalitionMember[]> {
  const rows = await repo.listMembers(db, coalitionId);
  return rows.map((r) => ({
    organisation: { id: r.id, name: r.name, shortName: r.short_name, secondName: secondNameOf(r.second_name, r.second_name_language) },
    status: r.status,
    updatedAt: isoTime(r.updated_at),
  }));
}

/**
 * A coordinator changes a member organisation's status. An organisation still `invited` can
 * only be withdrawn (`left`), which also revokes its pending invitation.
 */
export async function changeMemberStatus(
  deps: AppDeps,
  actor: CurrentPerson,
  coalitionId: string,
  organisationId: string,
  status: Exclude<MemberStatus, "invited">,
) {
  return withTransaction(deps.db, async (trx) => {
    // Lock a pending invitation before the membership row, in the same order as accepting it
    // does: a withdrawal and an acceptance at the same moment queue instead of deadlocking.
    await repo.lockPendingInvitation(trx, coalitionId, organisationId);
    const member = await repo.lockMember(trx, coalitionId, organisationId);
    if (!member) throw notFound("member");
    if (member.status === status) return;
    if (member.status === "invited" && status !== "left") throw new AppError("precondition_failed", "organisation has not accepted yet");
    await repo.setMemberStatus(trx, coalitionId, organisationId, status);
    if (member.status === "invited") await repo.revokePendingInvitation(trx, coalitionId, organisationId);
    await recordAudit(trx, {
      coalitionId,
      actorId: actor.id,
      action: "coalition.member_status",
      targetType: "organisation",
      targetId: organisationId,
      before: { status: member.status },
      after: { status },
    });
    const people = await repo.organisationPeople(trx, organisationId);
    const stillSees = (VISIBLE_STATUSES as readonly string[]).includes(status);
    // Watches end with access: the organisation's people no longer hear of the coalition's tasks
    // (unless they still see it through another organisation or as a coordinator).
    if (!stillSees)
      await endWatchesWithoutAccess(
        trx,
        people.map((p) => p.person_id),
        coalitionId,
      );
    // The admins hear of their own organisation's status. Once it no longer sees the coalition,
    // the notice is about the organisation alone (no coalition link, which would now be a 404).
    await notify(
      trx,
      people
        .filter((p) => p.role === "admin")
        .map((a) => ({
          personId: a.person_id,
          coalitionId: stillSees ? coalitionId : null,
          kind: "member_status",
          messageKey: "notifications.member_status",
          params: { organisation: member.name, status },
          link: stillSees ? `/c/${coalitionId}/members` : `/organisations/${organisationId}`,
        })),
    );
  });
}

/**
 * The coalition's coordinators, by name. Their email addresses go to other coordinators and to
 * people of the same organisation only: members see other organisations' people by name (docs/security.md §19).
 */
export async function listCoordinators(db: Executor, coalitionId: string, viewer: { personId: string; isCoordinator: boolean }) {
  const rows = await repo.listCoordinators(db, coalitionId, viewer.personId);
  return rows.map((r) => ({
    personId: r.id,
    displayName: r.display_name,
    email: viewer.isCoordinator || r.same_organisation ? r.email : null,
  }));
}

/** People of the coalition's active or observer organisations: who can be appointed coordinator. */
export async function listCoalitionPeople(db: Executor, coalitionId: string) {
  const rows = await repo.listCoalitionPeople(db, coalitionId);
  return rows.map((r) => ({ personId: r.id, displayName: r.display_name, email: r.email }));
}

export async function appointCoordinator(deps: AppDeps, actor: CurrentPerson, coalitionId: string, personId: string) {
  await withTransaction(deps.db, async (trx) => {
    const eligible = (await listCoalitionPeople(trx, coalitionId)).some((p) => p.personId === personId);
    if (!eligible) throw notFound("person");
    if (!(await repo.insertCoordinator(trx, coalitionId, personId))) return;
    await recordAudit(trx, {
      coalitionId,
      actorId: actor.id,
      action: "coalition.coordinator_appointed",
      targetType: "person",
      targetId: personId,
      after: { role: "coordinator" },
    });
    await notify(trx, [
      {
        personId,
        coalitionId,
        kind: "coordinator_appointed",
        messageKey: "notifications.coordinator_appointed",
        params: {},
        link: paths.coalition(coalitionId),
      },
    ]);
  });
}

/** Never the last coordinator: the coordinator rows are locked, so two removals at once cannot both pass. */
export async function removeCoordinator(deps: AppDeps, actor: CurrentPerson, coalitionId: string, personId: string) {
  await withTransaction(deps.db, async (trx) => {
    const coordinators = await repo.lockCoordinators(trx, coalitionId);
    if (!coordinators.some((c) => c.person_id === actor.id)) throw new AppError("forbidden", "no longer a coordinator");
    if (!coordinators.some((c) => c.person_id === personId)) throw notFound("coordinator");
    if (coordinators.length <= 1) throw new AppError("last_coordinator");
    await repo.deleteCoordinator(trx, coalitionId, personId);
    await endWatchesWithoutAccess(trx, [personId], coalitionId);
    await recordAudit(trx, {
      coalitionId,
      actorId: actor.id,
      action: "coalition.coordinator_removed",
      targetType: "person",
      targetId: personId,
      before: { role: "coordinator" },
    });
  });
}

/** Who can be mentioned: the people of active and observer organisations and the coordinators, by name only. */
export async function listDirectory(db: Executor, coalitionId: string) {
  const rows = await repo.listDirectory(db, coalitionId);
  return rows.map((r) => ({ personId: r.id, displayName: r.display_name }));
}
