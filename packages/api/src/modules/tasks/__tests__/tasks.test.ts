import type { TaskSummary } from "@samakki/shared/tasks";
import { sql } from "kysely";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { buildTestApp, ORIGIN, type TestClient, type TestContext, type TestResponse } from "../../../../test/app.ts";
import {
  addMember,
  createCoalition,
  createOrganisation,
  createPerson,
  createWorld,
  makeCoordinator,
  signInAs,
  unique,
} from "../../../../test/factories/index.ts";
import { type BigWorld, type CampaignBody, extendWorld, makeCampaign, makeTask, type TaskBody } from "../../campaigns/__tests__/helpers.ts";

type Summary = TaskSummary;
type Page = { items: TaskSummary[]; nextCursor: string | null };

/** Today's date in a time zone, YYYY-MM-DD. */
const todayIn = (timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("tasks", () => {
  let ctx: TestContext;
  let w: BigWorld;
  let campaign: CampaignBody;

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
    campaign = await makeCampaign(w, { title: "Yellow ribbons" });
  });

  async function walk(client: TestClient, query: string, limit: number) {
    const seen: Summary[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 200; guard++) {
      const res: TestResponse<Page> = await client.get<Page>(`${w.base}/tasks?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return seen;
  }
  const ids = (items: { id: string }[]) => items.map((t) => t.id).sort();

  /**
   * The queries the app sends while `fn` runs, counted where built and prepared queries meet (the
   * app's executor): ctx.queries, a Kysely plugin, never sees a query compiled once (db/prepared.ts).
   */
  async function queriesSent<T>(fn: () => Promise<T>): Promise<{ queries: number; result: T }> {
    const spy = vi.spyOn(ctx.deps.db.getExecutor(), "executeQuery");
    try {
      const result = await fn();
      return { queries: spy.mock.calls.length, result };
    } finally {
      spy.mockRestore();
    }
  }

  it("two admins delegating the same task at the same instant end with one consistent assignee and a history showing both", async () => {
    for (let round = 0; round < 6; round++) {
      const task = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgA.id });
      const url = `${w.base}/tasks/${task.id}/delegate`;
      const [one, two] = await Promise.all([
        w.clients.adminA.post(url, { personId: w.people.memberA.id }),
        w.clients.adminA2.post(url, { personId: w.people.memberA2.id }),
      ]);
      expect([one.status, two.status]).toEqual([200, 200]);
      const final = await w.clients.coordinator.get<TaskBody>(`${w.base}/tasks/${task.id}`);
      const assignee = final.body.assigneePerson?.id;
      expect([w.people.memberA.id, w.people.memberA2.id]).toContain(assignee);
      const events = final.body.history.filter((h) => h.field === "assigneePerson");
      expect(events).toHaveLength(2);
      expect(events.map((e) => e.actor?.id).sort()).toEqual([w.people.adminA.id, w.people.adminA2.id].sort());
      expect(events.map((e) => e.after).sort()).toEqual([w.people.memberA.id, w.people.memberA2.id].sort());
      // Applied one after the other: the second saw the first's result, and the last is the current assignee.
      expect(events[0]?.before).toBeNull();
      expect(events[1]?.before).toBe(events[0]?.after);
      expect(events[1]?.after).toBe(assignee);
      const row = await ctx.db.selectFrom("task").where("id", "=", task.id).select("assignee_person_id").executeTakeFirstOrThrow();
      expect(row.assignee_person_id).toBe(assignee);
      const audits = await ctx.db
        .selectFrom("audit_event")
        .where("target_id", "=", task.id)
        .where("action", "=", "task.delegate")
        .select("actor_id")
        .execute();
      expect(audits).toHaveLength(2);
    }
  });

  it("history and audit: every change with actor and time; assignment and delegation also audited", async () => {
    const task = await makeTask(w, { campaignId: campaign.id, dueOn: "2026-12-05", labels: ["print"] });
    const url = `${w.base}/tasks/${task.id}`;
    expect(
      (await w.clients.adminA.patch(url, { title: "Print 100,000 ribbons", priority: "urgent", dueOn: null, labels: ["print", "ribbons"] }))
        .status,
    ).toBe(200);
    expect((await w.clients.memberA.post(`${url}/assign`, { organisationId: w.orgB.id })).status).toBe(200);
    expect((await w.clients.adminB.post(`${url}/delegate`, { personId: w.people.memberB.id })).status).toBe(200);
    expect((await w.clients.memberB.post(`${url}/status`, { status: "in_progress" })).status).toBe(200);
    const got = await w.clients.observer.get<TaskBody>(url);
    const h = got.body.history.map((e) => [e.field, e.before, e.after, e.actor?.id]);
    expect(h).toEqual([
      ["created", null, { title: task.title, status: "todo", organisationId: null, personId: null }, w.people.coordinator.id],
      ["title", task.title, "Print 100,000 ribbons", w.people.adminA.id],
      ["priority", "normal", "urgent", w.people.adminA.id],
      ["dueOn", "2026-12-05", null, w.people.adminA.id],
      ["labels", ["print"], ["print", "ribbons"], w.people.adminA.id],
      ["assigneeOrganisation", null, w.orgB.id, w.people.memberA.id],
      ["assigneePerson", null, w.people.memberB.id, w.people.adminB.id],
      ["status", "todo", "in_progress", w.people.memberB.id],
    ]);
    for (const e of got.body.history) expect(Date.now() - Date.parse(e.createdAt)).toBeLessThan(60_000);
    const audits = await ctx.db
      .selectFrom("audit_event")
      .where("target_id", "=", task.id)
      .select(["action", "actor_id", "after"])
      .orderBy("id")
      .execute();
    expect(audits.map((a) => [a.action, a.actor_id, a.after])).toEqual([
      ["task.assign", w.people.memberA.id, { organisationId: w.orgB.id, personId: null }],
      ["task.delegate", w.people.adminB.id, { organisationId: w.orgB.id, personId: w.people.memberB.id }],
    ]);
    // A no-op edit writes nothing.
    const before = await ctx.db.selectFrom("task_event").where("task_id", "=", task.id).select("id").execute();
    expect((await w.clients.adminA.patch(url, { priority: "urgent" })).status).toBe(200);
    expect(await ctx.db.selectFrom("task_event").where("task_id", "=", task.id).select("id").execute()).toHaveLength(before.length);
    // Nor does assigning or delegating to whom it already is: no "removed the assignee", no audit event.
    expect((await w.clients.memberA.post(`${url}/assign`, { organisationId: w.orgB.id, personId: w.people.memberB.id })).status).toBe(200);
    expect((await w.clients.adminB.post(`${url}/delegate`, { personId: w.people.memberB.id })).status).toBe(200);
    expect(await ctx.db.selectFrom("task_event").where("task_id", "=", task.id).select("id").execute()).toHaveLength(before.length);
    expect(await ctx.db.selectFrom("audit_event").where("target_id", "=", task.id).select("id").execute()).toHaveLength(audits.length);
  });

  it("a page of 50 tasks with assignees and campaign names takes a small, fixed number of queries", async () => {
    const label = unique("bulk").toLowerCase();
    const campaigns = [campaign, await makeCampaign(w), await makeCampaign(w)];
    const people = [w.people.adminA.id, w.people.memberA.id, null];
    await ctx.db
      .insertInto("task")
      .values(
        Array.from({ length: 60 }, (_, i) => {
          const inA = i % 2 === 0;
          return {
            coalition_id: w.coalition.id,
            campaign_id: campaigns[i % 3]?.id ?? null,
            title: `Bulk task ${i}`,
            assignee_organisation_id: inA ? w.orgA.id : w.orgB.id,
            assignee_person_id: inA ? (people[i % 3] ?? null) : w.people.memberB.id,
            labels: sql<string[]>`${[label]}::text[]`,
            due_on: "2026-12-01",
          };
        }),
      )
      .execute();
    const count = async (limit: number) => {
      const { queries, result: res } = await queriesSent(() =>
        w.clients.coordinator.get<Page>(`${w.base}/tasks?label=${label}&limit=${limit}`),
      );
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(limit);
      for (const t of res.body.items) {
        expect(t.campaign?.title).toBeTruthy();
        expect(t.assigneeOrganisation?.name).toBeTruthy();
      }
      return queries;
    };
    const fifty = await count(50);
    const five = await count(5);
    console.info(`queries for a task list page: limit 50 → ${fifty}, limit 5 → ${five}`);
    expect(fifty).toBe(five);
    // At least the session with the coalition access (read in one query) and the page itself: the count sees them all.
    expect(fifty).toBeGreaterThanOrEqual(2);
    expect(fifty).toBeLessThanOrEqual(4);
    // The member's view costs the same.
    const mine = await queriesSent(() => w.clients.memberB.get<Page>(`${w.base}/tasks?view=mine&label=${label}&limit=50`));
    expect(mine.result.body.items).toHaveLength(30);
    expect(mine.queries).toBe(fifty);
  });

  it("keyset pagination returns every task exactly once, in order, also when many share one updated_at", async () => {
    const label = unique("page").toLowerCase();
    const made: string[] = [];
    for (let i = 0; i < 23; i++)
      made.push(
        (await makeTask(w, { campaignId: campaign.id, labels: [label], assigneeOrganisationId: i % 2 ? w.orgA.id : w.orgB.id })).id,
      );
    // Most of them at exactly the same instant, a few earlier and later.
    await ctx.db
      .updateTable("task")
      .set({ updated_at: new Date("2026-11-20T10:00:00.000Z") })
      .where("id", "in", made.slice(3, 20))
      .execute();
    await ctx.db
      .updateTable("task")
      .set({ updated_at: new Date("2026-11-20T09:59:59.999Z") })
      .where("id", "in", made.slice(0, 3))
      .execute();
    for (const limit of [1, 4, 7, 50]) {
      const all = await walk(w.clients.memberA, `label=${label}`, limit);
      expect(all).toHaveLength(23);
      expect(ids(all)).toEqual([...made].sort());
      const keys = all.map((t) => `${t.updatedAt}|${t.id}`);
      expect(keys).toEqual([...keys].sort().reverse());
    }
    // Pagination composes with filters.
    const ofA = await walk(w.clients.memberA, `label=${label}&organisationId=${w.orgA.id}`, 3);
    expect(ofA).toHaveLength(11);
  });

  it("filters: status (one or several), organisation, person, priority, due date, label, campaign; views mine, organisation, board", async () => {
    const label = unique("f").toLowerCase();
    const board = await makeCampaign(w, { title: "Board campaign" });
    const t1 = await makeTask(w, {
      campaignId: board.id,
      labels: [label, "print"],
      priority: "high",
      dueOn: "2026-12-01",
      assigneeOrganisationId: w.orgA.id,
      assigneePersonId: w.people.memberA.id,
    });
    const t2 = await makeTask(w, {
      campaignId: board.id,
      labels: [label],
      priority: "low",
      dueOn: "2026-12-10",
      assigneeOrganisationId: w.orgB.id,
      status: "in_progress",
    });
    const t3 = await makeTask(w, {
      campaignId: campaign.id,
      labels: [label],
      status: "done",
      assigneeOrganisationId: w.orgB.id,
      assigneePersonId: w.people.memberB.id,
    });
    const t4 = await makeTask(w, { labels: [label], status: "blocked" });
    const q = (client: TestClient, query: string) =>
      client.get<Page>(`${w.base}/tasks?label=${label}&${query}`).then((r) => ids(r.body.items));
    const c = w.clients.coordinator;
    expect(await q(c, "")).toEqual(ids([t1, t2, t3, t4]));
    expect(await q(c, "status=todo")).toEqual(ids([t1]));
    expect(await q(c, "status=todo,in_progress")).toEqual(ids([t1, t2]));
    expect(await q(c, "status=done,blocked,cancelled")).toEqual(ids([t3, t4]));
    expect(await q(c, `organisationId=${w.orgB.id}`)).toEqual(ids([t2, t3]));
    expect(await q(c, `personId=${w.people.memberA.id}`)).toEqual(ids([t1]));
    expect(await q(c, "priority=high")).toEqual(ids([t1]));
    expect(await q(c, "dueBefore=2026-12-05")).toEqual(ids([t1]));
    expect(await q(c, `campaignId=${board.id}`)).toEqual(ids([t1, t2]));
    expect(await c.get<Page>(`${w.base}/tasks?label=print&campaignId=${board.id}`).then((r) => ids(r.body.items))).toEqual(ids([t1]));
    // The campaign board: one column per status.
    expect(await q(c, `campaignId=${board.id}&status=in_progress`)).toEqual(ids([t2]));
    // Mine: tasks assigned to me; my organisation's: tasks assigned to my organisations (not others', even if asked).
    expect(await q(w.clients.memberA, "view=mine")).toEqual(ids([t1]));
    expect(await q(w.clients.memberB, "view=mine")).toEqual(ids([t3]));
    expect(await q(w.clients.memberB, "view=organisation")).toEqual(ids([t2, t3]));
    expect(await q(w.clients.memberB, `view=organisation&organisationId=${w.orgA.id}`)).toEqual([]);
    expect(await q(w.clients.memberB, "view=organisation&status=done")).toEqual(ids([t3]));
    expect(await q(w.clients.observer, "view=organisation")).toEqual([]);
    // The item carries names, not just ids.
    const one = await c.get<Page>(`${w.base}/tasks?label=${label}&personId=${w.people.memberA.id}`);
    expect(one.body.items[0]).toMatchObject({
      campaign: { id: board.id, title: "Board campaign" },
      assigneeOrganisation: { id: w.orgA.id, name: w.orgA.name },
      assigneePerson: { id: w.people.memberA.id, displayName: w.people.memberA.display_name },
    });
  });

  it("filters combine with each other, with the views and with the cursor, page after page", async () => {
    // Each combination of campaign, status and assignee, with priorities, due dates and labels
    // spread among them; each query's answer is checked against the same filter applied here, so a
    // filter missing from one combination of the page query (or from its next pages) lets in rows.
    const label = unique("combo").toLowerCase();
    const [k, k2] = [await makeCampaign(w), await makeCampaign(w)];
    const [orgX, orgY] = [await createOrganisation(ctx, w.coalition.id), await createOrganisation(ctx, w.coalition.id)];
    const [p, q] = [await createPerson(ctx), await createPerson(ctx)];
    await addMember(ctx, orgX.id, p.id);
    await addMember(ctx, orgY.id, p.id);
    await addMember(ctx, orgX.id, q.id);
    const assignees = [
      [orgX.id, p.id],
      [orgX.id, q.id],
      [orgY.id, p.id],
      [orgX.id, null],
      [null, null],
    ] as const;
    const rows = [k.id, k2.id, null].flatMap((campaignId) =>
      (["todo", "blocked", "done"] as const).flatMap((status) =>
        // Three of each, so that even the narrowest query reads two pages.
        assignees.flatMap(([organisationId, personId]) => [1, 2, 3].map(() => ({ campaignId, status, organisationId, personId }))),
      ),
    );
    const start = Date.parse("2026-11-20T10:00:00.000Z");
    const made = await ctx.db
      .insertInto("task")
      .values(
        rows.map((r, i) => ({
          coalition_id: w.coalition.id,
          campaign_id: r.campaignId,
          title: `Combination ${i}`,
          status: r.status,
          assignee_organisation_id: r.organisationId,
          assignee_person_id: r.personId,
          priority: i % 2 ? "high" : "low",
          due_on: i % 3 ? "2020-01-01" : "2999-01-01",
          labels: sql<string[]>`${i % 4 ? [label] : []}::text[]`,
          // Three tasks at each instant: the cursor's tie-break on id is used.
          updated_at: new Date(start - Math.floor(i / 3) * 1000),
        })),
      )
      .returning(["id", "updated_at", "priority", "due_on", "labels"])
      .execute();
    const tasks = rows.map((r, i) => {
      const row = made[i];
      if (!row) throw new Error("a task was not inserted");
      return { ...r, ...row, key: `${row.updated_at.toISOString()}|${row.id}` };
    });
    type Made = (typeof tasks)[number];
    const pClient = await signInAs(ctx, p);
    const c = w.clients.coordinator;
    const cases: [TestClient, string, (t: Made) => boolean][] = [
      [
        c,
        `campaignId=${k.id}&status=todo&organisationId=${orgX.id}&personId=${p.id}`,
        (t) => t.campaignId === k.id && t.status === "todo" && t.organisationId === orgX.id && t.personId === p.id,
      ],
      [
        c,
        `campaignId=${k.id}&status=todo,blocked&organisationId=${orgX.id}`,
        (t) => t.campaignId === k.id && t.status !== "done" && t.organisationId === orgX.id,
      ],
      [
        c,
        `campaignId=${k.id}&priority=high&dueBefore=2500-01-01&label=${label}`,
        (t) => t.campaignId === k.id && t.priority === "high" && t.due_on === "2020-01-01" && t.labels.includes(label),
      ],
      [pClient, "view=mine", (t) => t.personId === p.id],
      [
        pClient,
        `view=mine&campaignId=${k.id}&status=blocked`,
        (t) => t.personId === p.id && t.campaignId === k.id && t.status === "blocked",
      ],
      // Two organisations of the person's own, then one of them.
      [pClient, "view=organisation&status=todo,done", (t) => t.organisationId !== null && t.status !== "blocked"],
      [pClient, `view=organisation&organisationId=${orgY.id}`, (t) => t.organisationId === orgY.id],
      [
        c,
        `view=overdue&campaignId=${k.id}&organisationId=${orgX.id}`,
        (t) => t.campaignId === k.id && t.organisationId === orgX.id && t.due_on === "2020-01-01" && t.status !== "done",
      ],
    ];
    for (const [client, query, keep] of cases) {
      const expected = tasks
        .filter(keep)
        .map((t) => t.key)
        .sort()
        .reverse();
      // Several pages each, so the cursor's combination is read too.
      expect(expected.length, query).toBeGreaterThan(2);
      const seen = await walk(client, query, 2);
      expect(
        seen.map((t) => `${t.updatedAt}|${t.id}`),
        query,
      ).toEqual(expected);
    }
  });

  it("overdue follows the coalition's own date", async () => {
    // UTC+14 and UTC-11: their dates always differ, so a check on the server's (or UTC's) date fails one of them.
    for (const timeZone of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Phnom_Penh"]) {
      const coalition = await createCoalition(ctx, { timeZone });
      const org = await createOrganisation(ctx, coalition.id);
      const coordinator = await createPerson(ctx);
      await addMember(ctx, org.id, coordinator.id, "admin");
      await makeCoordinator(ctx, coalition.id, coordinator.id);
      const member = await createPerson(ctx);
      await addMember(ctx, org.id, member.id, "member");
      const client = await signInAs(ctx, coordinator);
      const base = `/api/coalitions/${coalition.id}`;
      const today = todayIn(timeZone);
      const make = async (title: string, dueOn: string, status = "todo") =>
        (await client.post<{ id: string; overdue: boolean }>(`${base}/tasks`, { title, dueOn, status })).body;
      const yesterday = await make("Due yesterday", addDays(today, -1));
      const dueToday = await make("Due today", today);
      await make("Due tomorrow", addDays(today, 1));
      await make("Done late", addDays(today, -3), "done");
      await make("Cancelled late", addDays(today, -3), "cancelled");
      const overdue = await client.get<Page>(`${base}/tasks?view=overdue`);
      expect(overdue.status).toBe(200);
      expect(
        overdue.body.items.map((t) => t.id),
        timeZone,
      ).toEqual([yesterday.id]);
      expect(overdue.body.items[0]?.overdue).toBe(true);
      const all = await client.get<Page>(`${base}/tasks`);
      expect(all.body.items.find((t) => t.id === dueToday.id)?.overdue, timeZone).toBe(false);
      expect((await (await signInAs(ctx, member)).get(`${base}/tasks?view=overdue`)).status).toBe(403);
    }
  });

  it("comments: Markdown rendered safely; mentions notify people of the coalition and make them watchers, outsiders get nothing", async () => {
    const task = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
    const url = `${w.base}/tasks/${task.id}`;
    // A coordinator who belongs to no member organisation is a person of the coalition too.
    const secretary = await createPerson(ctx, { displayName: unique("Secretary") });
    await makeCoordinator(ctx, w.coalition.id, secretary.id);
    const notificationsOf = (personId: string) =>
      ctx.db
        .selectFrom("notification")
        .where("person_id", "=", personId)
        .where("link", "like", `%${task.id}`)
        .select(["kind", "params"])
        .execute();
    const body = [
      `Please check @[Admin B](${w.people.adminB.id}) and @[Secretary](${secretary.id}),`,
      `not @[Outsider](${w.people.outsider.id}) nor @[Suspended](${w.people.suspended.id}).`,
      `**bold** <script>alert(1)</script> [x](javascript:alert(2)) @[<img src=x onerror=alert(3)>](${w.people.memberB.id})`,
    ].join("\n");
    const posted = await w.clients.memberA.post<{ id: string }>(`${url}/comments`, { body });
    expect(posted.status).toBe(201);
    const got = await w.clients.memberA.get<TaskBody>(url);
    const html = got.body.comments[0]?.bodyHtml ?? "";
    expect(html).toContain("<strong>@Admin B</strong>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).not.toMatch(/<script|onerror|javascript:|<img/i);
    expect(got.body.comments[0]?.body).toBe(body);
    const watchers = got.body.watchers.map((x) => x.id);
    for (const id of [w.people.adminB.id, secretary.id, w.people.memberB.id, w.people.memberA.id]) expect(watchers).toContain(id);
    for (const id of [w.people.outsider.id, w.people.suspended.id]) expect(watchers).not.toContain(id);
    expect((await notificationsOf(w.people.adminB.id)).map((n) => n.kind)).toContain("task_mention");
    expect((await notificationsOf(secretary.id)).map((n) => n.kind)).toEqual(["task_mention"]);
    expect(await notificationsOf(w.people.outsider.id)).toEqual([]);
    expect(await notificationsOf(w.people.suspended.id)).toEqual([]);
    expect(await notificationsOf(w.people.memberA.id)).toEqual([]);
    // The creator (a watcher) hears about the comment.
    expect((await notificationsOf(w.people.coordinator.id)).map((n) => n.kind)).toEqual(["task_comment"]);
    // The mentioned outsider still cannot see the task.
    expect((await w.clients.outsider.get(url)).status).toBe(404);
    // A watcher who no longer sees the coalition (a row left from before, however it came) is not shown.
    await ctx.db.insertInto("task_watcher").values({ task_id: task.id, person_id: w.people.outsider.id }).execute();
    const after = await w.clients.memberA.get<TaskBody>(url);
    expect(after.body.watchers.map((x) => x.id)).not.toContain(w.people.outsider.id);
    expect(after.body.watchers.map((x) => x.id)).toContain(secretary.id);
  });

  it("the assignment notification names the organisation in each admin's language", async () => {
    const kmName = unique("សមាគម ខ");
    expect((await w.clients.adminB.patch(`/api/organisations/${w.orgB.id}`, { secondName: { language: "km", name: kmName } })).status).toBe(
      200,
    );
    const params = async (personId: string, taskId: string) =>
      (
        await ctx.db
          .selectFrom("notification")
          .where("person_id", "=", personId)
          .where("link", "like", `%${taskId}`)
          .select("params")
          .executeTakeFirstOrThrow()
      ).params as { organisation?: string };
    try {
      await ctx.db.updateTable("person").set({ language: "km" }).where("id", "=", w.people.adminB.id).execute();
      const khmer = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
      expect((await params(w.people.adminB.id, khmer.id)).organisation).toBe(kmName);
      await ctx.db.updateTable("person").set({ language: "en" }).where("id", "=", w.people.adminB.id).execute();
      const english = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgB.id });
      expect((await params(w.people.adminB.id, english.id)).organisation).toBe(w.orgB.name);
    } finally {
      await ctx.db.updateTable("person").set({ language: "en" }).where("id", "=", w.people.adminB.id).execute();
      await w.clients.adminB.patch(`/api/organisations/${w.orgB.id}`, { secondName: null });
    }
  });

  it("notifications: assignment to the organisation's admins, delegation to the person, status changes to watchers", async () => {
    const task = await makeTask(w, { campaignId: campaign.id, assigneeOrganisationId: w.orgA.id });
    const url = `${w.base}/tasks/${task.id}`;
    const kinds = async (personId: string) =>
      (
        await ctx.db
          .selectFrom("notification")
          .where("person_id", "=", personId)
          .where("link", "like", `%${task.id}`)
          .select("kind")
          .orderBy("created_at")
          .execute()
      ).map((n) => n.kind);
    expect(await kinds(w.people.adminA.id)).toEqual(["task_assigned"]);
    expect(await kinds(w.people.adminA2.id)).toEqual(["task_assigned"]);
    expect(await kinds(w.people.memberA.id)).toEqual([]);
    // Reassigned to orgB by a co-owner: orgB's admin hears of it, not the co-owner who did it.
    expect((await w.clients.adminA.post(`${url}/assign`, { organisationId: w.orgB.id })).status).toBe(200);
    expect(await kinds(w.people.adminB.id)).toEqual(["task_assigned"]);
    expect(await kinds(w.people.adminA.id)).toEqual(["task_assigned"]);
    expect((await w.clients.adminB.post(`${url}/delegate`, { personId: w.people.memberB.id })).status).toBe(200);
    expect(await kinds(w.people.memberB.id)).toEqual(["task_delegated"]);
    // Status change by the assignee: the other watchers (the creator) hear of it, not the one who changed it.
    expect((await w.clients.memberB.post(`${url}/status`, { status: "done" })).status).toBe(200);
    expect(await kinds(w.people.coordinator.id)).toEqual(["task_status"]);
    expect(await kinds(w.people.memberB.id)).toEqual(["task_delegated"]);
    const status = await ctx.db
      .selectFrom("notification")
      .where("person_id", "=", w.people.coordinator.id)
      .where("kind", "=", "task_status")
      .where("link", "like", `%${task.id}`)
      .select("params")
      .executeTakeFirstOrThrow();
    expect(status.params).toEqual({ task: task.title, status: "done" });
  });

  it("CSV export: BOM and header, Khmer intact, formulas neutralised, filters applied, audited", async () => {
    const board = await makeCampaign(w, { title: "=cmd|'/c calc'!A1" });
    const khmer = "បោះពុម្ពខ្សែបូពណ៌លឿង ១០០,០០០";
    await makeTask(w, { campaignId: board.id, title: khmer, assigneeOrganisationId: w.orgA.id, labels: ["សិទ្ធិមនុស្ស"] });
    await makeTask(w, { campaignId: board.id, title: '=HYPERLINK("http://evil.example","click")' });
    await makeTask(w, { campaignId: board.id, title: "+SUM(A1:A9)", status: "done" });
    await makeTask(w, { campaignId: board.id, title: '@cmd, with "quotes" and, commas' });
    await makeTask(w, { campaignId: board.id, title: "-2+3" });
    await makeTask(w, { campaignId: campaign.id, title: "Not in this campaign" });
    const client = w.clients.memberA;
    const res = await ctx.app.request(`${w.base}/tasks.csv?campaignId=${board.id}&status=todo,in_progress`, {
      headers: { cookie: client.cookie ?? "", origin: ORIGIN },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("id,title,status,priority,due_on,overdue,campaign,organisation,person,labels,updated_at");
    expect(lines).toHaveLength(5);
    expect(text).toContain(khmer);
    expect(text).toContain("សិទ្ធិមនុស្ស");
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(text).toContain(`"'@cmd, with ""quotes"" and, commas"`);
    expect(text).toContain("'-2+3");
    expect(text).toContain("'=cmd|'/c calc'!A1");
    expect(text).not.toContain("SUM(A1:A9)");
    expect(text).not.toContain("Not in this campaign");
    for (const line of lines.slice(1)) expect(line.split(",")[1]).not.toMatch(/^"?[=+\-@]/);
    const audit = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "task.export")
      .where("actor_id", "=", w.people.memberA.id)
      .select(["after", "coalition_id"])
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.coalition_id).toBe(w.coalition.id);
    expect(audit[0]?.after).toMatchObject({ rows: 4, query: { campaignId: board.id, status: "todo,in_progress" } });
  });
});
