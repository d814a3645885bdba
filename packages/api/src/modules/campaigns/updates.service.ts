import type { CampaignUpdate } from "@samakki/shared/campaigns";
import { now } from "../../lib/context.ts";
import { encodeCursor, type KeysetCursor } from "../../lib/cursor.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import { isoTime } from "../../lib/time.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { canEditCampaign, loadCampaign } from "./campaigns.access.ts";
import { deleteUpdate, insertUpdate, lockUpdate, touchCampaign, updateRows } from "./campaigns.repository.ts";
import type { Ctx } from "./campaigns.service.ts";

export async function listUpdates(ctx: Ctx, campaignId: string, opts: { cursor?: KeysetCursor | undefined; limit: number }) {
  const { db } = ctx.deps;
  await loadCampaign(db, ctx.access, campaignId);
  const [rows, editor] = await Promise.all([
    updateRows(db, campaignId, opts.cursor, opts.limit + 1),
    canEditCampaign(db, ctx.access, campaignId),
  ]);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  const items: CampaignUpdate[] = page.map((r) => ({
    id: r.id,
    author: { id: r.author_id, displayName: r.display_name },
    body: r.body,
    bodyHtml: renderMarkdown(r.body),
    createdAt: isoTime(r.created_at),
    canRemove: editor || r.author_id === ctx.person.id,
  }));
  return { items, nextCursor: rows.length > opts.limit && last ? encodeCursor(last.created_at, last.id) : null };
}

/** Any member of the coalition posts a short update (coordinators too). */
export async function postUpdate(ctx: Ctx, campaignId: string, body: string) {
  const at = now(ctx.deps);
  return withTransaction(ctx.deps.db, async (trx) => {
    await loadCampaign(trx, ctx.access, campaignId);
    const row = await insertUpdate(trx, { campaign_id: campaignId, author_id: ctx.person.id, body, created_at: at });
    await touchCampaign(trx, campaignId, at);
    return row;
  });
}

/**
 * Remove an update: its author, the campaign's co-owners and the coordinators may. An update of a
 * public campaign is on its public page and feed at once, so a post that should not be there (a
 * false instruction, a bad link) must be removable by those who answer for the campaign, not only
 * by whoever wrote it. Audited with its author, never its text.
 */
export async function removeUpdate(ctx: Ctx, campaignId: string, updateId: string): Promise<void> {
  await withTransaction(ctx.deps.db, async (trx) => {
    await loadCampaign(trx, ctx.access, campaignId);
    const update = await lockUpdate(trx, campaignId, updateId);
    if (!update) throw notFound("update");
    if (update.author_id !== ctx.person.id && !(await canEditCampaign(trx, ctx.access, campaignId)))
      throw new AppError("forbidden", "its author, co-owners and coordinators only");
    await deleteUpdate(trx, update.id);
    await touchCampaign(trx, campaignId, now(ctx.deps));
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "campaign.update_removed",
      targetType: "campaign",
      targetId: campaignId,
      // Its author, shown by name in the log (a `personId` field); the update itself is gone.
      before: { personId: update.author_id },
    });
  });
}
