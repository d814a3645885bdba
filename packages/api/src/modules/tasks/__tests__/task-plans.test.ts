import { type CompiledQuery, sql } from "kysely";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createCoalition, createOrganisation, createPerson } from "../../../../test/factories/index.ts";
import { loadConfig } from "../../../config.ts";
import type { Executor } from "../../../lib/transaction.ts";
import { withTransaction } from "../../../lib/transaction.ts";
import { dueSoonClaim, listTasks, overdueClaim, type TaskFilter, taskListQuery } from "../tasks.repository.ts";

/**
 * The plans of the campaign board and the reminder claims, on PostgreSQL (the server of CI and
 * production; PGlite has no statistics worth planning on). No timing: the planner must pick the
 * index that delivers the order (no Sort, no Seq Scan over task), on a data set where the old
 * shapes did not (an old campaign among 40,000 newer tasks, most open tasks already reminded), with
 * fresh statistics, in a custom plan and in the generic plan a prepared statement ends up with.
 */

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** A SQL literal for a bound value (a test helper: the values are our own uuids, statuses, dates and numbers). */
function literal(value: unknown): string {
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (Array.isArray(value)) return `'{${value.join(",")}}'`;
  if (typeof value === "number") return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** EXPLAIN a statement as the app runs it (prepared, with its parameters), under a plan cache mode. */
async function explain(db: Executor, query: CompiledQuery, mode: "force_custom_plan" | "force_generic_plan"): Promise<PlanNode[]> {
  return withTransaction(db, async (trx) => {
    await sql.raw(`SET LOCAL plan_cache_mode = ${mode}`).execute(trx);
    await sql.raw(`PREPARE plan_probe AS ${query.sql}`).execute(trx);
    const args = query.parameters.length ? `(${query.parameters.map(literal).join(", ")})` : "";
    const result = await sql.raw<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) EXECUTE plan_probe${args}`).execute(trx);
    await sql.raw("DEALLOCATE plan_probe").execute(trx);
    const plan = result.rows[0]?.["QUERY PLAN"][0]?.Plan;
    if (!plan) throw new Error("no plan");
    return nodes(plan);
  });
}

/** How the plan reads task: [node type, index] for every scan of task (a bitmap counts as its index scan). */
function taskReads(plan: PlanNode[]): [string, string | undefined][] {
  return plan
    .filter((n) =>
      n["Node Type"] === "Bitmap Index Scan"
        ? n["Index Name"]?.startsWith("task_")
        : n["Relation Name"] === "task" && n["Node Type"] !== "Bitmap Heap Scan" && n["Node Type"] !== "ModifyTable",
    )
    .map((n) => [n["Node Type"], n["Index Name"]]);
}

const sorts = (plan: PlanNode[]) => plan.filter((n) => n["Node Type"].includes("Sort")).map((n) => n["Node Type"]);
const indexConditions = (plan: PlanNode[]) => plan.map((n) => n["Index Cond"] ?? "");

const describePostgres = describe.runIf(Boolean(loadConfig().databaseUrl));

describe("the task list query explained here (and in bench/plans.ts)", () => {
  it("is the SQL listTasks sends, with the same parameters, for each kind of filter", async () => {
    const ctx = await buildTestApp();
    const id = () => crypto.randomUUID();
    const base: TaskFilter = { coalitionId: id(), timeZone: "Asia/Phnom_Penh", limit: 50 };
    const cursor = { at: new Date("2026-11-20T10:00:00.000Z"), id: id() };
    const filters: TaskFilter[] = [
      base,
      { ...base, campaignId: id(), limit: 100, cursor },
      { ...base, campaignId: id(), statuses: ["todo"] },
      { ...base, campaignId: id(), statuses: ["todo", "blocked"], organisationIds: [id()], personId: id(), cursor },
      { ...base, organisationIds: [id(), id()], priority: "high", dueBefore: "2026-12-01", label: "print" },
      { ...base, personId: id(), overdue: true, cursor },
    ];
    for (const f of filters) {
      const spy = vi.spyOn(ctx.db.getExecutor(), "executeQuery");
      try {
        await listTasks(ctx.db, f);
        const sent = spy.mock.calls.map(([query]) => ({ sql: query.sql, parameters: [...query.parameters] }));
        const explained = taskListQuery(ctx.db, f).compile();
        expect(sent).toEqual([{ sql: explained.sql, parameters: [...explained.parameters] }]);
      } finally {
        spy.mockRestore();
      }
    }
  });
});

describePostgres("query plans at scale (PostgreSQL)", () => {
  let ctx: TestContext;
  let coalitionId: string;
  let oldCampaignId: string;
  let lastOld: { at: Date; id: string };
  let organisationId: string;
  let fewOrganisationId: string;
  let fewPersonId: string;

  beforeAll(async () => {
    ctx = await buildTestApp();
    const coalition = await createCoalition(ctx);
    coalitionId = coalition.id;
    const org = await createOrganisation(ctx, coalitionId);
    organisationId = org.id;
    await sql`INSERT INTO campaign (coalition_id, title, slug, summary, status)
      SELECT ${coalitionId}, 'Campaign ' || g, 'plans-' || g, '', 'active' FROM generate_series(0, 20) g`.execute(ctx.db);
    const old = await ctx.db
      .selectFrom("campaign")
      .where("coalition_id", "=", coalitionId)
      .where("slug", "=", "plans-0")
      .select("id")
      .executeTakeFirstOrThrow();
    oldCampaignId = old.id;
    // 40,000 recent tasks over 20 campaigns (one a second), due from 60 days ago to 60 days ahead.
    await sql`INSERT INTO task (coalition_id, campaign_id, title, status, due_on, assignee_organisation_id, updated_at)
      SELECT ${coalitionId}, c.ids[1 + g % 20], 'Task ' || g, (ARRAY['todo','in_progress','blocked','done','cancelled'])[1 + g % 5],
        current_date + ((g % 120) - 60), ${org.id}, date_trunc('milliseconds', now() - g * interval '1 second')
      FROM generate_series(1, 40000) g,
        (SELECT array_agg(id ORDER BY slug) AS ids FROM campaign WHERE coalition_id = ${coalitionId} AND slug <> 'plans-0') c`.execute(
      ctx.db,
    );
    // The old campaign: 2,000 tasks last touched a year ago.
    await sql`INSERT INTO task (coalition_id, campaign_id, title, status, due_on, updated_at)
      SELECT ${coalitionId}, ${oldCampaignId}, 'Old task ' || g, (ARRAY['todo','done'])[1 + g % 2], current_date - 400,
        date_trunc('milliseconds', now() - interval '400 days' - g * interval '1 second')
      FROM generate_series(1, 2000) g`.execute(ctx.db);
    // The reminders' steady state: what is overdue or due within two days has been reminded.
    await sql`UPDATE task SET reminded_overdue_at = now(), reminded_due_at = now()
      WHERE coalition_id = ${coalitionId} AND due_on < current_date AND status NOT IN ('done', 'cancelled')`.execute(ctx.db);
    await sql`UPDATE task SET reminded_due_at = now()
      WHERE coalition_id = ${coalitionId} AND due_on BETWEEN current_date AND current_date + 1 AND status NOT IN ('done', 'cancelled')`.execute(
      ctx.db,
    );
    // One task in a hundred is another organisation's, delegated to one of its people.
    const few = await createOrganisation(ctx, coalitionId);
    const person = await createPerson(ctx);
    fewOrganisationId = few.id;
    fewPersonId = person.id;
    await sql`UPDATE task SET assignee_organisation_id = ${few.id}, assignee_person_id = ${person.id}
      WHERE coalition_id = ${coalitionId} AND title LIKE '%00'`.execute(ctx.db);
    await sql`ANALYZE task`.execute(ctx.db);
    await sql`ANALYZE campaign`.execute(ctx.db);
    const row = await ctx.db
      .selectFrom("task")
      .where("campaign_id", "=", oldCampaignId)
      .orderBy("updated_at", "desc")
      .orderBy("id", "desc")
      .offset(500)
      .select(["updated_at", "id"])
      .executeTakeFirstOrThrow();
    lastOld = { at: row.updated_at, id: row.id };
  });

  const board = (extra: Partial<TaskFilter> = {}): TaskFilter => ({
    coalitionId,
    timeZone: "Asia/Phnom_Penh",
    campaignId: oldCampaignId,
    limit: 100,
    ...extra,
  });

  for (const mode of ["force_custom_plan", "force_generic_plan"] as const) {
    it(`the board of an old campaign reads the campaign index in order, without a sort (${mode})`, async () => {
      const plan = await explain(ctx.db, taskListQuery(ctx.db, board()).compile(), mode);
      expect(taskReads(plan)).toEqual([["Index Scan", "task_campaign_updated_idx"]]);
      expect(sorts(plan)).toEqual([]);
    });

    it(`a later page of that board reads only the campaign's rows after the cursor (${mode})`, async () => {
      const plan = await explain(ctx.db, taskListQuery(ctx.db, board({ cursor: lastOld })).compile(), mode);
      const reads = taskReads(plan);
      // The cursor is an index condition on the campaign index. With the cursor's values the
      // planner may expect few rows left (it cannot know the campaign is old) and read them by
      // bitmap and sort them: still only the campaign's rows past the cursor, never other campaigns'.
      expect(reads.map(([, index]) => index)).toEqual(["task_campaign_updated_idx"]);
      expect(indexConditions(plan).some((c) => c.includes("campaign_id =") && c.includes("ROW(updated_at, id) <"))).toBe(true);
      if (mode === "force_generic_plan") expect(sorts(plan)).toEqual([]);
    });

    it(`the coalition-wide list pages on the coalition index, without a sort (${mode})`, async () => {
      const plan = await explain(ctx.db, taskListQuery(ctx.db, board({ campaignId: undefined, cursor: lastOld })).compile(), mode);
      expect(taskReads(plan)).toEqual([["Index Scan", "task_coalition_idx"]]);
      expect(sorts(plan)).toEqual([]);
    });

    // One value of a filter is bound as `= $1`, several as one array: an array of unknown length
    // would lose the index's order in the generic plan (a sort, or a walk of the coalition's index).
    it(`a board column (one status) reads exactly its rows from the campaign and status index (${mode})`, async () => {
      const plan = await explain(ctx.db, taskListQuery(ctx.db, board({ statuses: ["todo"] })).compile(), mode);
      expect(taskReads(plan)).toEqual([["Index Scan", "task_campaign_idx"]]);
      expect(indexConditions(plan).some((c) => c.includes("campaign_id =") && c.includes("status ="))).toBe(true);
      expect(sorts(plan)).toEqual([]);
    });

    it(`several statuses or organisations, one array each, are planned as an in list of them was (${mode})`, async () => {
      const shape = (plan: PlanNode[]) => ({ reads: taskReads(plan), sorts: sorts(plan) });
      const statuses = ["todo", "blocked"] as const;
      const organisations = [fewOrganisationId, organisationId];
      for (const [filter, inList] of [
        [
          board({ statuses: [...statuses], cursor: lastOld }),
          taskListQuery(ctx.db, board({ cursor: lastOld })).where("t.status", "in", [...statuses]),
        ],
        [
          board({ campaignId: undefined, organisationIds: organisations }),
          taskListQuery(ctx.db, board({ campaignId: undefined })).where("t.assignee_organisation_id", "in", organisations),
        ],
      ] as const) {
        const plan = await explain(ctx.db, taskListQuery(ctx.db, filter).compile(), mode);
        expect(shape(plan)).toEqual(shape(await explain(ctx.db, inList.compile(), mode)));
      }
    });

    it(`one organisation's tasks and one person's ("mine") read their own index in order (${mode})`, async () => {
      const scoped = (extra: Partial<TaskFilter>) => board({ campaignId: undefined, limit: 50, ...extra });
      const organisation = await explain(ctx.db, taskListQuery(ctx.db, scoped({ organisationIds: [fewOrganisationId] })).compile(), mode);
      expect(taskReads(organisation)).toEqual([["Index Scan", "task_assignee_organisation_idx"]]);
      expect(sorts(organisation)).toEqual([]);
      const mine = await explain(ctx.db, taskListQuery(ctx.db, scoped({ personId: fewPersonId })).compile(), mode);
      expect(taskReads(mine)).toEqual([["Index Scan", "task_assignee_person_idx"]]);
      expect(sorts(mine)).toEqual([]);
    });

    it(`each reminder claim reads its partial index of tasks not yet reminded (${mode})`, async () => {
      for (const [claim, index] of [
        [dueSoonClaim(200), "task_due_soon_unreminded_idx"],
        [overdueClaim(200), "task_overdue_unreminded_idx"],
      ] as const) {
        const plan = await explain(ctx.db, claim.compile(ctx.db), mode);
        // The claim's scan, then the UPDATE's join back to the claimed rows by primary key.
        expect(new Set(taskReads(plan).map(([, name]) => name))).toEqual(new Set([index, "task_pkey"]));
        expect(taskReads(plan).map(([type]) => type)).not.toContain("Seq Scan");
      }
    });
  }
});
