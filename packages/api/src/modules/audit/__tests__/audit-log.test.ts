import type { AuditEvent, AuditPage } from "@samakki/shared/audit";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { HOUR, localIn, statementsUrl } from "../../statements/__tests__/helpers.ts";
import { recordAudit } from "../audit.service.ts";

type World = Awaited<ReturnType<typeof createWorld>>;

/**
 * The readable log: what each event's sentence needs (actor with organisation, target name, the
 * names of what the changes mention), resolved per page in a bounded number of queries and only
 * inside the reader's coalition; nothing of how an organisation voted.
 */
describe("audit log, readable", () => {
  let ctx: TestContext;
  let w: World;
  let taskId = "";
  let statementId = "";
  let voteId = "";
  const path = () => `/api/coalitions/${w.coalition.id}/audit`;
  const read = async (query = "") => {
    const res = await w.clients.coordinator.get<AuditPage>(`${path()}?limit=100${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body.items;
  };

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    const tasks = `/api/coalitions/${w.coalition.id}/tasks`;
    const task = await w.clients.coordinator.post<{ id: string }>(tasks, { title: "Print banners", assigneeOrganisationId: w.orgA.id });
    expect(task.status, task.text).toBe(201);
    taskId = task.body.id;
    const delegated = await w.clients.adminA.post(`${tasks}/${taskId}/delegate`, { personId: w.people.memberA.id });
    expect(delegated.status, delegated.text).toBeLessThan(300);

    // A statement put to the vote; organisation B endorses anonymously.
    const created = await w.clients.memberA.post<{ id: string; current: { id: string } }>(statementsUrl(w), {
      title: "On the arrest of journalists",
      bodyEn: "We stand for free expression.",
      bodyKm: "យើងគាំទ្រសេរីភាពនៃការបញ្ចេញមតិ។",
    });
    expect(created.status, created.text).toBe(201);
    statementId = created.body.id;
    const opened = await w.clients.coordinator.post<{ vote: { id: string } }>(`${statementsUrl(w)}/${statementId}/vote`, {
      versionId: created.body.current.id,
      quorum: 0.5,
      threshold: "majority",
      closesAt: localIn(2 * HOUR),
    });
    expect(opened.status, opened.text).toBe(201);
    voteId = opened.body.vote.id;
    const ballot = await w.clients.adminB.post(`${statementsUrl(w)}/${statementId}/vote/ballots`, {
      organisationId: w.orgB.id,
      choice: "endorse",
      named: false,
    });
    expect(ballot.status, ballot.text).toBe(201);
  });

  it("gives each event its actor with organisation, its target's name and the names its changes mention", async () => {
    const items = await read();
    const delegate = items.find((e) => e.action === "task.delegate");
    expect(delegate?.actor).toEqual({
      id: w.people.adminA.id,
      displayName: expect.any(String),
      organisation: { id: w.orgA.id, name: w.orgA.name, shortName: expect.toBeOneOf([null, expect.any(String)]), secondName: null },
    });
    expect(delegate?.target).toEqual({ type: "task", id: taskId, label: "Print banners", parentId: null });
    const memberName = (
      await ctx.db.selectFrom("person").where("id", "=", w.people.memberA.id).select("display_name").executeTakeFirstOrThrow()
    ).display_name;
    expect(delegate?.mentions).toContainEqual({ type: "person", id: w.people.memberA.id, label: memberName, parentId: null });
    expect(delegate?.mentions).toContainEqual({ type: "organisation", id: w.orgA.id, label: w.orgA.name, parentId: null });

    const open = items.find((e) => e.action === "vote.open");
    expect(open?.target).toEqual({ type: "vote", id: voteId, label: "On the arrest of journalists", parentId: statementId });
  });

  it("an anonymous endorsement shows neither its choice nor its anonymity; members and other coalitions cannot read it", async () => {
    const items = await read();
    const ballots = items.filter((e) => e.action.startsWith("ballot."));
    expect(ballots).toHaveLength(1);
    expect(JSON.stringify(ballots)).not.toMatch(/choice|named|endorse|anonym/);

    const before = await snapshotCounts(ctx);
    expect((await w.clients.adminB.get(path())).status).toBe(403);
    expect((await w.clients.memberA.get(path())).status).toBe(403);
    expect((await w.clients.outsider.get(path())).status).toBe(404);
    expect((await w.clients.anonymous.get(path())).status).toBe(401);
    // The other coalition's own log holds nothing of this vote.
    const other = await w.clients.outsider.get<AuditPage>(`/api/coalitions/${w.other.id}/audit?limit=100`);
    expect(other.status).toBe(200);
    expect(JSON.stringify(other.body)).not.toContain(voteId);
    expect(JSON.stringify(other.body)).not.toContain(w.orgB.name);
    expect(await snapshotCounts(ctx)).toEqual(before);
  });

  it("strips a choice or anonymity an event recorded, and names nothing outside the reader's coalition", async () => {
    await recordAudit(ctx.db, {
      coalitionId: w.coalition.id,
      actorId: w.people.adminB.id,
      action: "ballot.change",
      targetType: "vote",
      targetId: voteId,
      after: { organisationId: w.orgB.id, choice: "endorse", named: false, nested: { named: false } },
    });
    await recordAudit(ctx.db, {
      coalitionId: w.coalition.id,
      actorId: w.people.coordinator.id,
      action: "task.assign",
      targetType: "task",
      targetId: taskId,
      after: { organisationId: w.otherOrg.id, personId: w.people.outsider.id },
    });
    const items = await read();
    const change = items.find((e) => e.action === "ballot.change");
    expect(change?.after).toEqual({ organisationId: w.orgB.id, nested: {} });
    const leaking = items.find((e) => e.action === "task.assign" && JSON.stringify(e.after).includes(w.otherOrg.id));
    expect(leaking?.mentions).toHaveLength(2);
    expect(leaking?.mentions).toEqual(
      expect.arrayContaining([
        { type: "organisation", id: w.otherOrg.id, label: null, parentId: null },
        { type: "person", id: w.people.outsider.id, label: null, parentId: null },
      ]),
    );
    expect(JSON.stringify(items)).not.toContain(w.otherOrg.name);
  });

  it("resolves a page in a bounded number of queries, however many events it holds", async () => {
    for (let i = 0; i < 20; i++)
      await recordAudit(ctx.db, {
        coalitionId: w.coalition.id,
        actorId: w.people.adminA.id,
        action: "task.delegate",
        targetType: "task",
        targetId: taskId,
        after: { personId: w.people.memberA.id },
      });
    const count = async (limit: number) => {
      ctx.queries.count = 0;
      const res = await w.clients.coordinator.get<{ items: AuditEvent[] }>(`${path()}?limit=${limit}`);
      expect(res.status).toBe(200);
      return { queries: ctx.queries.count, items: res.body.items.length };
    };
    await count(1); // the session's first read in this test may refresh it
    const small = await count(1);
    const large = await count(100);
    expect(large.items).toBeGreaterThan(25);
    // The counter counts query builders, so each kind of thing named adds one branch to the single
    // name lookup (8 kinds at most); a lookup per event would add at least one per event.
    expect(large.queries - small.queries).toBeLessThanOrEqual(8);
  });
});
