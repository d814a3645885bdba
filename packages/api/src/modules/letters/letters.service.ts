import type { Letter, LetterInput, LetterStats, ReplyInput, ResponseRate } from "@samakki/shared/letters";
import { AppError, notFound } from "../../lib/errors.ts";
import { inOrder } from "../../lib/in-order.ts";
import { type CoalitionCtx, refuseFutureDate } from "../../lib/service-context.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { listActions } from "./actions.repository.ts";
import { loadAction, loadCampaign, requireSender } from "./letters.access.ts";
import { toLetter, toTargetRef } from "./letters.mappers.ts";
import {
  findReply,
  insertLetter,
  isActionTarget,
  listLetters,
  lockLetter,
  responseRates,
  targetsNotContacted,
  updateLetter,
  upsertReply,
} from "./letters.repository.ts";

type LetterFilter = { awaitingReply?: "true" | "false" | undefined; organisationId?: string | undefined };

/** A person may change a letter (and its reply) when they belong to the organisation that sent it. */
const canEdit = (ctx: CoalitionCtx, organisationId: string) => ctx.access.organisationIds.includes(organisationId);

export async function list(ctx: CoalitionCtx, campaignId: string, actionId: string, filter: LetterFilter): Promise<Letter[]> {
  const { db } = ctx.deps;
  // The letters are filtered by the coalition: read with the action, returned only once it is found.
  const [, rows] = await inOrder([
    loadAction(db, ctx, campaignId, actionId),
    listLetters(db, ctx.access.coalitionId, {
      actionIds: [actionId],
      awaitingReply: filter.awaitingReply === undefined ? undefined : filter.awaitingReply === "true",
      organisationId: filter.organisationId,
    }),
  ]);
  return rows.map((r) => toLetter(r, canEdit(ctx, r.organisation_id)));
}

async function getLetter(db: Executor, ctx: CoalitionCtx, actionId: string, letterId: string): Promise<Letter> {
  const [row] = await listLetters(db, ctx.access.coalitionId, { actionIds: [actionId], letterId });
  if (!row) throw notFound("letter");
  return toLetter(row, canEdit(ctx, row.organisation_id));
}

export async function record(ctx: CoalitionCtx, campaignId: string, actionId: string, input: LetterInput): Promise<Letter> {
  return withTransaction(ctx.deps.db, async (trx) => {
    await loadAction(trx, ctx, campaignId, actionId);
    await requireSender(trx, ctx, input.organisationId);
    refuseFutureDate(ctx, input.sentOn, "sentOn");
    if (!(await isActionTarget(trx, actionId, input.targetId)))
      throw new AppError("validation_failed", "not a target of the action", {
        fieldErrors: [{ path: "targetId", message: "validation.not_action_target" }],
      });
    const row = await insertLetter(trx, {
      coalition_id: ctx.access.coalitionId,
      action_id: actionId,
      target_id: input.targetId,
      organisation_id: input.organisationId,
      sent_on: input.sentOn,
      channel: input.channel,
      delivery_confirmed: input.deliveryConfirmed,
      recorded_by: ctx.person.id,
    });
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "letter.recorded",
      targetType: "letter",
      targetId: row.id,
      after: {
        actionId,
        targetId: input.targetId,
        organisationId: input.organisationId,
        sentOn: input.sentOn,
        channel: input.channel,
        deliveryConfirmed: input.deliveryConfirmed,
      },
    });
    return getLetter(trx, ctx, actionId, row.id);
  });
}

async function lockOwnLetter(trx: Executor, ctx: CoalitionCtx, campaignId: string, actionId: string, letterId: string) {
  await loadAction(trx, ctx, campaignId, actionId);
  const letter = await lockLetter(trx, ctx.access.coalitionId, actionId, letterId);
  if (!letter) throw notFound("letter");
  await requireSender(trx, ctx, letter.organisation_id);
  return letter;
}

