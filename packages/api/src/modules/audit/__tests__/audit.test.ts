import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AuditEvent, AuditPage } from "@samakki/shared/audit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { trackDatabase } from "../../../../test/db.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { inviteOrganisationVia, invitePersonVia } from "../../../../test/factories/invitations.ts";
import { checkPermissions, expectations, expectInvalid, type World } from "../../../../test/permissions.ts";
import { killAll, runCli } from "../../../../test/server-process.ts";
import { createDatabase } from "../../../db/client.ts";
import { migrateToLatest } from "../../../db/migrate.ts";
import { recordAudit, verifyAuditChain } from "../audit.service.ts";

describe("audit log", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    // Activity in both coalitions: membership, roles, status, invitations, profile.
    const c = w.clients;
    expect((await c.coordinator.patch(`/api/coalitions/${w.coalition.id}/members/${w.orgB.id}`, { status: "observer" })).status).toBe(204);
    expect((await c.coordinator.post(`/api/coalitions/${w.coalition.id}/coordinators`, { personId: w.people.adminA.id })).status).toBe(204);
    expect((await c.adminA.patch(`/api/organisations/${w.orgA.id}/people/${w.people.memberA.id}`, { representative: true })).status).toBe(
      204,
    );
    expect((await c.adminA.patch(`/api/organisations/${w.orgA.id}`, { description: "Updated" })).status).toBe(200);
    await invitePersonVia(ctx, c.adminA, w.orgA.id, "audit.person@example.org");
    await inviteOrganisationVia(ctx, c.coordinator, w.coalition.id);
    // The other coalition's activity must never show in the first one's log.
    await inviteOrganisationVia(ctx, c.outsider, w.other.id);
    expect((await c.outsider.patch(`/api/organisations/${w.otherOrg.id}`, { description: "Elsewhere" })).status).toBe(200);
    expect((await c.outsider.patch(`/api/coalitions/${w.other.id}`, { description: "Other coalition" })).status).toBe(200);
  });

  const path = () => `/api/coalitions/${w.coalition.id}/audit`;

  async function allPages(query: string, limit: number) {
    const items: AuditEvent[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const res: { status: number; text: string; body: AuditPage } = await w.clients.coordinator.get<AuditPage>(
        `${path()}?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status, res.text).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) return items;
    }
    throw new Error("pagination did not end");
  }

  it("coordinators read it; members get 403, suspended organisations and other coalitions 404", async () => {
    // adminA was appointed coordinator in beforeAll, so reads it too.
    const res = await checkPermissions(ctx, w.clients, { method: "GET", path: path() }, { ...expectations.coordinator(200), adminA: 200 });
    const items = AuditPage.parse(res.coordinator?.body).items;
    const ids = items.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const status = items.find((e) => e.action === "coalition.member_status");
    expect(status).toMatchObject({
      actor: { id: w.people.coordinator.id, displayName: w.people.coordinator.display_name },
      targetType: "organisation",
      targetId: w.orgB.id,
      before: { status: "active" },
      after: { status: "observer" },
    });
    expect(items.find((e) => e.action === "organisation.person_updated")).toMatchObject({
      actor: { id: w.people.adminA.id },
      targetId: w.orgA.id,
      before: { representative: false },
      after: { representative: true },
    });
    expect(items.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        "coalition.coordinator_appointed",
        "organisation.update",
        "organisation.person_invited",
        "coalition.organisation_invited",
      ]),
    );
  });

  it("never shows another coalition's events", async () => {
    const items = await allPages("", 100);
    const foreignTargets = new Set([w.other.id, w.otherOrg.id]);
    expect(items.filter((e) => (e.targetId !== null && foreignTargets.has(e.targetId)) || e.actor?.id === w.people.outsider.id)).toEqual(
      [],
    );
    const theirs = await w.clients.outsider.get<AuditPage>(`/api/coalitions/${w.other.id}/audit?limit=100`);
    expect(theirs.body.items.length).toBeGreaterThanOrEqual(3);
    const ours = new Set([w.coalition.id, w.orgA.id, w.orgB.id]);
    expect(theirs.body.items.filter((e) => e.targetId !== null && ours.has(e.targetId))).toEqual([]);
  });

  it("filters by action and actor; keyset pagination visits every event once", async () => {
    const everything = await allPages("", 100);
    for (const limit of [1, 2, 3]) {
      const paged = await allPages("", limit);
      expect(paged.map((e) => e.id)).toEqual(everything.map((e) => e.id));
    }
    const byAction = await allPages("&action=coalition.member_status", 1);
    expect(byAction.length).toBeGreaterThan(0);
    expect(byAction.every((e) => e.action === "coalition.member_status")).toBe(true);
    const byActor = await allPages(`&actorId=${w.people.adminA.id}`, 2);
    expect(byActor.length).toBe(everything.filter((e) => e.actor?.id === w.people.adminA.id).length);
    expect(byActor.every((e) => e.actor?.id === w.people.adminA.id)).toBe(true);
    const none = await w.clients.coordinator.get<AuditPage>(`${path()}?action=no.such.action`);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it("refuses invalid queries with field errors", async () => {
    await expectInvalid(ctx, () => w.clients.coordinator.get(`${path()}?limit=0`), ["query.limit"]);
    await expectInvalid(ctx, () => w.clients.coordinator.get(`${path()}?actorId=someone&order=asc`), ["query.actorId", "query.order"]);
    await expectInvalid(ctx, () => w.clients.coordinator.get(`${path()}?cursor=abc`), ["query.cursor"]);
  });

  describe("the hash chain", () => {
    it("verifies; the application cannot update or delete events", async () => {
      const result = await verifyAuditChain(ctx.db);
      const count = await ctx.db
        .selectFrom("audit_event")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow();
      expect(result).toMatchObject({ ok: true, checked: Number(count.n) });
      expect(Number(count.n)).toBeGreaterThan(5);
      const first = await ctx.db
        .selectFrom("audit_event")
        .select(sql<string>`id::text`.as("id"))
        .orderBy("id")
        .limit(1)
        .executeTakeFirstOrThrow();
      await expect(sql`UPDATE audit_event SET action = 'forged' WHERE id = ${first.id}::bigint`.execute(ctx.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`DELETE FROM audit_event WHERE id = ${first.id}::bigint`.execute(ctx.db)).rejects.toThrow(/append-only/);
      expect(await verifyAuditChain(ctx.db)).toEqual(result);
    });

    it("altering one row makes verification fail naming it; restoring it makes it pass again", async () => {
      const target = await ctx.db
        .selectFrom("audit_event")
        .where("action", "=", "coalition.member_status")
        .select([sql<string>`id::text`.as("id"), "after"])
        .orderBy("id")
        .limit(1)
        .executeTakeFirstOrThrow();
      await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(ctx.db);
      try {
        await sql`UPDATE audit_event SET after = '{"status":"active"}'::jsonb WHERE id = ${target.id}::bigint`.execute(ctx.db);
        expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: false, brokenEventId: target.id, coalitionId: w.coalition.id });
        await sql`UPDATE audit_event SET after = ${JSON.stringify(target.after)}::text::jsonb WHERE id = ${target.id}::bigint`.execute(
          ctx.db,
        );
        expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true });

        // Removing the newest event of a chain is detected through that chain's head.
        const last = await ctx.db.selectFrom("audit_event").selectAll().orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
        const previous = await ctx.db
          .selectFrom("audit_event")
          .select(sql<string>`id::text`.as("id"))
          .where("id", "<", last.id)
          .where("chain_key", "=", last.chain_key)
          .orderBy("id", "desc")
          .limit(1)
          .executeTakeFirstOrThrow();
        await sql`DELETE FROM audit_event WHERE id = ${last.id}::bigint`.execute(ctx.db);
        expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: false, brokenEventId: previous.id });
        await sql`INSERT INTO audit_event (id, chain_key, coalition_id, actor_id, action, target_type, target_id, before, after, created_at, prev_hash, hash)
          OVERRIDING SYSTEM VALUE VALUES (${last.id}::bigint, ${last.chain_key}, ${last.coalition_id}, ${last.actor_id}, ${last.action}, ${last.target_type}, ${last.target_id},
          ${last.before === null ? null : JSON.stringify(last.before)}::text::jsonb, ${last.after === null ? null : JSON.stringify(last.after)}::text::jsonb, ${last.created_at}, ${last.prev_hash}, ${last.hash})`.execute(
          ctx.db,
        );
      } finally {
        await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`.execute(ctx.db);
      }
      expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true });
      await expect(sql`UPDATE audit_event SET action = 'forged' WHERE id = ${target.id}::bigint`.execute(ctx.db)).rejects.toThrow(
        /append-only/,
      );
    });
  });

  describe("audit:verify command", () => {
    const dir = mkdtempSync(join(tmpdir(), "samakki-audit-cli-"));
    afterAll(async () => {
      await killAll();
      rmSync(dir, { recursive: true, force: true });
    });
    // On the embedded engine in a DATA_DIR of its own, also in the PostgreSQL run.
    const cli = () => runCli("audit-verify", [], { DATA_DIR: dir, LOG_LEVEL: "silent" });

    it("exits 0 on intact chains and 1 naming the altered event and its coalition; the other coalition still verifies", {
      timeout: 120_000,
    }, async () => {
      const [coalitionA, coalitionB] = [crypto.randomUUID(), crypto.randomUUID()];
      // Tracked: closed after the file even if the test fails before closing it.
      let handle = trackDatabase(createDatabase({ dataDir: dir }));
      await migrateToLatest(handle.db);
      for (const action of ["test.one", "test.two", "test.three"])
        for (const coalitionId of [coalitionA, coalitionB])
          await recordAudit(handle.db, { coalitionId, actorId: null, action, targetType: "test", before: { n: 1 }, after: { n: 2 } });
      await handle.close();

      const intact = await cli();
      expect(intact.code, intact.stderr).toBe(0);
      expect(intact.stdout).toContain("6 events verified");

      handle = trackDatabase(createDatabase({ dataDir: dir }));
      const two = await handle.db
        .selectFrom("audit_event")
        .where("action", "=", "test.two")
        .where("coalition_id", "=", coalitionA)
        .select(sql<string>`id::text`.as("id"))
        .executeTakeFirstOrThrow();
      await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(handle.db);
      await sql`UPDATE audit_event SET after = '{"n":3}'::jsonb WHERE id = ${two.id}::bigint`.execute(handle.db);
      await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`.execute(handle.db);
      await handle.close();

      const broken = await cli();
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`Audit chain of coalition ${coalitionA}: BROKEN at event ${two.id}: content does not match its hash`);
      expect(broken.stderr).not.toContain(coalitionB);
      expect(broken.stdout).toContain(`Audit chain of coalition ${coalitionB}: intact, 3 events verified.`);
    });
  });
});
