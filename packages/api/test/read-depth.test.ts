import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, TestClient, type TestContext } from "./app.ts";
import { richCoalition } from "./coalition-data.ts";
import { signInAs } from "./factories/index.ts";
import { appCountingRoundTrips } from "./round-trips.ts";

/**
 * How many database round trips each read waits for, one after the other, generated from the route
 * registry (the OpenAPI document): every GET route, on a coalition with data in every table, asked
 * by a coordinator and by an admin of a co-owner organisation (who is not one, so the checks that
 * coordinators skip run too). In a cluster each wait is a network round trip to the database
 * (0.2 to 1 ms), so a read's latency grows with its depth, whatever its SQL costs.
 *
 * The rule of the services: what proves an id is the coalition's comes first, and what depends
 * only on that id is read at once with it when it is filtered by the coalition too, else right
 * after it, all together (`Promise.all`, or `inOrder` when more than one of them can refuse:
 * lib/in-order.ts). The session's query also reads the person's access to the coalition of the
 * path. A new read deeper than its budget fails here and says by how much.
 */

/** Reads allowed more than DEFAULT_BUDGET round trips, and why. */
const BUDGETS: Record<string, { budget: number; why: string }> = {
  "/api/coalitions/{coalitionId}/statements/{statementId}": {
    budget: 4,
    why: "the statement, then its versions, vote and signatories, then what the vote's id gives (statement-read-round-trips.test.ts)",
  },
  "/api/coalitions/{coalitionId}/campaigns/{campaignId}/petition/signers.csv": {
    budget: 4,
    why: "an audited export: the audit event is written after the signers are read",
  },
};
const DEFAULT_BUDGET = 3;

type OpenApiDocument = { paths: Record<string, Record<string, unknown>> };

describe("round trips one after the other, per read", () => {
  let ctx: TestContext;
  let counting: ReturnType<typeof appCountingRoundTrips>;
  let ids: Record<string, string>;
  let viewers: { name: string; cookie: string | undefined }[];
  let doc: OpenApiDocument;

  beforeAll(async () => {
    ctx = await buildTestApp();
    counting = appCountingRoundTrips(ctx);
    const rich = await richCoalition(ctx, "Depth");
    const c = rich.coalitionId;
    const one = async (query: ReturnType<typeof sql<{ id: string }>>) => {
      const row = (await query.execute(ctx.db)).rows[0];
      if (!row) throw new Error("the rich coalition lacks a row this test needs");
      return row.id;
    };
    const campaignId = await one(sql`SELECT id FROM campaign WHERE coalition_id = ${c} ORDER BY created_at LIMIT 1`);
    ids = {
      coalitionId: c,
      campaignId,
      organisationId: await one(
        sql`SELECT organisation_id AS id FROM campaign_organisation WHERE campaign_id = ${campaignId} AND role = 'owner' LIMIT 1`,
      ),
      taskId: await one(sql`SELECT id FROM task WHERE coalition_id = ${c} LIMIT 1`),
      // A published one: its read is the deepest (signatories).
      statementId: await one(sql`SELECT id FROM statement WHERE coalition_id = ${c} ORDER BY published_at IS NULL, created_at LIMIT 1`),
      activityId: await one(sql`SELECT id FROM activity WHERE campaign_id = ${campaignId} ORDER BY kind <> 'march' LIMIT 1`),
      metricId: await one(sql`SELECT id FROM metric WHERE campaign_id = ${campaignId} LIMIT 1`),
      actionId: await one(sql`SELECT id FROM letter_action WHERE coalition_id = ${c} LIMIT 1`),
      targetId: await one(sql`SELECT id FROM letter_target WHERE coalition_id = ${c} LIMIT 1`),
      number: "1",
    };
    const ownerAdmin = await one(sql`
      SELECT m.person_id AS id FROM membership m
      JOIN campaign_organisation co ON co.organisation_id = m.organisation_id AND co.role = 'owner'
      WHERE co.campaign_id = ${campaignId} AND m.role = 'admin'
        AND m.person_id NOT IN (SELECT person_id FROM coordinator WHERE coalition_id = ${c})
      LIMIT 1`);
    viewers = [
      { name: "coordinator", cookie: (await signInAs(ctx, { id: rich.coordinatorId })).cookie },
      { name: "co-owner's admin", cookie: (await signInAs(ctx, { id: ownerAdmin })).cookie },
    ];
    doc = (await ctx.anonymous().get<OpenApiDocument>("/api/openapi.json")).body;
  }, 120_000);
  afterAll(async () => {
    await counting?.close();
  });

  it("no read of a coalition's or an organisation's data waits for more round trips than its budget", async () => {
    const templates = Object.entries(doc.paths)
      .filter(([template, operations]) => "get" in operations && /^\/api\/(coalitions|organisations)\/\{/.test(template))
      .map(([template]) => template);
    expect(templates.length).toBeGreaterThan(30);
    const over: string[] = [];
    const table: string[] = [];
    for (const template of templates) {
      const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
        const id = ids[name];
        if (!id) throw new Error(`no id for {${name}} in ${template}: add one to this test`);
        return id;
      });
      const query = template.endsWith("/diff") ? "?from=1&to=2" : "";
      const budget = BUDGETS[template]?.budget ?? DEFAULT_BUDGET;
      let deepest = 0;
      for (const viewer of viewers) {
        counting.roundTrips.reset();
        const res = await new TestClient(counting.app, viewer.cookie).get(`${path}${query}`);
        const depth = counting.roundTrips.depth;
        deepest = Math.max(deepest, depth);
        table.push(`${depth} ${res.status} ${viewer.name.padEnd(16)} ${template}`);
        // Refusals (a co-owner's admin on a coordinators' route) count too: they must not wait longer.
        if (res.status >= 500) over.push(`${template} as ${viewer.name}: ${res.status} ${res.text.slice(0, 200)}`);
        if (depth > budget) over.push(`${template} as ${viewer.name}: ${depth} round trips, budget ${budget}`);
      }
      // An exception no longer needed is removed, so that the route is held to the default again.
      if (BUDGETS[template] && deepest < budget) over.push(`${template}: budgeted ${budget} round trips, needs only ${deepest}`);
    }
    console.info(`[depth] round trips, status, viewer, route\n${table.join("\n")}`);
    expect(over).toEqual([]);
  }, 120_000);

  it("a published statement's public pages wait for two round trips: the statement, then its signatories, anonymous count and receipts at once", async () => {
    const publicPaths = Object.keys(doc.paths).filter((template) => template.startsWith("/statements/{statementId}"));
    expect(publicPaths.length).toBeGreaterThanOrEqual(3);
    for (const template of publicPaths) {
      counting.roundTrips.reset();
      const res = await counting.app.request(template.replace("{statementId}", ids.statementId ?? ""));
      expect(res.status, template).toBe(200);
      expect(counting.roundTrips.depth, template).toBeLessThanOrEqual(2);
    }
  });

  it("keeps no budget for a route that no longer exists", () => {
    for (const [template, { budget }] of Object.entries(BUDGETS)) {
      expect(doc.paths[template], template).toBeDefined();
      expect(budget).toBeGreaterThan(DEFAULT_BUDGET);
    }
  });
});
