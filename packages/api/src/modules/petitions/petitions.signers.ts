import type { Signer } from "@samakki/shared/petitions";
import type { ProvinceCode } from "@samakki/shared/provinces";
import { stringify } from "csv-stringify/sync";
import { encodeCursor, type KeysetCursor } from "../../lib/cursor.ts";
import { inOrder } from "../../lib/in-order.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { isoOrNull, isoTime } from "../../lib/time.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { loadPetition, requireOwner } from "./petitions.access.ts";
import * as repo from "./petitions.repository.ts";

/** The signers of a petition, for its owners: the paged list and the audited CSV export. */

function toSigner(r: Awaited<ReturnType<typeof repo.listSignatures>>[number]): Signer {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    province: r.province as ProvinceCode,
    comment: r.comment,
    showName: r.show_name,
    language: r.language,
    status: r.status,
    createdAt: isoTime(r.created_at),
    confirmedAt: isoOrNull(r.confirmed_at),
  };
}

export async function listSigners(
  ctx: CoalitionCtx,
  campaignId: string,
  query: { status?: "pending" | "confirmed" | undefined; cursor?: KeysetCursor | undefined; limit: number },
) {
  const { db } = ctx.deps;
  // A campaign of another coalition, or without a petition, is 404 before a person who does not own it is 403.
  const [petition] = await inOrder([loadPetition(db, ctx, campaignId), requireOwner(db, ctx, campaignId)]);
  const { cursor } = query;
  const rows = await repo.listSignatures(db, petition.id, {
    status: query.status,
    cursor: cursor ? { createdAt: cursor.at, id: cursor.id } : undefined,
    limit: query.limit,
  });
  const items = rows.slice(0, query.limit).map(toSigner);
  const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor(last.created_at, last.id) : null };
}

/** Cells starting with these could run as formulas in a spreadsheet (CSV injection); prefix them with a quote. */
const FORMULA = /^(?:[=+\-@\t\r]|\s+[=+\-@])/;
export const csvCell = (value: string) => (FORMULA.test(value) ? `'${value}` : value);

/** The confirmed signers as CSV, formula-safe, with a byte-order mark so spreadsheets read Khmer as UTF-8. The export is audited (who, how many), not its content. */
export async function exportSignersCsv(ctx: CoalitionCtx, campaignId: string): Promise<string> {
  const { db } = ctx.deps;
  const [petition] = await inOrder([loadPetition(db, ctx, campaignId), requireOwner(db, ctx, campaignId)]);
  const rows = await repo.confirmedSignatures(db, petition.id);
  await recordAudit(db, {
    coalitionId: ctx.access.coalitionId,
    actorId: ctx.person.id,
    action: "petition.signers_exported",
    targetType: "petition",
    targetId: petition.id,
    after: { rows: rows.length },
  });
  const body = rows.map((r) => [
    csvCell(r.name),
    csvCell(r.email),
    r.province,
    csvCell(r.comment),
    r.show_name ? "yes" : "no",
    r.language,
    isoOrNull(r.confirmed_at) ?? "",
  ]);
  return `\uFEFF${stringify(body, { header: true, columns: ["name", "email", "province", "comment", "show_name", "language", "confirmed_at"] })}`;
}
