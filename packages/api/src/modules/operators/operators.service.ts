import { secondNameOf } from "@samakki/shared/names";
import type { CreateCoalitionInput, OperatorCoalition } from "@samakki/shared/operators";
import { DELETION_GRACE_DAYS } from "@samakki/shared/operators";
import * as paths from "@samakki/shared/paths";
import type { AppDeps } from "../../lib/context.ts";
import { generateToken, hashToken } from "../../lib/crypto.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { slugify } from "../../lib/slug.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { enqueueEmail } from "../email/outbox.ts";
import { INVITATION_TTL } from "../invitations/invitations.service.ts";
import { deleteCoalitionData } from "./coalition-deletion.repository.ts";
import * as repo from "./operators.repository.ts";

/** Who acts as operator: a person from the web app, or the command line (no person). */
interface OperatorActor {
  id: string | null;
  displayName: string;
}

/** Grant the operator role to the account with this email (CLI). */
/** Whether the person is an instance operator. */
export function isOperator(db: AppDeps["db"], personId: string): Promise<boolean> {
  return repo.isOperator(db, personId);
}

export async function grantOperator(db: AppDeps["db"], email: string, grantedBy: string | null = null) {
  return withTransaction(db, async (trx) => {
    const person = await repo.findPersonByEmail(trx, email.trim().toLowerCase());
    if (!person) throw notFound("person");
    const added = await repo.insertOperator(trx, person.id, grantedBy);
    if (added)
      await repo.insertInstanceLog(trx, {
        action: "operator.granted",
        actorId: grantedBy,
        coalitionId: null,
        detail: { personId: person.id },
      });
    return { person, added };
  });
}

/** Take the operator role back (CLI). */
export async function revokeOperator(db: AppDeps["db"], email: string, revokedBy: string | null = null) {
  return withTransaction(db, async (trx) => {
    const person = await repo.findPersonByEmail(trx, email.trim().toLowerCase());
    if (!person) throw notFound("person");
    const removed = await repo.deleteOperator(trx, person.id);
    if (removed)
      await repo.insertInstanceLog(trx, {
        action: "operator.revoked",
        actorId: revokedBy,
        coalitionId: null,
        detail: { personId: person.id },
      });
    return { person, removed };
  });
}

export const listOperators = repo.listOperators;

export async function listCoalitions(db: AppDeps["db"]): Promise<OperatorCoalition[]> {
  const rows = await repo.listCoalitionsForOperators(db);
  return rows.map((r) => {
    const coordinators = Number(r.coordinators ?? 0);
    return {
      id: r.id,
      name: r.name,
      secondName: secondNameOf(r.second_name, r.second_name_language),
      slug: r.slug,
      createdAt: r.created_at.toISOString(),
      status: r.due_at ? "deletion_scheduled" : coordinators === 0 ? "pending" : "active",
      deletionDueAt: r.due_at ? r.due_at.toISOString() : null,
      organisations: Number(r.organisations ?? 0),
      coordinators,
    };
  });
}

/** A free slug for a new coalition: its name's, numbered when taken. */
async function freeSlug(db: Executor, name: string): Promise<string> {
  const base = slugify(name);
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await repo.slugTaken(db, slug))) return slug;
  }
}

/**
 * An operator creates a coalition with the organisation of its first coordinator, whose contact
 * is invited by email; accepting makes them that organisation's admin and the coalition's coordinator.
 */
export async function createCoalition(deps: AppDeps, actor: OperatorActor, input: CreateCoalitionInput) {
  const token = generateToken(20);
  return withTransaction(deps.db, async (trx) => {
    const coalition = await repo.insertCoalition(trx, {
      name: input.coalitionName,
      slug: await freeSlug(trx, input.coalitionName),
      timeZone: input.timeZone,
    });
    const organisation = await repo.insertInvitedOrganisation(trx, coalition.id, {
      name: input.organisationName,
      contactEmail: input.coordinatorEmail,
    });
    const expiresAt = new Date(Date.now() + INVITATION_TTL);
    const invitation = await repo.insertCoordinatorInvitation(trx, {
      coalitionId: coalition.id,
      organisationId: organisation.id,
      email: input.coordinatorEmail,
      tokenHash: hashToken(token),
      invitedBy: actor.id,
      expiresAt,
    });
    await enqueueEmail(trx, {
      to: input.coordinatorEmail,
      language: input.language,
      coalitionId: coalition.id,
      message: {
        template: "invitation_organisation",
        data: {
          coalition: coalition.name,
          organisation: input.organisationName,
          inviter: actor.displayName,
          url: `${deps.config.publicUrl}${paths.invitation(token)}`,
          expiresAt: expiresAt.toISOString(),
          timeZone: coalition.time_zone,
          coordinator: true,
        },
      },
    });
    await recordAudit(trx, {
      coalitionId: coalition.id,
      actorId: actor.id,
      action: "coalition.created",
      targetType: "coalition",
      targetId: coalition.id,
      after: {
        coalition: coalition.name,
        organisationId: organisation.id,
        coordinatorEmail: input.coordinatorEmail,
        invitationId: invitation.id,
      },
    });
    await repo.insertInstanceLog(trx, {
      action: "coalition.created",
      actorId: actor.id,
      coalitionId: coalition.id,
      detail: { name: coalition.name },
    });
    return { coalitionId: coalition.id, organisationId: organisation.id, invitationId: invitation.id, token };
  });
}

