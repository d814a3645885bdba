import { stringify } from "csv-stringify/sync";
import { Zip, ZipDeflate } from "fflate";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { EXPORT_TABLES, tableColumns, tableRows } from "./export.repository.ts";

/**
 * Columns never exported, whatever table they are in: credentials and the tokens behind links
 * (password hashes, token hashes, TOTP keys, passkey keys, contact keys, ballot nonces and
 * receipts), and the audit chain's own hashes.
 */
const SECRET_COLUMN = /(^|_)(hash|token|secret|password|nonce|receipt|key)(_|$)|^totp_|^prev_hash$/;

/** Cells starting with these could run as formulas in a spreadsheet (CSV injection); prefix them with a quote. */
const FORMULA = /^[=+\-@\t\r]/;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return FORMULA.test(text) ? `'${text}` : text;
}

const encoder = new TextEncoder();

interface CoalitionExport {
  filename: string;
  body: ReadableStream<Uint8Array>;
}

/**
 * A coordinator's export of all the coalition's data: `json/<table>.json` and `csv/<table>.csv`
 * for every table of EXPORT_TABLES, and `manifest.json` (counts, what is left out and why).
 * Audited before it starts. Read in one REPEATABLE READ snapshot, table by table; each table is
 * compressed (fflate) as soon as it is read and the zip's bytes go out as they are made, so the
 * database connection is held for the reading only, never for the client's download.
 */
export async function exportCoalition(ctx: CoalitionCtx): Promise<CoalitionExport> {
  const { deps, access, person } = ctx;
  const coalitionId = access.coalitionId;
  await recordAudit(deps.db, {
    coalitionId,
    actorId: person.id,
    action: "coalition.export",
    targetType: "coalition",
    targetId: coalitionId,
    after: { format: "zip", tables: Object.keys(EXPORT_TABLES).length },
  });
  const exportedAt = new Date().toISOString();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      controller?.error(error);
      return;
    }
    controller?.enqueue(chunk);
    if (final) controller?.close();
  });
  const addFile = (name: string, text: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(encoder.encode(text), true);
  };

  const produce = async () => {
    const counts: Record<string, number> = {};
    await deps.db
      .transaction()
      .setIsolationLevel("repeatable read")
      .execute(async (trx) => {
        for (const table of Object.keys(EXPORT_TABLES)) {
          const columns = (await tableColumns(trx, table)).filter((column) => !SECRET_COLUMN.test(column));
          const rows = (await tableRows(trx, table, coalitionId)).map((row) =>
            Object.fromEntries(columns.map((col) => [col, row[col] ?? null])),
          );
          counts[table] = rows.length;
          addFile(`json/${table}.json`, `${JSON.stringify(rows, null, 1)}\n`);
          // A byte-order mark so spreadsheets read Khmer as UTF-8.
          addFile(`csv/${table}.csv`, `\uFEFF${stringify([columns, ...rows.map((row) => columns.map((col) => csvCell(row[col])))])}`);
        }
      });
    addFile(
      "manifest.json",
      `${JSON.stringify(
        {
          format: "samakki-coalition-export/1",
          coalitionId,
          exportedAt,
          exportedBy: person.id,
          tables: counts,
          leftOut: [
            "credentials and link tokens (password and token hashes, two-factor keys, passkeys, sessions)",
            "emails and their queue (they carry sign-in and invitation links)",
            "each person's notifications",
            "ballots of votes still open, replaced ballots and anonymous endorsements (each closed vote's tally is included)",
            "the audit chain's hashes",
          ],
        },
        null,
        1,
      )}\n`,
    );
    zip.end();
  };
  produce().catch((error: unknown) => {
    deps.logger.error({ err: error, coalitionId }, "coalition export failed");
    controller?.error(error);
  });
  return { filename: `samakki-export-${exportedAt.slice(0, 10)}.zip`, body };
}
