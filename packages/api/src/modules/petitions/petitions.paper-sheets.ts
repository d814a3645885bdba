import type { CorrectPaperSheetInput, PaperSheet, PaperSheetInput } from "@samakki/shared/petitions";
import type { ProvinceCode } from "@samakki/shared/provinces";
import { AppError, notFound } from "../../lib/errors.ts";
import { type CoalitionCtx, refuseFutureDate } from "../../lib/service-context.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { organisationRef } from "../organisations/organisation-ref.ts";
import * as sheetsRepo from "./paper-sheets.repository.ts";
import { loadPetition } from "./petitions.access.ts";

// --- paper sheets ---------------------------------------------------------------------------------------------

export async function listPaperSheets(ctx: CoalitionCtx, campaignId: string): Promise<PaperSheet[]> {
  const { db } = ctx.deps;
  const petition = await loadPetition(db, ctx, campaignId);
  const [sheets, revisions] = await Promise.all([
    sheetsRepo.listPaperSheets(db, petition.id),
    sheetsRepo.paperSheetRevisions(db, petition.id),
  ]);
  return sheets.map((s) => ({
    id: s.id,
    organisation: organisationRef(s.organisation_id, s),
    count: s.count,
    province: s.province as ProvinceCode,
    date: s.counted_on,
    note: s.note,
    revision: s.revision,
    createdAt: s.created_at.toISOString(),
    history: revisions
      .filter((r) => r.sheet_id === s.id)
      .map((r) => ({
        revision: r.revision,
        count: r.count,
        province: r.province as ProvinceCode,
        date: r.counted_on,
        note: r.note,
        changedAt: r.changed_at.toISOString(),
        changedBy: r.person_id && r.display_name ? { id: r.person_id, displayName: r.display_name } : null,
      })),
  }));
}

/** A member organisation records a counted paper or thumbprint sheet, through one of its own people. */
export async function recordPaperSheet(ctx: CoalitionCtx, campaignId: string, input: PaperSheetInput) {
  return withTransaction(ctx.deps.db, async (trx) => {
    const petition = await loadPetition(trx, ctx, campaignId);
    if (!ctx.access.organisationIds.includes(input.organisationId)) throw new AppError("forbidden", "record for your own organisation");
    refuseFutureDate(ctx, input.date, "date");
    const sheet = await sheetsRepo.insertPaperSheet(trx, {
      petition_id: petition.id,
      organisation_id: input.organisationId,
      count: input.count,
      province: input.province,
      counted_on: input.date,
      note: input.note,
      created_by: ctx.person.id,
    });
    await sheetsRepo.insertPaperSheetRevision(trx, {
      sheet_id: sheet.id,
      revision: 1,
      count: input.count,
      province: input.province,
      counted_on: input.date,
      note: input.note,
      changed_by: ctx.person.id,
    });
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "petition.paper_sheet",
      targetType: "petition",
      targetId: petition.id,
      after: { sheetId: sheet.id, organisationId: input.organisationId, count: input.count, province: input.province, date: input.date },
    });
    return { id: sheet.id };
  });
}

/** Its organisation corrects a sheet; every earlier value stays in the revisions. */
export async function correctPaperSheet(ctx: CoalitionCtx, campaignId: string, sheetId: string, input: CorrectPaperSheetInput) {
  await withTransaction(ctx.deps.db, async (trx) => {
    const petition = await loadPetition(trx, ctx, campaignId);
    const current = await sheetsRepo.lockPaperSheet(trx, petition.id, sheetId);
    if (!current) throw notFound("paper sheet");
    if (!ctx.access.organisationIds.includes(current.organisation_id))
      throw new AppError("forbidden", "only its organisation corrects a sheet");
    refuseFutureDate(ctx, input.date, "date");
    const next = {
      count: input.count ?? current.count,
      province: input.province ?? current.province,
      counted_on: input.date ?? current.counted_on,
      note: input.note ?? current.note,
      revision: current.revision + 1,
    };
    await sheetsRepo.updatePaperSheet(trx, sheetId, next);
    await sheetsRepo.insertPaperSheetRevision(trx, { sheet_id: sheetId, ...next, changed_by: ctx.person.id });
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "petition.paper_sheet_corrected",
      targetType: "petition",
      targetId: petition.id,
      before: { sheetId, count: current.count, province: current.province, date: current.counted_on },
      after: { sheetId, count: next.count, province: next.province, date: next.counted_on },
    });
  });
}
