import type { Language } from "@samakki/shared/i18n/index";
import type {
  ClosePetitionInput,
  CorrectPaperSheetInput,
  PaperSheet,
  PaperSheetInput,
  Petition,
  PetitionCounts,
  PetitionInput,
  Signer,
  SignPetitionForm,
  UpdatePetitionInput,
} from "@samakki/shared/petitions";
import type { ProvinceCode } from "@samakki/shared/provinces";
import { stringify } from "csv-stringify/sync";
import { type AppDeps, now } from "../../lib/context.ts";
import { generateToken, hashToken, sha256Hex } from "../../lib/crypto.ts";
import { encodeCursor, type KeysetCursor } from "../../lib/cursor.ts";
import { AppError, conflict, notFound, preconditionFailed } from "../../lib/errors.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { DAY, isoOrNull } from "../../lib/time.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { take } from "../auth/rate-limit.ts";
import { loadCampaign } from "../campaigns/campaigns.access.ts";
import { enqueueEmail } from "../email/outbox.ts";
import * as repo from "./petitions.repository.ts";
import { verifyPowSolution } from "./pow.ts";

export const CONFIRM_TTL_MS = 7 * DAY;
/** Per hour: sign-ups from one address with a solved challenge, without one (no JavaScript), and per email address. */
export const SIGN_LIMITS = { addressWithPow: 30, addressWithoutPow: 5, email: 3 } as const;
const SIGN_WINDOW_SECONDS = 3600;

// --- access -----------------------------------------------------------------------------------------------

/** Owners: coordinators, and admins of the campaign's co-owner organisations. */
async function canManage(db: Executor, ctx: CoalitionCtx, campaignId: string): Promise<boolean> {
  if (ctx.access.isCoordinator) return true;
  const administered = await repo.ownerOrganisationsAdministeredBy(db, campaignId, ctx.person.id);
  return administered.some((id) => ctx.access.organisationIds.includes(id));
}

async function loadPetition(db: Executor, ctx: CoalitionCtx, campaignId: string) {
  await loadCampaign(db, ctx.access, campaignId);
  const petition = await repo.findPetitionByCampaign(db, campaignId);
  if (!petition) throw notFound("petition");
  return petition;
}

async function requireOwner(db: Executor, ctx: CoalitionCtx, campaignId: string) {
  if (!(await canManage(db, ctx, campaignId))) throw new AppError("forbidden", "petition owners only");
}

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
  const petition = await loadPetition(db, ctx, campaignId);
  return toPetition(petition, await petitionCounts(db, petition.id), await canManage(db, ctx, campaignId));
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
    createdAt: r.created_at.toISOString(),
    confirmedAt: isoOrNull(r.confirmed_at),
  };
}

