import { sql } from "kysely";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { setDatabaseClockOffset } from "../../../../test/clock.ts";
import { allRows, richCoalition, rowsReaching, type SchemaGraph, schemaGraph } from "../../../../test/coalition-data.ts";
import { addMember, createPerson, makeCoordinator, signInAs } from "../../../../test/factories/index.ts";
import { createLogger } from "../../../lib/logger.ts";
import { DAY, MINUTE } from "../../../lib/time.ts";
import { recordAudit, verifyAuditChain } from "../../audit/audit.service.ts";
import { deleteDueCoalitions } from "../operators.service.ts";

/** The instance log keeps the record of a deletion (the coalition's id and name); nothing else may. */
const KEEPS_THE_RECORD = ["instance_log"];

describe("deleting a coalition after its grace period", () => {
  let ctx: TestContext;
  let graph: SchemaGraph;
  beforeAll(async () => {
    ctx = await buildTestApp();
    graph = await schemaGraph(ctx.db);
  });
  afterEach(async () => {
    await setDatabaseClockOffset(ctx.db, 0);
  });

  async function operator() {
    const person = await createPerson(ctx);
    await ctx.db.insertInto("instance_operator").values({ person_id: person.id, granted_by: null }).execute();
    return { person, client: await signInAs(ctx, person) };
  }

  const exists = async (coalitionId: string) =>
    Boolean(await ctx.db.selectFrom("coalition").where("id", "=", coalitionId).select("id").executeTakeFirst());

  it("waits 30 days by the database clock, then leaves nothing of the coalition, its own organisations and accounts, and the other coalition untouched", {
    timeout: 120_000,
  }, async () => {
    const a = await richCoalition(ctx, "Doomed");
    const b = await richCoalition(ctx, "Kept");
    // A person in both coalitions (coordinator of A, member of an organisation of B), an
    // organisation in both, and an operator who coordinates A: these stay.
    const both = await createPerson(ctx);
    await makeCoordinator(ctx, a.coalitionId, both.id);
    const bOrg = b.organisationIds[0] ?? "";
    await addMember(ctx, bOrg, both.id, "member");
    const sharedOrg = a.organisationIds[1] ?? "";
    await ctx.db
      .insertInto("coalition_member")
      .values({ coalition_id: b.coalitionId, organisation_id: sharedOrg, status: "active" })
      .execute();
    const op = await operator();
    await makeCoordinator(ctx, a.coalitionId, op.person.id);
    // People and organisations of A alone: they go.
    const onlyA = await ctx.db.selectFrom("person").where("email", "like", `%@${a.domain}`).select(["id", "email"]).execute();
    const sharedOrgPeople = await ctx.db.selectFrom("membership").where("organisation_id", "=", sharedOrg).select("person_id").execute();
    const goners = onlyA.filter((p) => !sharedOrgPeople.some((m) => m.person_id === p.id));
    expect(goners.length).toBeGreaterThan(10);
    const aOrgsAlone = a.organisationIds.filter((id) => id !== sharedOrg);
    // Instance-level events (no coalition) by one who goes and by one who stays, interleaved, so
    // the erasure cuts the instance chain in its middle.
    const goer = goners[0]?.id ?? "";
    for (const actorId of [goer, both.id, goer, both.id])
      await recordAudit(ctx.db, { actorId, action: "auth.sign_in", targetType: "person", targetId: actorId });

    const before = await allRows(ctx.db, graph);
    const reachA = rowsReaching(graph, before, a.coalitionId, KEEPS_THE_RECORD);
    const reachB = rowsReaching(graph, before, b.coalitionId, KEEPS_THE_RECORD);
    // The fixture reaches deep: rows three or four foreign keys below the coalition.
    for (const table of [
      "ballot",
      "task_comment",
      "march_stage",
      "signup_stage",
      "contribution_revision",
      "statement_comment",
      "letter_reply",
      "petition_paper_sheet_revision",
      "petition_signature",
      "audit_event",
      "outbox_email",
    ])
      expect(reachA[table]?.length ?? 0, table).toBeGreaterThan(0);

    const scheduled = await op.client.post<{ dueAt: string }>(`/api/operator/coalitions/${a.coalitionId}/deletion`);
    expect(scheduled.status, scheduled.text).toBe(200);
    const dbNow = (await sql<{ now: Date }>`SELECT app_now() AS now`.execute(ctx.db)).rows[0]?.now ?? new Date(0);
    expect(Math.abs(new Date(scheduled.body.dueAt).getTime() - dbNow.getTime() - 30 * DAY)).toBeLessThan(MINUTE);

    // Members see the date.
    const member = await signInAs(ctx, { id: goners[0]?.id ?? "" });
    const seen = await member.get<{ dueAt: string | null }>(`/api/coalitions/${a.coalitionId}/deletion`);
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body.dueAt).toBe(scheduled.body.dueAt);

    expect(await deleteDueCoalitions(ctx.deps)).toBe(0);
    await setDatabaseClockOffset(ctx.db, 30 * DAY - 5 * MINUTE);
    expect(await deleteDueCoalitions(ctx.deps)).toBe(0);
    expect(await exists(a.coalitionId)).toBe(true);
    await setDatabaseClockOffset(ctx.db, 30 * DAY + 5 * MINUTE);
    const lines: string[] = [];
    const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
    expect(await deleteDueCoalitions({ ...ctx.deps, logger })).toBe(1);
    expect(await deleteDueCoalitions(ctx.deps)).toBe(0);
    // The operator's log says so, by the coalition's id (its name stays in the instance log).
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { msg: "coalition deleted after its grace period", coalitionId: a.coalitionId },
    ]);

    const after = await allRows(ctx.db, graph);
    // 1. No table with a coalition_id has a row of A (but the instance log's record).
    for (const table of graph.withCoalitionId) {
      if (KEEPS_THE_RECORD.includes(table)) continue;
      expect(
        (after[table] ?? []).filter((r) => r.coalition_id === a.coalitionId),
        table,
      ).toEqual([]);
    }
    // 2. Nothing reaches A through any foreign key, and none of the rows that did is left.
    const reachAAfter = rowsReaching(graph, after, a.coalitionId, KEEPS_THE_RECORD);
    expect(Object.values(reachAAfter).flat()).toEqual([]);
    for (const [table, list] of Object.entries(reachA)) {
      const left = new Set((after[table] ?? []).map((r) => JSON.stringify(r)));
      expect(
        list.filter((r) => left.has(r)),
        table,
      ).toEqual([]);
    }
    // 3. No row anywhere names A's id or its name (links, JSON, audit targets without a foreign key).
    for (const [table, list] of Object.entries(after)) {
      if (KEEPS_THE_RECORD.includes(table)) continue;
      const text = list.map((r) => JSON.stringify(r)).filter((t) => t.includes(a.coalitionId) || t.includes(a.name));
      expect(text, table).toEqual([]);
    }
    // 4. Its organisations and the accounts of its people who belong nowhere else are gone...
    const ids = (table: string) => new Set((after[table] ?? []).map((r) => r.id));
    expect(aOrgsAlone.filter((id) => ids("organisation").has(id))).toEqual([]);
    expect(goners.filter((p) => ids("person").has(p.id))).toEqual([]);
    for (const [table, list] of Object.entries(after))
      for (const p of goners)
        expect(
          list.filter((r) => JSON.stringify(r).includes(p.email)),
          `${table} keeps ${p.email}`,
        ).toEqual([]);
    // ...but the person in both coalitions, the shared organisation and the operator stay.
    expect(ids("person").has(both.id)).toBe(true);
    expect(ids("person").has(op.person.id)).toBe(true);
    expect(ids("organisation").has(sharedOrg)).toBe(true);
    // 5. B is untouched, row for row.
    expect(rowsReaching(graph, after, b.coalitionId, KEEPS_THE_RECORD)).toEqual(reachB);
    // 6. The instance log says what happened, outside any coalition's audit chain.
    const log = await ctx.db
      .selectFrom("instance_log")
      .where("coalition_id", "=", a.coalitionId)
      .select(["action", "actor_id", "detail"])
      .orderBy("id")
      .execute();
    expect(log.map((l) => l.action)).toEqual(["coalition.deletion_scheduled", "coalition.deleted"]);
    expect(log[1]?.actor_id).toBe(op.person.id);
    expect(log[1]?.detail).toMatchObject({ name: a.name, people: goners.length, organisations: aOrgsAlone.length });
    // 7. Every audit chain that stays still verifies: the erased instance-level events left stubs
    // (their hashes, no content), and A's own chain went whole, head included.
    const verified = await verifyAuditChain(ctx.db);
    expect(verified.ok, JSON.stringify(verified)).toBe(true);
    expect(verified.chains.some((c) => c.coalitionId === a.coalitionId)).toBe(false);
    expect(verified.chains.find((c) => c.chain === "instance")).toMatchObject({ ok: true });
    expect((await ctx.db.selectFrom("audit_erasure").select("event_id").execute()).length).toBeGreaterThanOrEqual(2);
  });

  it("a cancelled deletion never happens; scheduling twice keeps the first date", async () => {
    const c = await richCoalition(ctx, "Spared");
    const op = await operator();
    const first = await op.client.post<{ dueAt: string }>(`/api/operator/coalitions/${c.coalitionId}/deletion`);
    await setDatabaseClockOffset(ctx.db, DAY);
    const again = await op.client.post<{ dueAt: string }>(`/api/operator/coalitions/${c.coalitionId}/deletion`);
    expect(again.body.dueAt).toBe(first.body.dueAt);
    expect((await op.client.delete(`/api/operator/coalitions/${c.coalitionId}/deletion`)).status).toBe(204);
    expect((await op.client.delete(`/api/operator/coalitions/${c.coalitionId}/deletion`)).status).toBe(404);
    await setDatabaseClockOffset(ctx.db, 31 * DAY);
    await deleteDueCoalitions(ctx.deps);
    expect(await exists(c.coalitionId)).toBe(true);
    const member = await signInAs(ctx, { id: c.coordinatorId });
    expect((await member.get<{ dueAt: string | null }>(`/api/coalitions/${c.coalitionId}/deletion`)).body).toEqual({ dueAt: null });
  }, 60_000);
});
