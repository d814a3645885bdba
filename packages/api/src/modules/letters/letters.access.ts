import { AppError, notFound } from "../../lib/errors.ts";
import { inOrder } from "../../lib/in-order.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import type { Executor } from "../../lib/transaction.ts";
import { findAction } from "./actions.repository.ts";
import { activeMembership, coalitionOrganisation, findCampaign, isOwnerAdmin } from "./letters.repository.ts";

/** The campaign, if it is in the coalition; 404 otherwise. */
export async function loadCampaign(db: Executor, ctx: CoalitionCtx, campaignId: string) {
  const campaign = await findCampaign(db, ctx.access.coalitionId, campaignId);
  if (!campaign) throw notFound("campaign");
  return campaign;
}

/** Who manages a campaign's letter actions: coordinators, and admins of its co-owner organisations. */
export async function canManageActions(db: Executor, ctx: CoalitionCtx, campaignId: string): Promise<boolean> {
  if (ctx.access.isCoordinator) return true;
  return isOwnerAdmin(db, ctx.access.coalitionId, campaignId, ctx.person.id);
}

export async function requireActionManager(db: Executor, ctx: CoalitionCtx, campaignId: string) {
  const campaign = await loadCampaign(db, ctx, campaignId);
  if (!(await canManageActions(db, ctx, campaignId))) throw new AppError("forbidden", "coordinators and co-owners' admins only");
  return campaign;
}

export async function loadAction(db: Executor, ctx: CoalitionCtx, campaignId: string, actionId: string) {
  // Both filtered by the coalition, so read at once; a missing campaign is named first.
  const [, action] = await inOrder([loadCampaign(db, ctx, campaignId), findAction(db, ctx.access.coalitionId, campaignId, actionId)]);
  if (!action) throw notFound("letter action");
  return action;
}

/**
 * Letters and replies are recorded by admins and members of the sending organisation, which must
 * be an active member of the coalition (observers read only). An organisation that is not a member
 * of the coalition at all is a field error; one the person does not belong to is 403.
 */
export async function requireSender(db: Executor, ctx: CoalitionCtx, organisationId: string) {
  const membership = await activeMembership(db, ctx.access.coalitionId, organisationId, ctx.person.id);
  if (membership) return;
  const member = await coalitionOrganisation(db, ctx.access.coalitionId, organisationId);
  if (!member)
    throw new AppError("validation_failed", "organisation not in the coalition", {
      fieldErrors: [{ path: "organisationId", message: "validation.not_member_organisation" }],
    });
  throw new AppError("forbidden", "record letters for your own organisation");
}