export async function update(
  ctx: CoalitionCtx,
  campaignId: string,
  actionId: string,
  letterId: string,
  input: { deliveryConfirmed?: boolean | undefined; sentOn?: string | undefined; channel?: LetterInput["channel"] | undefined },
): Promise<Letter> {
  return withTransaction(ctx.deps.db, async (trx) => {
    const letter = await lockOwnLetter(trx, ctx, campaignId, actionId, letterId);
    refuseFutureDate(ctx, input.sentOn, "sentOn");
    const values: Parameters<typeof updateLetter>[2] = {};
    if (input.deliveryConfirmed !== undefined) values.delivery_confirmed = input.deliveryConfirmed;
    if (input.sentOn !== undefined) values.sent_on = input.sentOn;
    if (input.channel !== undefined) values.channel = input.channel;
    await updateLetter(trx, letterId, values);
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "letter.updated",
      targetType: "letter",
      targetId: letterId,
      before: { sentOn: letter.sent_on, channel: letter.channel, deliveryConfirmed: letter.delivery_confirmed },
      after: {
        sentOn: input.sentOn ?? letter.sent_on,
        channel: input.channel ?? letter.channel,
        deliveryConfirmed: input.deliveryConfirmed ?? letter.delivery_confirmed,
      },
    });
    return getLetter(trx, ctx, actionId, letterId);
  });
}

/** Record (or correct) the reply to a letter: one reply per letter. */
export async function reply(ctx: CoalitionCtx, campaignId: string, actionId: string, letterId: string, input: ReplyInput): Promise<Letter> {
  return withTransaction(ctx.deps.db, async (trx) => {
    await lockOwnLetter(trx, ctx, campaignId, actionId, letterId);
    refuseFutureDate(ctx, input.receivedOn, "receivedOn");
    const before = await findReply(trx, letterId);
    await upsertReply(trx, {
      letter_id: letterId,
      received_on: input.receivedOn,
      summary: input.summary,
      stance: input.stance,
      scan_reference: input.scanReference,
      recorded_by: ctx.person.id,
    });
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: before ? "letter.reply_corrected" : "letter.reply_recorded",
      targetType: "letter",
      targetId: letterId,
      before: before ? { receivedOn: before.received_on, stance: before.stance } : null,
      after: { receivedOn: input.receivedOn, stance: input.stance },
    });
    return getLetter(trx, ctx, actionId, letterId);
  });
}

function toRates(rows: Awaited<ReturnType<typeof responseRates>>): ResponseRate[] {
  return rows.map((r) => {
    const letters = Number(r.letters);
    const replied = Number(r.replied);
    return {
      key: r.key,
      letters,
      replied,
      supportive: Number(r.supportive),
      undecided: Number(r.undecided),
      opposed: Number(r.opposed),
      rate: letters > 0 ? replied / letters : null,
    };
  });
}

/** The campaign's three views over all its letter actions: not yet contacted, awaiting a reply, response rates. */
export async function stats(ctx: CoalitionCtx, campaignId: string): Promise<LetterStats> {
  const { db } = ctx.deps;
  // The actions are filtered by the coalition: read with the campaign, used only once it is found.
  const [, actions] = await inOrder([loadCampaign(db, ctx, campaignId), listActions(db, ctx.access.coalitionId, campaignId)]);
  const actionIds = actions.map((a) => a.id);
  const [notContacted, awaiting, byParty, byProvince] = await Promise.all([
    targetsNotContacted(db, actionIds),
    listLetters(db, ctx.access.coalitionId, { actionIds, awaitingReply: true }),
    responseRates(db, actionIds, "party"),
    responseRates(db, actionIds, "province"),
  ]);
  return {
    notContacted: notContacted.map(toTargetRef),
    awaitingReply: awaiting.map((r) => toLetter(r, canEdit(ctx, r.organisation_id))),
    byParty: toRates(byParty),
    byProvince: toRates(byProvince),
  };
}
