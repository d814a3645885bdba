import { AppError, notFound } from "../../lib/errors.ts";
import { inOrder } from "../../lib/in-order.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import type { Executor } from "../../lib/transaction.ts";
import { loadCampaign } from "../campaigns/campaigns.access.ts";
import * as repo from "./petitions.repository.ts";

/** Who manages a petition (its owners), and loading one through its campaign, for the petition services. */

/** Owners: coordinators, and admins of the campaign's co-owner organisations. */
export async function canManage(db: Executor, ctx: CoalitionCtx, campaignId: string): Promise<boolean> {
  if (ctx.access.isCoordinator) return true;
  const administered = await repo.ownerOrganisationsAdministeredBy(db, campaignId, ctx.person.id);
  return administered.some((id) => ctx.access.organisationIds.includes(id));
}

export async function loadPetition(db: Executor, ctx: CoalitionCtx, campaignId: string) {
  // Both filtered by the coalition, so read at once; a missing campaign is named first.
  const [, petition] = await inOrder([
    loadCampaign(db, ctx.access, campaignId),
    repo.findCoalitionPetition(db, ctx.access.coalitionId, campaignId),
  ]);
  if (!petition) throw notFound("petition");
  return petition;
}

export async function requireOwner(db: Executor, ctx: CoalitionCtx, campaignId: string) {
  if (!(await canManage(db, ctx, campaignId))) throw new AppError("forbidden", "petition owners only");
}
