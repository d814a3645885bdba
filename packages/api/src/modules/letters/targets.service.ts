import { type Language, translate } from "@samakki/shared/i18n/index";
import {
  TARGET_CSV_COLUMNS,
  TARGET_IMPORT_MAX_ROWS,
  type Target,
  type TargetImportPreview,
  TargetInput,
  type UpdateTargetInput,
} from "@samakki/shared/letters";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { AppError, notFound } from "../../lib/errors.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { fieldErrors } from "../../lib/validation.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { toTarget } from "./letters.mappers.ts";
import { findTarget, insertTargets, listTargets, lockTarget, targetValues, updateTarget } from "./targets.repository.ts";

type TargetFilter = Parameters<typeof listTargets>[2];

export async function list(ctx: CoalitionCtx, filter: TargetFilter): Promise<Target[]> {
  return (await listTargets(ctx.deps.db, ctx.access.coalitionId, filter)).map(toTarget);
}

export async function get(ctx: CoalitionCtx, targetId: string): Promise<Target> {
  const row = await findTarget(ctx.deps.db, ctx.access.coalitionId, targetId);
  if (!row) throw notFound("target");
  return toTarget(row);
}

export async function create(ctx: CoalitionCtx, input: TargetInput): Promise<Target> {
  return withTransaction(ctx.deps.db, async (trx) => {
    const [row] = await insertTargets(trx, [targetValues(ctx.access.coalitionId, input)]);
    if (!row) throw notFound("target");
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "letter_target.created",
      targetType: "letter_target",
      targetId: row.id,
      after: { nameEn: input.nameEn, nameKm: input.nameKm, province: input.province, party: input.party },
    });
    const created = await findTarget(trx, ctx.access.coalitionId, row.id);
    if (!created) throw notFound("target");
    return toTarget(created);
  });
}

const FIELD_COLUMNS = {
  nameKm: "name_km",
  nameEn: "name_en",
  role: "role",
  party: "party",
  province: "province",
  constituency: "constituency",
  email: "email",
  phone: "phone",
  fax: "fax",
  postalAddress: "postal_address",
} as const;

/** Edit a target, or archive / restore it (targets are archived, never deleted). */
export async function update(ctx: CoalitionCtx, targetId: string, input: UpdateTargetInput): Promise<Target> {
  return withTransaction(ctx.deps.db, async (trx) => {
    const current = await lockTarget(trx, ctx.access.coalitionId, targetId);
    if (!current) throw notFound("target");
    const values: Parameters<typeof updateTarget>[2] = {};
    for (const [field, column] of Object.entries(FIELD_COLUMNS) as [
      keyof typeof FIELD_COLUMNS,
      (typeof FIELD_COLUMNS)[keyof typeof FIELD_COLUMNS],
    ][]) {
      const value = input[field];
      if (value !== undefined) Object.assign(values, { [column]: value });
    }
    const nameKm = input.nameKm ?? current.name_km;
    const nameEn = input.nameEn ?? current.name_en;
    if (nameKm === "" && nameEn === "")
      throw new AppError("validation_failed", "a target needs a name", {
        fieldErrors: [{ path: "nameEn", message: "validation.target_name_required" }],
      });
    if (input.archived !== undefined) values.archived_at = input.archived ? (current.archived_at ?? new Date()) : null;
    await updateTarget(trx, targetId, values);
    const archivedChanged = input.archived !== undefined && input.archived !== (current.archived_at !== null);
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: archivedChanged ? (input.archived ? "letter_target.archived" : "letter_target.restored") : "letter_target.updated",
      targetType: "letter_target",
      targetId,
      before: { nameEn: current.name_en, nameKm: current.name_km, province: current.province, party: current.party },
      after: { nameEn, nameKm, province: input.province ?? current.province, party: input.party ?? current.party },
    });
    const updated = await findTarget(trx, ctx.access.coalitionId, targetId);
    if (!updated) throw notFound("target");
    return toTarget(updated);
  });
}

