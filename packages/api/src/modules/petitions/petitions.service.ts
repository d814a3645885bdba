import type { ClosePetitionInput, Petition, PetitionCounts, PetitionInput, UpdatePetitionInput } from "@samakki/shared/petitions";
import type { ProvinceCode } from "@samakki/shared/provinces";
import { now } from "../../lib/context.ts";
import { AppError, conflict, notFound, preconditionFailed } from "../../lib/errors.ts";
import { inOrder } from "../../lib/in-order.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { isoOrNull } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { loadCampaign } from "../campaigns/campaigns.access.ts";
import { canManage, loadPetition, requireOwner } from "./petitions.access.ts";
import * as repo from "./petitions.repository.ts";

/** A petition for its owners: counts, create, edit, close; and the job that deletes personal data after the close. Signers (signers), paper sheets (paper-sheets) and the public side (signing) have their own files. */

// --- counts ----------------------------------------------------------------------------------------------

export async function petitionCounts(db: Executor, petitionId: string): Promise<PetitionCounts> {
  const [online, paper] = await Promise.all([repo.onlineCountsByProvince(db, petitionId), repo.paperCountsByProvince(db, petitionId)]);
  const provinces = [...new Set([...online.keys(), ...paper.keys()])].sort();
  const byProvince = provinces.map((p) => ({ province: p as ProvinceCode, online: online.get(p) ?? 0, paper: paper.get(p) ?? 0 }));
  const onlineTotal = byProvince.reduce((s, p) => s + p.online, 0);
  const paperTotal = byProvince.reduce((s, p) => s + p.paper, 0);
  return { online: onlineTotal, paper: paperTotal, total: onlineTotal + paperTotal, byProvince };
}

function toPetition(row: repo.PetitionRow, counts: PetitionCounts, manage: boolean): Petition {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    titleKm: row.title_km,
    titleEn: row.title_en,
    bodyKm: row.body_km,
    bodyEn: row.body_en,
    target: row.target,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    status: row.status,
    closedAt: isoOrNull(row.closed_at),
    deleteAfterDays: row.delete_after_days,
    purgeDueAt: isoOrNull(row.purge_due_at),
    purgedAt: isoOrNull(row.purged_at),
    counts,
    canManage: manage,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

// --- owners' API ----------------------------------------------------------------------------------------------

export async function getPetition(ctx: CoalitionCtx, campaignId: string): Promise<Petition> {
  const { db } = ctx.deps;
  const [petition, manage] = await inOrder([loadPetition(db, ctx, campaignId), canManage(db, ctx, campaignId)]);
  return toPetition(petition, await petitionCounts(db, petition.id), manage);
}

export async function createPetition(ctx: CoalitionCtx, campaignId: string, input: PetitionInput): Promise<Petition> {
  const row = await withTransaction(ctx.deps.db, async (trx) => {
    await loadCampaign(trx, ctx.access, campaignId);
    await requireOwner(trx, ctx, campaignId);
    const created = await repo.insertPetition(trx, {
      campaign_id: campaignId,
      title_km: input.titleKm,
      title_en: input.titleEn,
      body_km: input.bodyKm,
      body_en: input.bodyEn,
      target: input.target,
      opens_on: input.opensOn,
      closes_on: input.closesOn,
      created_by: ctx.person.id,
    });
    if (!created) throw conflict("the campaign already has a petition");
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "petition.created",
      targetType: "petition",
      targetId: created.id,
      after: { campaignId, target: input.target, opensOn: input.opensOn, closesOn: input.closesOn },
    });
    return created;
  });
  return toPetition(row, await petitionCounts(ctx.deps.db, row.id), true);
}

export async function updatePetition(ctx: CoalitionCtx, campaignId: string, input: UpdatePetitionInput): Promise<Petition> {
  const row = await withTransaction(ctx.deps.db, async (trx) => {
    await loadCampaign(trx, ctx.access, campaignId);
    const before = await repo.lockPetitionByCampaign(trx, campaignId);
    if (!before) throw notFound("petition");
    await requireOwner(trx, ctx, campaignId);
    if (before.status === "closed") throw preconditionFailed("the petition is closed");
    const opensOn = input.opensOn ?? before.opens_on;
    const closesOn = input.closesOn ?? before.closes_on;
    if (closesOn < opensOn)
      throw new AppError("validation_failed", "dates out of order", {
        fieldErrors: [{ path: "closesOn", message: "validation.petition_dates_order" }],
      });
    const after = await repo.updatePetition(trx, before.id, {
      ...(input.titleKm !== undefined ? { title_km: input.titleKm } : {}),
      ...(input.titleEn !== undefined ? { title_en: input.titleEn } : {}),
      ...(input.bodyKm !== undefined ? { body_km: input.bodyKm } : {}),
      ...(input.bodyEn !== undefined ? { body_en: input.bodyEn } : {}),
      ...(input.target !== undefined ? { target: input.target } : {}),
      opens_on: opensOn,
      closes_on: closesOn,
    });
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "petition.updated",
      targetType: "petition",
      targetId: before.id,
      before: { target: before.target, opensOn: before.opens_on, closesOn: before.closes_on },
      after: { target: after.target, opensOn: after.opens_on, closesOn: after.closes_on, fields: Object.keys(input) },
    });
    return after;
  });
  return toPetition(row, await petitionCounts(ctx.deps.db, row.id), true);
}

/** Close; with `deleteAfterDays`, the signers' personal data is deleted that many days later (the purge job). */
export async function closePetition(ctx: CoalitionCtx, campaignId: string, input: ClosePetitionInput): Promise<Petition> {
  const row = await withTransaction(ctx.deps.db, async (trx) => {
    await loadCampaign(trx, ctx.access, campaignId);
    const before = await repo.lockPetitionByCampaign(trx, campaignId);
    if (!before) throw notFound("petition");
    await requireOwner(trx, ctx, campaignId);
    if (before.status === "closed") throw conflict("already closed");
    const days = input.deleteAfterDays;
    const after = await repo.closePetition(trx, before.id, { closedBy: ctx.person.id, closedAt: now(ctx.deps), deleteAfterDays: days });
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "petition.closed",
      targetType: "petition",
      targetId: before.id,
      after: { deleteAfterDays: days },
    });
    return after;
  });
  return toPetition(row, await petitionCounts(ctx.deps.db, row.id), true);
}

// --- jobs ------------------------------------------------------------------------------------------------------

/**
 * Delete the personal data of closed petitions whose delay has run out, keeping the confirmed
 * signatures as counts by province. The audit log records that it happened and how many rows,
 * never what they held.
 */
export async function purgeDuePetitions(db: Executor, batch = 5): Promise<number> {
  return withTransaction(db, async (trx) => {
    const due = await repo.claimDuePurges(trx, batch);
    for (const petition of due) {
      await repo.tallyConfirmedByProvince(trx, petition.id);
      const deleted = await repo.deleteSignatures(trx, petition.id);
      await recordAudit(trx, {
        coalitionId: petition.coalition_id,
        actorId: null,
        action: "petition.personal_data_deleted",
        targetType: "petition",
        targetId: petition.id,
        after: { signaturesDeleted: deleted },
      });
    }
    return due.length;
  });
}