/** Schedule a coalition's deletion after the grace period; scheduling it again keeps the first date. */
export async function scheduleDeletion(deps: AppDeps, actor: OperatorActor, coalitionId: string): Promise<{ dueAt: string }> {
  return withTransaction(deps.db, async (trx) => {
    const coalition = await repo.lockCoalition(trx, coalitionId);
    if (!coalition) throw notFound("coalition");
    const inserted = await repo.insertDeletion(trx, coalitionId, actor.id, DELETION_GRACE_DAYS);
    if (!inserted) {
      const existing = await repo.findDeletion(trx, coalitionId);
      if (!existing) throw new AppError("conflict", "deletion changed concurrently");
      return { dueAt: existing.due_at.toISOString() };
    }
    await repo.insertInstanceLog(trx, {
      action: "coalition.deletion_scheduled",
      actorId: actor.id,
      coalitionId,
      detail: { name: coalition.name, dueAt: inserted.due_at.toISOString() },
    });
    return { dueAt: inserted.due_at.toISOString() };
  });
}

/** Cancel a scheduled deletion during the grace period; 404 when none is scheduled (or it was carried out). */
export async function cancelDeletion(deps: AppDeps, actor: OperatorActor, coalitionId: string): Promise<void> {
  await withTransaction(deps.db, async (trx) => {
    const coalition = await repo.lockCoalition(trx, coalitionId);
    if (!coalition) throw notFound("coalition");
    if (!(await repo.deleteDeletion(trx, coalitionId))) throw notFound("deletion");
    await repo.insertInstanceLog(trx, {
      action: "coalition.deletion_cancelled",
      actorId: actor.id,
      coalitionId,
      detail: { name: coalition.name },
    });
  });
}

/** The latest `limit` entries of the instance log, newest first (the operator CLI's `log`). */
export async function instanceLog(db: AppDeps["db"], limit: number) {
  return (await repo.instanceLog(db, limit)).map((entry) => ({
    at: entry.created_at.toISOString(),
    action: entry.action,
    actor: entry.actor_email,
    coalitionId: entry.coalition_id,
    detail: entry.detail,
  }));
}

/** The scheduled deletion date members see (null: none). */
export async function deletionOf(db: AppDeps["db"], coalitionId: string): Promise<{ dueAt: string | null }> {
  const row = await repo.findDeletion(db, coalitionId);
  return { dueAt: row ? row.due_at.toISOString() : null };
}

/**
 * The deletion job: carry out every due deletion, one coalition per transaction. The claim
 * deletes the schedule row with FOR UPDATE SKIP LOCKED, so two instances never delete the same
 * coalition, and a crash rolls the claim back with the deletion.
 */
export async function deleteDueCoalitions(deps: Pick<AppDeps, "db" | "logger">): Promise<number> {
  let done = 0;
  for (;;) {
    const deleted = await withTransaction(deps.db, async (trx) => {
      const claim = await repo.claimDueDeletion(trx);
      if (!claim) return undefined;
      const coalition = await repo.lockCoalition(trx, claim.coalition_id);
      const counts = await deleteCoalitionData(trx, claim.coalition_id);
      await repo.insertInstanceLog(trx, {
        action: "coalition.deleted",
        actorId: claim.scheduled_by,
        coalitionId: claim.coalition_id,
        detail: { name: coalition?.name ?? null, ...counts },
      });
      return claim.coalition_id;
    });
    if (!deleted) return done;
    // The instance log has the details; the operator's log says it happened (its name is the coalition's data: not here).
    deps.logger.info({ coalitionId: deleted }, "coalition deleted after its grace period");
    done++;
  }
}