// --- CSV import and export -----------------------------------------------------------------------

/**
 * Parse a CSV of targets (the header names the columns of TARGET_CSV_COLUMNS, in any order; unknown
 * columns are refused) and check every row with the same schema as a typed target. A file that is
 * not CSV, has no known columns or too many rows is refused whole; a bad row gets its own errors.
 */
export function parseTargetCsv(csv: string, lang: Language): TargetImportPreview {
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch {
    throw new AppError("validation_failed", "not CSV", { fieldErrors: [{ path: "csv", message: "validation.csv_unreadable" }] });
  }
  const [header, ...rows] = records;
  const columns = (header ?? []).map((h) => h.toLowerCase().replace(/\s+/g, "_"));
  const unknown = columns.filter((c) => !(TARGET_CSV_COLUMNS as readonly string[]).includes(c));
  if (!header || unknown.length > 0 || !columns.some((c) => c === "name_km" || c === "name_en"))
    throw new AppError("validation_failed", "bad header", { fieldErrors: [{ path: "csv", message: "validation.csv_header" }] });
  if (rows.length > TARGET_IMPORT_MAX_ROWS)
    throw new AppError("validation_failed", "too many rows", { fieldErrors: [{ path: "csv", message: "validation.csv_too_many_rows" }] });
  const out: TargetImportPreview["rows"] = rows.map((cells, i) => {
    const raw: Record<string, string | null> = {};
    columns.forEach((column, index) => {
      const field = Object.entries(FIELD_COLUMNS).find(([, c]) => c === column)?.[0];
      if (field) raw[field] = cells[index] ?? "";
    });
    if (raw.province === "") raw.province = null;
    const parsed = TargetInput.safeParse(raw);
    const line = i + 2;
    if (cells.length > columns.length)
      return { line, target: null, errors: [{ path: "", message: fieldMessage(lang, "validation.csv_extra_cells") }] };
    return parsed.success ? { line, target: parsed.data, errors: [] } : { line, target: null, errors: fieldErrors(parsed.error, lang) };
  });
  const valid = out.filter((r) => r.target !== null).length;
  return { rows: out, valid, invalid: out.length - valid };
}

const fieldMessage = (lang: Language, key: string) => translate(lang, key);

export function previewImport(lang: Language, csv: string): TargetImportPreview {
  return parseTargetCsv(csv, lang);
}

/** Import the valid rows of the file in one transaction; the invalid ones are skipped (the preview listed them). */
export async function commitImport(ctx: CoalitionCtx, lang: Language, csv: string) {
  const preview = parseTargetCsv(csv, lang);
  const valid = preview.rows.flatMap((r) => (r.target ? [r.target] : []));
  return withTransaction(ctx.deps.db, async (trx) => {
    await insertTargets(
      trx,
      valid.map((t) => targetValues(ctx.access.coalitionId, t)),
    );
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "letter_target.imported",
      targetType: "coalition",
      targetId: ctx.access.coalitionId,
      after: { imported: valid.length, skipped: preview.invalid },
    });
    return { imported: valid.length, skipped: preview.invalid };
  });
}

/** Cells starting with these could run as formulas in a spreadsheet (CSV injection); prefix them with a quote. */
const FORMULA = /^[=+\-@\t\r]/;
const cell = (value: string) => (FORMULA.test(value) ? `'${value}` : value);

/** The directory as CSV in the import format (so it can be edited and imported elsewhere), formula-safe, with a BOM for Khmer. */
export async function exportCsv(ctx: CoalitionCtx): Promise<string> {
  const rows = await listTargets(ctx.deps.db, ctx.access.coalitionId, { archived: "false" });
  const data = rows.map((r) =>
    [r.name_km, r.name_en, r.role, r.party, r.province ?? "", r.constituency, r.email, r.phone, r.fax, r.postal_address].map(cell),
  );
  return `\uFEFF${stringify(data, { header: true, columns: [...TARGET_CSV_COLUMNS] })}`;
}
