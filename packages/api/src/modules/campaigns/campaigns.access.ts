import type { CoalitionAccess } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import type { Executor } from "../../lib/transaction.ts";
import { findCampaign, isCoOwnedBy } from "./campaigns.repository.ts";

/** Who may edit a campaign, its activities, metrics and tasks: coordinators and people of its co-owner organisations. */
export async function canEditCampaign(db: Executor, access: CoalitionAccess, campaignId: string): Promise<boolean> {
  if (access.isCoordinator) return true;
  return isCoOwnedBy(db, campaignId, access.organisationIds);
}

/**
 * The campaign, if it is in the coalition; 404 otherwise (also for other coalitions' campaigns).
 * `lock`: its row locked until the transaction ends (an edit that compares its revision).
 */
export async function loadCampaign(db: Executor, access: CoalitionAccess, campaignId: string, lock = false) {
  const campaign = await findCampaign(db, access.coalitionId, campaignId, lock);
  if (!campaign) throw notFound("campaign");
  return campaign;
}

export async function requireCampaignEditor(db: Executor, access: CoalitionAccess, campaignId: string, lock = false) {
  const campaign = await loadCampaign(db, access, campaignId, lock);
  if (!(await canEditCampaign(db, access, campaignId))) throw new AppError("forbidden", "coordinators and co-owners only");
  return campaign;
}
