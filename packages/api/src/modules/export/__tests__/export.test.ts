import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext } from "../../../../test/app.ts";
import { allRows, richCoalition, rowsReaching, schemaGraph } from "../../../../test/coalition-data.ts";
import { createWorld, signInAs } from "../../../../test/factories/index.ts";
import { checkPermissions, expectations, expectProblem, snapshotCounts } from "../../../../test/permissions.ts";
import { MINUTE } from "../../../lib/time.ts";
import { EXPORT_TABLES } from "../export.repository.ts";

/** Column names that hold a credential or a link token, in any table. */
const SECRET_NAME = /hash|token|secret|password|totp|nonce|receipt|_key$|^key$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

async function download(ctx: TestContext, client: TestClient, coalitionId: string) {
  const res = await ctx.app.request(`/api/coalitions/${coalitionId}/export.zip`, {
    headers: client.cookie ? { cookie: client.cookie } : {},
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, files: res.status === 200 ? unzipSync(bytes) : {} };
}

describe("a coordinator's export of the coalition", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("holds every table of the coalition as JSON and CSV, nothing of another coalition and no secret; it is audited", {
    timeout: 120_000,
  }, async () => {
    const a = await richCoalition(ctx, "Exported");
    const b = await richCoalition(ctx, "Other");
    const coordinator = await signInAs(ctx, { id: a.coordinatorId });
    const { res, files } = await download(ctx, coordinator, a.coalitionId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="samakki-export-\d{4}-\d{2}-\d{2}\.zip"$/);

    const names = Object.keys(files).sort();
    const tables = Object.keys(EXPORT_TABLES);
    expect(names).toEqual(["manifest.json", ...tables.map((t) => `csv/${t}.csv`), ...tables.map((t) => `json/${t}.json`)].sort());
    const text = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
    const json = (table: string) => JSON.parse(text[`json/${table}.json`] ?? "[]") as Record<string, unknown>[];

    // Everything of A that the database holds, table by table (counted independently, through the foreign keys).
    const graph = await schemaGraph(ctx.db);
    const rows = await allRows(ctx.db, graph);
    const reachA = rowsReaching(graph, rows, a.coalitionId);
    for (const table of [
      "task",
      "task_comment",
      "statement_version",
      "statement_comment",
      "vote",
      "contribution_revision",
      "march_stage",
      "letter_reply",
      "petition_signature",
      "petition_paper_sheet_revision",
      "signup_stage",
      "audit_event",
    ])
      expect(json(table).length, table).toBe(reachA[table]?.length ?? -1);
    expect(json("coalition")).toEqual([expect.objectContaining({ id: a.coalitionId, name: a.name })]);
    expect(json("person").length).toBeGreaterThan(20);
    const manifest = JSON.parse(text["manifest.json"] ?? "{}") as { coalitionId: string; tables: Record<string, number> };
    expect(manifest.coalitionId).toBe(a.coalitionId);
    expect(manifest.tables.task).toBe(json("task").length);
    // CSV: the same rows, a header, Khmer intact.
    const taskCsv = text["csv/task.csv"] ?? "";
    expect([...(files["csv/task.csv"] ?? []).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(taskCsv.replace(/^\uFEFF/, "").startsWith("id,coalition_id,campaign_id,title")).toBe(true);
    expect(text["csv/petition.csv"]).toContain("ញត្តិ");
    // Secret ballots stay secret: only named ones.
    expect(json("ballot").every((ballot) => ballot.named === true)).toBe(true);

    // Nothing of B: no id of any row that reaches B, nor its name or its people's emails.
    const everything = Object.values(text).join("\n");
    const reachB = rowsReaching(graph, rows, b.coalitionId);
    const bIds = new Set(Object.values(reachB).flatMap((list) => list.flatMap((row) => row.match(UUID) ?? [])));
    for (const id of Object.values(reachA).flatMap((list) => list.flatMap((row) => row.match(UUID) ?? []))) bIds.delete(id);
    expect(bIds.size).toBeGreaterThan(100);
    expect([...bIds].filter((id) => everything.includes(id))).toEqual([]);
    expect(everything).not.toContain(b.name);
    expect(everything).not.toContain(b.domain);
    expect(everything).toContain(a.domain);

    // No secret: no column named like one, and no value of any such column anywhere in the database.
    for (const name of names.filter((n) => n.startsWith("csv/"))) {
      const header = (text[name] ?? "").replace(/^\uFEFF/, "").split("\n")[0] ?? "";
      expect(
        header.split(",").filter((column) => SECRET_NAME.test(column)),
        name,
      ).toEqual([]);
    }
    const secrets = Object.values(rows).flatMap((list) =>
      list.flatMap((row) =>
        Object.entries(row)
          // Ballot receipts are not secret: the coalition's audit log shows them by design (votes.service.ts).
          // An audit event's chain_key names its chain, the coalition's id: not a secret either (the column is left out all the same).
          .filter(
            ([column, value]) =>
              SECRET_NAME.test(column) && column !== "receipt" && column !== "chain_key" && typeof value === "string" && value.length >= 12,
          )
          .map(([, value]) => value as string),
      ),
    );
    expect(secrets.length).toBeGreaterThan(50);
    expect(secrets.filter((secret) => everything.includes(secret))).toEqual([]);

    // Audited, as the coordinator, in A.
    const audit = await ctx.db
      .selectFrom("audit_event")
      .where("coalition_id", "=", a.coalitionId)
      .where("action", "=", "coalition.export")
      .select(["actor_id", "target_id"])
      .execute();
    expect(audit).toEqual([{ actor_id: a.coordinatorId, target_id: a.coalitionId }]);
  });

  it("coordinators only (anonymous 401, members 403, other coalitions 404), with a recent authentication", async () => {
    const w = await createWorld(ctx);
    const path = `/api/coalitions/${w.coalition.id}/export.zip`;
    // Refusals change nothing (no audit event); the coordinator's export is the one allowed (checked above).
    const { coordinator: _, ...refused } = expectations.coordinator(200);
    await checkPermissions(ctx, w.clients, { method: "GET", path }, refused);
    expectProblem(await w.clients.coordinator.get(`/api/coalitions/${crypto.randomUUID()}/export.zip`), 404, "not_found");
    expectProblem(await w.clients.coordinator.get("/api/coalitions/not-a-uuid/export.zip"), 404, "not_found");

    await ctx.db
      .updateTable("session")
      .set({ recent_auth_at: new Date(Date.now() - 16 * MINUTE) })
      .where("person_id", "=", w.people.coordinator.id)
      .execute();
    const counts = await snapshotCounts(ctx);
    expectProblem(await w.clients.coordinator.get(path), 403, "reauthentication_required");
    expect(await snapshotCounts(ctx)).toEqual(counts);
    const fresh = await signInAs(ctx, w.people.coordinator);
    const { res, files } = await download(ctx, fresh, w.coalition.id);
    expect(res.status).toBe(200);
    expect(JSON.parse(strFromU8(files["json/coalition.json"] ?? new Uint8Array())) as unknown).toEqual([
      expect.objectContaining({ id: w.coalition.id }),
    ]);
  });
});
