import type { TaskSummary } from "@samakki/shared/tasks";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../test/app.ts";
import { signInAs, unique } from "../../../test/factories/index.ts";
import { childDatabase, killAll, runCli } from "../../../test/server-process.ts";
import { verifyAuditChain } from "../../modules/audit/audit.service.ts";
import { argon2Hasher } from "../../modules/auth/passwords.ts";
import { loadDemo } from "../demo/load.ts";
import { MARCH_STAGES } from "../demo/story.ts";

const KHMER = /[\u1780-\u17FF]/;

describe("pnpm demo: the alliance at work", () => {
  let ctx: TestContext;
  let loaded: Awaited<ReturnType<typeof loadDemo>>;
  let ms = 0;

  beforeAll(async () => {
    ctx = await buildTestApp();
    const domain = `${unique("demo")}.samakki.local`;
    const passwordHash = await argon2Hasher.hash("samakki-demo-2026");
    const started = performance.now();
    loaded = await loadDemo(ctx.deps, { slug: unique("alliance"), email: (local) => `${local}@${domain}`, passwordHash });
    ms = performance.now() - started;
  });

  const count = async (table: "campaign" | "task" | "statement", coalitionId: string) =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .where("coalition_id", "=", coalitionId)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("loads the people and the yellow-ribbon campaign with metrics, each active organisation's contributions and the 314 km march", async () => {
    const { coalitionId } = loaded;
    expect(loaded.orgIds.size).toBe(13);
    expect(loaded.personIds.size).toBe(31);
    expect(await count("campaign", coalitionId)).toBe(1);
    const campaign = await ctx.db.selectFrom("campaign").where("coalition_id", "=", coalitionId).selectAll().executeTakeFirstOrThrow();
    expect(campaign).toMatchObject({ slug: "yellow-ribbon", status: "active", visibility: "public" });
    expect(campaign.summary).toMatch(KHMER);

    const activities = await ctx.db.selectFrom("activity").where("campaign_id", "=", campaign.id).select(["id", "kind", "title"]).execute();
    expect(activities).toHaveLength(6);
    expect(activities.filter((a) => a.kind === "letter")).toHaveLength(2);
    const march = activities.find((a) => a.kind === "march");
    expect(march?.title).toMatch(KHMER);
    const stages = await ctx.db
      .selectFrom("march_stage")
      .where("activity_id", "=", march?.id ?? "")
      .select(["distance_km", "stage_date"])
      .orderBy("position")
      .execute();
    expect(stages).toHaveLength(MARCH_STAGES.length);
    expect(stages.reduce((sum, s) => sum + Number(s.distance_km), 0)).toBe(314);
    // Three weeks: the first and the last stage are 20 days apart.
    const days = (Date.parse(String(stages.at(-1)?.stage_date)) - Date.parse(String(stages[0]?.stage_date))) / 86_400_000;
    expect(days).toBe(20);

    const metrics = await ctx.db.selectFrom("metric").where("campaign_id", "=", campaign.id).select(["id", "name"]).execute();
    expect(metrics).toHaveLength(3);
    const ribbons = metrics.find((m) => m.name.endsWith("Ribbons handed out"));
    const contributors = await ctx.db
      .selectFrom("contribution")
      .where("metric_id", "=", ribbons?.id ?? "")
      .select("organisation_id")
      .distinct()
      .execute();
    expect(contributors).toHaveLength(11); // every active member organisation
    // What the letters and signatures metrics count is there to be seen: the letters recorded (the
    // letters metric counts them) and the petition, whose paper sheets match the signatures reported.
    const letters = await ctx.db
      .selectFrom("letter")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(letters.n)).toBe(87);
    const petition = await ctx.db.selectFrom("petition").where("campaign_id", "=", campaign.id).select("id").executeTakeFirstOrThrow();
    const sheets = await ctx.db
      .selectFrom("petition_paper_sheet")
      .where("petition_id", "=", petition.id)
      .select((eb) => eb.fn.sum<string>("count").as("n"))
      .executeTakeFirstOrThrow();
    const signatures = metrics.find((m) => m.name === "Petition signatures");
    const reported = await ctx.db
      .selectFrom("contribution")
      .where("metric_id", "=", signatures?.id ?? "")
      .select((eb) => eb.fn.sum<string>("amount").as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(sheets.n)).toBe(Number(reported.n));
    expect(loaded.contributions).toBe(
      Number(
        (
          await ctx.db
            .selectFrom("contribution")
            .where(
              "metric_id",
              "in",
              metrics.map((m) => m.id),
            )
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
  });

  it("has tasks in every status, some overdue in the coalition's time zone", async () => {
    const { coalitionId } = loaded;
    expect(await count("task", coalitionId)).toBe(13);
    const statuses = await ctx.db.selectFrom("task").where("coalition_id", "=", coalitionId).select("status").distinct().execute();
    expect(statuses.map((s) => s.status).sort()).toEqual(["blocked", "cancelled", "done", "in_progress", "todo"]);

    const coordinator = await signInAs(ctx, { id: loaded.personIds.get("coordinator") ?? "" });
    const res = await coordinator.get<{ items: TaskSummary[] }>(`/api/coalitions/${coalitionId}/tasks?view=overdue&limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(3);
    expect(res.body.items.every((t) => t.overdue && t.status !== "done" && t.status !== "cancelled")).toBe(true);
    // Moved along by the people doing the work: the history records the status changes.
    const events = await ctx.db
      .selectFrom("task_event as e")
      .innerJoin("task as t", "t.id", "e.task_id")
      .where("t.coalition_id", "=", coalitionId)
      .where("e.field", "=", "status")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(events.n)).toBeGreaterThanOrEqual(10);
  });

  it("has statements with several versions, one vote open and one statement published on its public page", async () => {
    const { coalitionId } = loaded;
    expect(await count("statement", coalitionId)).toBe(3);
    const versions = await ctx.db
      .selectFrom("statement as s")
      .innerJoin("statement_version as v", "v.statement_id", "s.id")
      .where("s.coalition_id", "=", coalitionId)
      .groupBy("s.id")
      .select((eb) => ["s.id", "s.status", eb.fn.countAll().as("n")])
      .execute();
    expect(versions.every((v) => Number(v.n) >= 2)).toBe(true);
    expect(versions.map((v) => v.status).sort()).toEqual(["draft", "published", "voting"].sort());

    const votes = await ctx.db
      .selectFrom("vote")
      .where("coalition_id", "=", coalitionId)
      .select(["status", "outcome", "statement_id"])
      .execute();
    expect(votes.filter((v) => v.status === "open")).toHaveLength(1);
    expect(votes.filter((v) => v.status === "closed")).toEqual([
      { status: "closed", outcome: "adopted", statement_id: loaded.publishedStatementId },
    ]);
    const open = await ctx.db
      .selectFrom("vote")
      .where("coalition_id", "=", coalitionId)
      .where("status", "=", "open")
      .select(sql<boolean>`closes_at > now() + interval '1 day'`.as("later"))
      .executeTakeFirstOrThrow();
    expect(open.later).toBe(true);

    const page = await ctx.anonymous().get(`/statements/${loaded.publishedStatementId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Joint statement: free expression is not a crime");
    const km = await ctx.anonymous().get(`/statements/${loaded.publishedStatementId}?lang=km`);
    expect(km.text).toMatch(KHMER);
    for (const v of versions.filter((x) => x.status !== "published")) {
      expect((await ctx.anonymous().get(`/statements/${v.id}`)).status).toBe(404);
    }
  });

  // How fast it loads is reported, not asserted: a wall-clock limit only measures the machine's load.
  it("leaves an intact audit chain", async () => {
    console.info(`the demo loaded in ${Math.round(ms)} ms`);
    const audit = await verifyAuditChain(ctx.db);
    expect(audit.ok).toBe(true);
    const actions = await ctx.db
      .selectFrom("audit_event")
      .where("coalition_id", "=", loaded.coalitionId)
      .select("action")
      .distinct()
      .execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["campaign.create", "coalition.setup"]));
  });
});

describe("pnpm demo on the command line", () => {
  it("loads once, prints what it loaded and the accounts, then refuses a database that has a coalition", async () => {
    const database = await childDatabase();
    try {
      const first = await runCli("demo", [], database.env);
      expect({ code: first.code, output: first.output }).toMatchObject({ code: 0 });
      expect(first.output).toContain("13 organisations, 31 people, 2 coordinators;");
      expect(first.output).toContain("13 tasks and 3 statements (one published, one vote open)");
      expect(first.output).toContain("coordinator@demo.samakki.local");
      // Nobody ran setup here, so the demo's first coordinator is the instance's operator.
      expect(first.output).toContain("the secretariat; the instance's operator)");
      const again = await runCli("demo", [], database.env);
      expect(again.code).toBe(1);
      expect(again.output).toContain("already has a coalition");
    } finally {
      await killAll();
      await database.cleanup();
    }
  }, 120_000);
});
