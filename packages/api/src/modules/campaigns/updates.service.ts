import type { CampaignUpdate } from "@samakki/shared/campaigns";
import { now } from "../../lib/context.ts";
import { encodeCursor, type KeysetCursor } from "../../lib/cursor.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import { isoTime } from "../../lib/time.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { loadCampaign } from "./campaigns.access.ts";
import { insertUpdate, touchCampaign, updateRows } from "./campaigns.repository.ts";
import type { Ctx } from "./campaigns.service.ts";

export async function listUpdates(ctx: Ctx, campaignId: string, opts: { cursor?: KeysetCursor | undefined; limit: number }) {
  const { db } = ctx.deps;
  await loadCampaign(db, ctx.access, campaignId);
  const rows = await updateRows(db, campaignId, opts.cursor, opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  const items: CampaignUpdate[] = page.map((r) => ({
    id: r.id,
    author: { id: r.author_id, displayName: r.display_name },
    body: r.body,
    bodyHtml: renderMarkdown(r.body),
    createdAt: isoTime(r.created_at),
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