export async function listSigners(
  ctx: CoalitionCtx,
  campaignId: string,
  query: { status?: "pending" | "confirmed" | undefined; cursor?: KeysetCursor | undefined; limit: number },
) {
  const { db } = ctx.deps;
  const petition = await loadPetition(db, ctx, campaignId);
  await requireOwner(db, ctx, campaignId);
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
  const petition = await loadPetition(db, ctx, campaignId);
  await requireOwner(db, ctx, campaignId);
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

// --- paper sheets ---------------------------------------------------------------------------------------------

export async function listPaperSheets(ctx: CoalitionCtx, campaignId: string): Promise<PaperSheet[]> {
  const { db } = ctx.deps;
  const petition = await loadPetition(db, ctx, campaignId);
  const sheets = await repo.listPaperSheets(db, petition.id);
  const revisions = await repo.paperSheetRevisions(
    db,
    sheets.map((s) => s.id),
  );
  return sheets.map((s) => ({
    id: s.id,
    organisation: { id: s.organisation_id, name: s.name, shortName: s.short_name },
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
    const sheet = await repo.insertPaperSheet(trx, {
      petition_id: petition.id,
      organisation_id: input.organisationId,
      count: input.count,
      province: input.province,
      counted_on: input.date,
      note: input.note,
      created_by: ctx.person.id,
    });
    await repo.insertPaperSheetRevision(trx, {
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
    const current = await repo.lockPaperSheet(trx, petition.id, sheetId);
    if (!current) throw notFound("paper sheet");
    if (!ctx.access.organisationIds.includes(current.organisation_id))
      throw new AppError("forbidden", "only its organisation corrects a sheet");
    const next = {
      count: input.count ?? current.count,
      province: input.province ?? current.province,
      counted_on: input.date ?? current.counted_on,
      note: input.note ?? current.note,
      revision: current.revision + 1,
    };
    await repo.updatePaperSheet(trx, sheetId, next);
    await repo.insertPaperSheetRevision(trx, { sheet_id: sheetId, ...next, changed_by: ctx.person.id });
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

// --- the public -----------------------------------------------------------------------------------------------

/** Today's date in the time zone, YYYY-MM-DD. */
export function todayIn(date: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

export type PublicPetition = NonNullable<Awaited<ReturnType<typeof repo.findPublicPetition>>>;

export function findPublicPetition(db: Executor, coalitionSlug: string, campaignSlug: string) {
  return repo.findPublicPetition(db, coalitionSlug, campaignSlug);
}

export type PetitionPhase = "not_open" | "open" | "closed";
export function phaseOf(petition: Pick<PublicPetition, "status" | "opens_on" | "closes_on" | "time_zone">, at: Date): PetitionPhase {
  if (petition.status === "closed") return "closed";
  const today = todayIn(at, petition.time_zone);
  if (today < petition.opens_on) return "not_open";
  return today > petition.closes_on ? "closed" : "open";
}

export async function publicView(db: Executor, petition: PublicPetition) {
  const [counts, recent] = await Promise.all([petitionCounts(db, petition.id), repo.recentPublicNames(db, petition.id, 20)]);
  return { counts, recent };
}

export type SignOutcome = { ok: true } | { ok: false; fieldErrors: { path: string; message: string }[] };

/** The email's rate-limit key: a hash, so no address is kept in the counters. */
const emailLimitKey = (petitionId: string, emailKey: string) => `petition-email:${sha256Hex(`${petitionId}:${emailKey}`)}`;

/**
 * Sign (or sign again): limits per address (stricter without a solved challenge) and per email,
 * the challenge checked once, then the signature and its confirmation email in one transaction.
 * The answer is the same whether or not the address had signed before.
 */
export async function sign(
  deps: AppDeps,
  petition: PublicPetition,
  form: SignPetitionForm,
  meta: { lang: Language; address: string },
): Promise<SignOutcome> {
  const at = now(deps);
  if (phaseOf(petition, at) !== "open") throw preconditionFailed("the petition is not open");
  const emailKey = form.email.trim().toLowerCase();
  const hasPow = Boolean(form.altcha);
  await take(
    deps.db,
    [
      hasPow
        ? { key: `petition-addr:${meta.address}`, limit: SIGN_LIMITS.addressWithPow }
        : { key: `petition-addr-nojs:${meta.address}`, limit: SIGN_LIMITS.addressWithoutPow },
      { key: emailLimitKey(petition.id, emailKey), limit: SIGN_LIMITS.email },
    ],
    SIGN_WINDOW_SECONDS,
  );
  if (form.altcha && !(await verifyPowSolution(deps.db, form.altcha, at))) {
    return { ok: false, fieldErrors: [{ path: "altcha", message: "petitions.public.errors.pow" }] };
  }
  const confirmToken = generateToken();
  const withdrawToken = generateToken();
  await withTransaction(deps.db, async (trx) => {
    const row = await repo.upsertSignature(trx, {
      petitionId: petition.id,
      emailKey,
      email: form.email.trim(),
      name: form.name,
      province: form.province,
      comment: form.comment,
      showName: form.showName,
      language: meta.lang,
      confirmTokenHash: hashToken(confirmToken),
      confirmExpiresAt: new Date(at.getTime() + CONFIRM_TTL_MS),
      withdrawTokenHash: hashToken(withdrawToken),
    });
    const base = deps.config.publicUrl;
    await enqueueEmail(trx, {
      to: form.email.trim(),
      language: meta.lang,
      coalitionId: petition.coalition_id,
      message: {
        template: "petition_confirmation",
        data: {
          petition: meta.lang === "km" ? petition.title_km : petition.title_en,
          coalition: petition.coalition_name,
          name: row.name,
          confirmUrl: `${base}/petitions/confirm/${confirmToken}?lang=${meta.lang}`,
          withdrawUrl: `${base}/petitions/withdraw/${withdrawToken}?lang=${meta.lang}`,
          alreadyConfirmed: row.status === "confirmed",
        },
      },
    });
  });
  return { ok: true };
}

const TOKEN = /^[a-z2-7]{32}$/;

/** What a confirmation or withdrawal link points at (for the page with the button); undefined for anything unusable. */
export async function lookupToken(db: Executor, kind: "confirm" | "withdraw", token: string) {
  if (!TOKEN.test(token)) return undefined;
  const hash = hashToken(token);
  return kind === "confirm" ? repo.findSignatureByConfirmHash(db, hash) : repo.findSignatureByWithdrawHash(db, hash);
}

export type ConfirmOutcome = "confirmed" | "already_confirmed" | "invalid";

/** Confirm through the emailed link: one conditional UPDATE; a used, expired or unknown token changes nothing. */
export async function confirm(db: Executor, token: string): Promise<ConfirmOutcome> {
  if (!TOKEN.test(token)) return "invalid";
  const hash = hashToken(token);
  if (await repo.confirmSignature(db, hash)) return "confirmed";
  if (await repo.isConfirmedToken(db, hash)) return "already_confirmed";
  return "invalid";
}

/** Withdraw through the emailed link: the signature and its personal data are deleted. */
export async function withdraw(db: Executor, token: string): Promise<boolean> {
  if (!TOKEN.test(token)) return false;
  return (await repo.withdrawSignature(db, hashToken(token))) !== undefined;
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
