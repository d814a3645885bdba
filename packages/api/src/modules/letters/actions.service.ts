import type { LetterAction, LetterActionInput, UpdateLetterActionInput } from "@samakki/shared/letters";
import { AppError, notFound } from "../../lib/errors.ts";
import { inOrder } from "../../lib/in-order.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import {
  actionCounts,
  actionTargets,
  insertAction,
  listActions,
  setActionTargets,
  startedCounts,
  updateAction,
} from "./actions.repository.ts";
import { canManageActions, loadAction, loadCampaign, requireActionManager } from "./letters.access.ts";
import { toTargetRef } from "./letters.mappers.ts";
import { existingTargetIds } from "./targets.repository.ts";

type ActionRow = Awaited<ReturnType<typeof listActions>>[number];

async function withDetails(db: Executor, rows: ActionRow[], canEdit: boolean): Promise<LetterAction[]> {
  const ids = rows.map((r) => r.id);
  const [targets, counts, started] = await Promise.all([actionTargets(db, ids), actionCounts(db, ids), startedCounts(db, ids)]);
  return rows.map((r) => {
    const c = counts.find((x) => x.action_id === r.id);
    return {
      id: r.id,
      campaignId: r.campaign_id,
      title: r.title,
      subjectKm: r.subject_km,
      subjectEn: r.subject_en,
      bodyKm: r.body_km,
      bodyEn: r.body_en,
      targets: targets.filter((t) => t.action_id === r.id).map(toTargetRef),
      counts: { sent: Number(c?.sent ?? 0), delivered: Number(c?.delivered ?? 0), replied: Number(c?.replied ?? 0) },
      started: Number(started.find((s) => s.action_id === r.id)?.started ?? 0),
      canEdit,
      createdAt: r.created_at.toISOString(),
    };
  });
}

export async function list(ctx: CoalitionCtx, campaignId: string): Promise<LetterAction[]> {
  const { db } = ctx.deps;
  // Each is filtered by the coalition: read at once, returned only once the campaign is found in it.
  const [, rows, canEdit] = await inOrder([
    loadCampaign(db, ctx, campaignId),
    listActions(db, ctx.access.coalitionId, campaignId),
    canManageActions(db, ctx, campaignId),
  ]);
  return withDetails(db, rows, canEdit);
}

export async function get(ctx: CoalitionCtx, campaignId: string, actionId: string, db: Executor = ctx.deps.db): Promise<LetterAction> {
  const [row, canEdit] = await inOrder([loadAction(db, ctx, campaignId, actionId), canManageActions(db, ctx, campaignId)]);
  const [action] = await withDetails(db, [row], canEdit);
  if (!action) throw notFound("letter action");
  return action;
}

/** Targets must be the coalition's own (archived ones may stay on an action, not be added). */
async function checkTargets(db: Executor, ctx: CoalitionCtx, ids: string[]) {
  const unique = [...new Set(ids)];
  const found = new Set(await existingTargetIds(db, ctx.access.coalitionId, unique));
  const bad = ids.flatMap((id, i) => (found.has(id) ? [] : [i]));
  if (bad.length > 0)
    throw new AppError("validation_failed", "unknown targets", {
      fieldErrors: bad.map((i) => ({ path: `targetIds.${i}`, message: "validation.unknown_target" })),
    });
  return unique;
}

export async function create(ctx: CoalitionCtx, campaignId: string, input: LetterActionInput): Promise<LetterAction> {
  return withTransaction(ctx.deps.db, async (trx) => {
    await requireActionManager(trx, ctx, campaignId);
    const targetIds = await checkTargets(trx, ctx, input.targetIds);
    const row = await insertAction(trx, {
      coalition_id: ctx.access.coalitionId,
      campaign_id: campaignId,
      title: input.title,
      subject_km: input.subjectKm,
      subject_en: input.subjectEn,
      body_km: input.bodyKm,
      body_en: input.bodyEn,
      created_by: ctx.person.id,
    });
    await setActionTargets(trx, row.id, targetIds);
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "letter_action.created",
      targetType: "campaign",
      targetId: campaignId,
      after: { actionId: row.id, title: input.title, targets: targetIds.length },
    });
    return get(ctx, campaignId, row.id, trx);
  });
}

export async function update(
  ctx: CoalitionCtx,
  campaignId: string,
  actionId: string,
  input: UpdateLetterActionInput,
): Promise<LetterAction> {
  return withTransaction(ctx.deps.db, async (trx) => {
    await requireActionManager(trx, ctx, campaignId);
    const current = await loadAction(trx, ctx, campaignId, actionId);
    const values: Parameters<typeof updateAction>[2] = {};
    if (input.title !== undefined) values.title = input.title;
    if (input.subjectKm !== undefined) values.subject_km = input.subjectKm;
    if (input.subjectEn !== undefined) values.subject_en = input.subjectEn;
    if (input.bodyKm !== undefined) values.body_km = input.bodyKm;
    if (input.bodyEn !== undefined) values.body_en = input.bodyEn;
    await updateAction(trx, actionId, values);
    if (input.targetIds !== undefined) await setActionTargets(trx, actionId, await checkTargets(trx, ctx, input.targetIds));
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "letter_action.updated",
      targetType: "campaign",
      targetId: campaignId,
      before: { actionId, title: current.title },
      after: { actionId, title: input.title ?? current.title, targets: input.targetIds?.length ?? null },
    });
    return get(ctx, campaignId, actionId, trx);
  });
}
