import type { Dashboard } from "@samakki/shared/dashboard";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { addMember, createPerson, createWorld, signInAs } from "../../../../test/factories/index.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { cast, draftAndOpen } from "../../statements/__tests__/helpers.ts";

type World = Awaited<ReturnType<typeof createWorld>>;

/** A calendar date `days` from today (UTC; the tests keep a margin of days around the coalition's today). */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe("GET /api/coalitions/:coalitionId/dashboard", () => {
  let ctx: TestContext;
  let w: World;
  let url: string;
  const ids: Record<string, string> = {};

  async function task(
    name: string,
    values: {
      coalitionId?: string;
      org?: string | null;
      person?: string | null;
      dueOn?: string | null;
      status?: "todo" | "done" | "blocked";
    },
  ) {
    const row = await ctx.db
      .insertInto("task")
      .values({
        coalition_id: values.coalitionId ?? w.coalition.id,
        title: name,
        due_on: values.dueOn ?? null,
        assignee_organisation_id: values.org ?? null,
        assignee_person_id: values.person ?? null,
        status: values.status ?? "todo",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids[name] = row.id;
  }

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    url = `/api/coalitions/${w.coalition.id}/dashboard`;
    // Inserted in an order that differs from the expected one, so the sorting is what puts them there.
    await task("A later", { org: w.orgA.id, dueOn: day(10) });
    await task("A undated", { org: w.orgA.id });
    await task("A overdue recent", { org: w.orgA.id, dueOn: day(-2) });
    await task("A overdue old", { org: w.orgA.id, dueOn: day(-20) });
    await task("A done overdue", { org: w.orgA.id, dueOn: day(-30), status: "done" });
    await task("memberA in person", { org: w.orgA.id, person: w.people.memberA.id, dueOn: day(3) });
    await task("B overdue", { org: w.orgB.id, dueOn: day(-5) });
    await task("Other coalition overdue", { coalitionId: w.other.id, org: w.otherOrg.id, dueOn: day(-40) });
  });

  it("shows my and my organisation's open tasks, overdue first, and never another organisation's", async () => {
    const res = await w.clients.memberA.get<Dashboard>(url);
    expect(res.status, res.text).toBe(200);
    expect(res.body.tasks.items.map((t) => t.title)).toEqual([
      "A overdue old",
      "A overdue recent",
      "memberA in person",
      "A later",
      "A undated",
    ]);
    expect(res.body.tasks.items.map((t) => t.overdue)).toEqual([true, true, false, false, false]);
    expect(res.body.tasks.items.find((t) => t.title === "memberA in person")?.mine).toBe(true);
    expect(res.body.tasks.more).toBe(false);
    // Not a coordinator: no coalition-wide list.
    expect(res.body.coalitionOverdue).toBeNull();

    const b = await w.clients.adminB.get<Dashboard>(url);
    expect(b.body.tasks.items.map((t) => t.title)).toEqual(["B overdue"]);
  });

  it("gives coordinators the overdue tasks across the coalition, oldest first, and nothing of another coalition", async () => {
    const res = await w.clients.coordinator.get<Dashboard>(url);
    expect(res.status, res.text).toBe(200);
    expect(res.body.coalitionOverdue?.items.map((t) => t.title)).toEqual(["A overdue old", "B overdue", "A overdue recent"]);
    expect(res.body.coalitionOverdue?.items[1]?.assigneeOrganisation?.id).toBe(w.orgB.id);
    // The secretariat has no task: the coordinator's own list is truly empty.
    expect(res.body.tasks.items).toEqual([]);
    const other = await w.clients.outsider.get<Dashboard>(`/api/coalitions/${w.other.id}/dashboard`);
    expect(other.body.coalitionOverdue?.items.map((t) => t.title)).toEqual(["Other coalition overdue"]);
  });

  it("lists votes waiting for my organisation's ballot with the closing time, and reveals no tally of a vote with hidden totals", async () => {
    const vote = await draftAndOpen(w, { totalsVisible: false, text: { title: "Statement on press freedom" } });
    const before = await w.clients.memberA.get<Dashboard>(url);
    const waiting = before.body.votes.items.find((v) => v.statementId === vote.statementId);
    expect(waiting?.title).toBe("Statement on press freedom");
    expect(Number.isNaN(Date.parse(waiting?.closesAt ?? ""))).toBe(false);
    expect(Date.parse(waiting?.closesAt ?? "")).toBeGreaterThan(Date.now());
    expect(waiting?.organisations).toEqual([{ id: w.orgA.id, name: w.orgA.name, shortName: null, secondName: null, hasVoted: false }]);

    // orgA votes: it leaves orgA's list, and orgB learns nothing of it.
    expect((await cast(w.clients.adminA, vote.url, { organisationId: w.orgA.id, choice: "object" })).status).toBe(201);
    const a = await w.clients.memberA.get<Dashboard>(url);
    expect(a.body.votes.items.find((v) => v.statementId === vote.statementId)).toBeUndefined();
    const b = await w.clients.adminB.get<Dashboard>(url);
    const forB = b.body.votes.items.find((v) => v.statementId === vote.statementId);
    expect(forB?.organisations).toEqual([{ id: w.orgB.id, name: w.orgB.name, shortName: null, secondName: null, hasVoted: false }]);
    // Whether ANOTHER organisation voted, and how, appears nowhere.
    expect(b.text).not.toContain('"hasVoted":true');
    for (const body of [b.text, a.text, (await w.clients.coordinator.get(url)).text])
      expect(body).not.toMatch(/tally|endorse|"object"|abstain|"cast"|receipt|ballots/i);
  });

  it("keeps a vote listed for a person of two organisations while one of them has still to vote, saying which did", async () => {
    const both = await createPerson(ctx);
    await addMember(ctx, w.orgA.id, both.id, "member");
    await addMember(ctx, w.orgB.id, both.id, "member");
    const client = await signInAs(ctx, both);
    const vote = await draftAndOpen(w, { totalsVisible: false });
    expect((await cast(w.clients.adminA, vote.url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(201);
    const res = await client.get<Dashboard>(url);
    const listed = res.body.votes.items.find((v) => v.statementId === vote.statementId);
    expect(listed?.organisations.map((o) => [o.id, o.hasVoted]).sort()).toEqual(
      [
        [w.orgA.id, true],
        [w.orgB.id, false],
      ].sort(),
    );
    expect((await cast(w.clients.adminB, vote.url, { organisationId: w.orgB.id, choice: "endorse" })).status).toBe(201);
    const after = await client.get<Dashboard>(url);
    expect(after.body.votes.items.find((v) => v.statementId === vote.statementId)).toBeUndefined();
  });

  it("shows the active campaigns' metric progress and the latest updates", async () => {
    const base = `/api/coalitions/${w.coalition.id}/campaigns`;
    const created = await w.clients.coordinator.post<{ id: string }>(base, {
      title: "Yellow ribbons",
      status: "active",
      ownerOrganisationIds: [w.orgA.id],
    });
    expect(created.status, created.text).toBe(201);
    const planning = await w.clients.coordinator.post<{ id: string }>(base, { title: "Not started", ownerOrganisationIds: [w.orgA.id] });
    expect(planning.status).toBe(201);
    const metric = await w.clients.coordinator.post<{ id: string }>(`${base}/${created.body.id}/metrics`, {
      name: "Ribbons",
      unit: "ribbons",
      target: 1000,
    });
    expect(metric.status, metric.text).toBe(201);
    for (const amount of [100, 150])
      expect(
        (
          await w.clients.adminA.post(`${base}/${created.body.id}/metrics/${metric.body.id}/contributions`, {
            organisationId: w.orgA.id,
            amount,
            date: day(0),
          })
        ).status,
      ).toBe(201);
    for (const body of ["First **update**", "Second update: [photos](https://example.org/x) of the march"])
      expect((await w.clients.memberA.post(`${base}/${created.body.id}/updates`, { body })).status).toBe(201);

    const res = await w.clients.observer.get<Dashboard>(url);
    expect(res.status, res.text).toBe(200);
    expect(res.body.campaigns.items.map((c) => c.title)).toEqual(["Yellow ribbons"]);
    expect(res.body.campaigns.items[0]?.metrics).toEqual([
      {
        id: metric.body.id,
        name: "Ribbons",
        secondName: null,
        unit: "ribbons",
        secondUnit: null,
        total: 250,
        target: 1000,
        progress: 0.25,
      },
    ]);
    expect(res.body.updates.items.map((u) => u.excerpt)).toEqual(["Second update: photos of the march", "First update"]);
    expect(res.body.updates.items[0]?.campaign.title).toBe("Yellow ribbons");
  });

  it("shows an observer what an observer may: no votes to cast, no coalition-wide list", async () => {
    const res = await w.clients.observer.get<Dashboard>(url);
    expect(res.status).toBe(200);
    expect(res.body.votes.items).toEqual([]);
    expect(res.body.coalitionOverdue).toBeNull();
    expect(res.body.tasks.items).toEqual([]);
  });

  it("refuses the anonymous (401), other coalitions, suspended organisations and malformed ids (404), changing nothing", async () => {
    const before = await snapshotCounts(ctx);
    const anon = await w.clients.anonymous.get(url);
    expect(anon.status).toBe(401);
    expect(anon.headers.get("content-type")).toContain("application/problem+json");
    expect((await w.clients.outsider.get(url)).status).toBe(404);
    expect((await w.clients.suspended.get(url)).status).toBe(404);
    expect((await w.clients.memberA.get(`/api/coalitions/${w.other.id}/dashboard`)).status).toBe(404);
    expect((await w.clients.memberA.get("/api/coalitions/not-a-uuid/dashboard")).status).toBe(404);
    expect(await snapshotCounts(ctx)).toEqual(before);
  });
});
