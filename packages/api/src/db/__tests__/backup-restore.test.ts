import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../test/app.ts";
import { createWorld } from "../../../test/factories/index.ts";
import { verifyAuditChain } from "../../modules/audit/audit.service.ts";
import { createDatabase, type Database, PGLITE_OPTIONS } from "../client.ts";

const run = promisify(execFile);

/** Row counts of every table of the schema: a restore must bring back exactly these. */
async function counts(db: Database): Promise<Record<string, number>> {
  const tables = await sql<{
    name: string;
  }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
    db,
  );
  const out: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const row = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(name)}`.execute(db);
    out[name] = row.rows[0]?.n ?? -1;
  }
  return out;
}

/**
 * The backup procedure of the README, exercised: pg_dump --format=custom and pg_restore into a
 * scratch database on PostgreSQL; a copy of the data directory on PGlite. The restored copy has
 * the same rows in every table and an audit chain that still verifies.
 */
describe("backup and restore", () => {
  let ctx: TestContext;
  const dir = mkdtempSync(join(tmpdir(), "samakki-backup-"));
  beforeAll(async () => {
    ctx = await buildTestApp();
    const w = await createWorld(ctx);
    const created = await w.clients.coordinator.post(`/api/coalitions/${w.coalition.id}/campaigns`, {
      title: "Backed up",
      ownerOrganisationIds: [w.orgA.id],
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("restores every row, and the audit chain verifies on the copy", async () => {
    const before = await counts(ctx.db);
    expect(before.campaign).toBeGreaterThan(0);
    expect(before.audit_event).toBeGreaterThan(0);

    let restored: { db: Database; close(): Promise<void> };
    if (ctx.handle.engine === "postgres" && ctx.handle.url) {
      const file = join(dir, "samakki.dump");
      await run("pg_dump", ["--format=custom", `--file=${file}`, ctx.handle.url]);
      const scratch = new URL(ctx.handle.url);
      const name = `samakki_restore_${process.pid}_${Date.now()}`;
      const admin = postgres(ctx.handle.url, { max: 1, onnotice: () => {} });
      // The admin connection ends (and the copy is dropped) also when creating or restoring it fails.
      const dropCopy = async () => {
        try {
          await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await admin.end();
        }
      };
      try {
        await admin.unsafe(`CREATE DATABASE ${name}`);
        scratch.pathname = `/${name}`;
        await run("pg_restore", ["--no-owner", `--dbname=${scratch.toString()}`, file]);
      } catch (error) {
        await dropCopy();
        throw error;
      }
      const handle = createDatabase({ url: scratch.toString(), maxConnections: 2 });
      restored = {
        db: handle.db,
        close: async () => {
          try {
            await handle.close();
          } finally {
            await dropCopy();
          }
        },
      };
    } else {
      const source = ctx.handle.pglite;
      if (!source) throw new Error("a PGlite handle exposes its instance");
      const copy = new PGlite({ loadDataDir: await source.dumpDataDir("gzip"), ...PGLITE_OPTIONS });
      restored = createDatabase({ pglite: copy });
    }
    try {
      expect(await counts(restored.db)).toEqual(before);
      expect(await verifyAuditChain(restored.db)).toMatchObject({ ok: true });
    } finally {
      await restored.close();
    }
  });
});
