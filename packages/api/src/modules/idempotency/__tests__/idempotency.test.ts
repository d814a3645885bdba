import { Writable } from "node:stream";
import { Problem } from "@samakki/shared/problem";
import { BallotReceipt, Statement } from "@samakki/shared/statements";
import { Task } from "@samakki/shared/tasks";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { createLogger } from "../../../lib/logger.ts";
import { type BigWorld, extendWorld, makeCampaign } from "../../campaigns/__tests__/helpers.ts";
import { addRepresentative, draftAndOpen } from "../../statements/__tests__/helpers.ts";
import { pruneIdempotencyKeys } from "../idempotency.ts";

/**
 * A request sent again with its Idempotency-Key (a phone whose first answer never arrived) is
 * answered again and never done twice; the key is taken only with the change it made.
 */
describe("Idempotency-Key", () => {
  let ctx: TestContext;
  let w: BigWorld;
  const tasksNamed = async (title: string) => (await ctx.db.selectFrom("task").where("title", "=", title).select("id").execute()).length;
  const createTask = (body: unknown, key?: string, client = w.clients.coordinator) =>
    client.post(`${w.base}/tasks`, body, key === undefined ? {} : { "idempotency-key": key });

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await extendWorld(ctx, await createWorld(ctx));
  });

  it("a task sent twice with one key is created once; the second answer is the first's, marked as given again", async () => {
    const title = unique("Print the banners");
    const key = crypto.randomUUID();
    const first = await createTask({ title }, key);
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await createTask({ title }, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json(Task).id).toBe(first.json(Task).id);
    expect(again.text).toBe(first.text);
    expect(await tasksNamed(title)).toBe(1);
  });

  it("without a key, or with another key, each request is its own", async () => {
    const title = unique("Two on purpose");
    expect((await createTask({ title })).status).toBe(201);
    expect((await createTask({ title })).status).toBe(201);
    expect((await createTask({ title }, crypto.randomUUID())).status).toBe(201);
    expect((await createTask({ title }, crypto.randomUUID())).status).toBe(201);
    expect(await tasksNamed(title)).toBe(4);
  });

  it("refuses the key sent with another request (422) and does nothing", async () => {
    const key = crypto.randomUUID();
    const title = unique("First");
    expect((await createTask({ title }, key)).status).toBe(201);
    const other = unique("Other");
    const reused = await createTask({ title: other }, key);
    expect(reused.status).toBe(422);
    expect(reused.json(Problem).code).toBe("idempotency_key_reused");
    expect(await tasksNamed(other)).toBe(0);
  });

  it("keeps each person's keys apart", async () => {
    const key = crypto.randomUUID();
    const campaign = await makeCampaign(w);
    const title = unique("Same key, two people");
    expect((await createTask({ title, campaignId: campaign.id }, key)).status).toBe(201);
    const theirs = await createTask({ title, campaignId: campaign.id }, key, w.clients.adminA);
    expect(theirs.status, theirs.text).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(await tasksNamed(title)).toBe(2);
  });

  it("leaves the key free when the request fails, even inside its transaction: sent again, it is applied", async () => {
    const key = crypto.randomUUID();
    const title = unique("After a failure");
    // Refused by the route's validation, before any transaction.
    expect((await createTask({ title: "" }, key)).status).toBe(400);
    // Refused inside the transaction that took the key (an unknown campaign, looked up there): the key goes back with it.
    const missing = await createTask({ title, campaignId: crypto.randomUUID() }, key);
    expect(missing.status).toBe(400);
    expect(missing.json(Problem).errors?.map((e) => e.path)).toEqual(["campaignId"]);
    const applied = await createTask({ title }, key);
    expect(applied.status, applied.text).toBe(201);
    expect(applied.headers.get("idempotent-replayed")).toBeNull();
    expect(await tasksNamed(title)).toBe(1);
  });

  it("of requests sent at once with one key, one is applied; the others get its answer or are told to wait, and no server error is logged", async () => {
    const key = crypto.randomUUID();
    const title = unique("At once");
    const lines: string[] = [];
    const logger = ctx.deps.logger;
    ctx.deps.logger = createLogger("info", new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }));
    const answers = await Promise.all(Array.from({ length: 6 }, () => createTask({ title }, key))).finally(() => {
      ctx.deps.logger = logger;
    });
    const entries = lines.flatMap((chunk) => chunk.split("\n").filter(Boolean)).map((line) => JSON.parse(line) as { level: number });
    expect(entries.filter((entry) => entry.level >= 50)).toEqual([]);
    expect(await tasksNamed(title)).toBe(1);
    const ids = new Set<string>();
    for (const answer of answers) {
      if (answer.status === 201) ids.add(answer.json(Task).id);
      else {
        expect(answer.status).toBe(409);
        expect(answer.json(Problem).code).toBe("idempotency_in_progress");
        expect(answer.headers.get("retry-after")).toBe("1");
      }
    }
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.status === 201 && a.headers.get("idempotent-replayed") === null)).toHaveLength(1);
  });

  it("comments, statements and ballots: sent again, done once", async () => {
    const task = (await createTask({ title: unique("Commented") })).json(Task);
    const commentKey = crypto.randomUUID();
    const comment = () =>
      w.clients.coordinator.post(`${w.base}/tasks/${task.id}/comments`, { body: "On my way." }, { "idempotency-key": commentKey });
    expect((await comment()).status).toBe(201);
    expect((await comment()).headers.get("idempotent-replayed")).toBe("true");
    expect((await ctx.db.selectFrom("task_comment").where("task_id", "=", task.id).select("id").execute()).length).toBe(1);

    const statementKey = crypto.randomUUID();
    const title = unique("A statement");
    const propose = () =>
      w.clients.memberA.post(`${w.base}/statements`, { title, bodyEn: "We stand together." }, { "idempotency-key": statementKey });
    const proposed = await propose();
    expect(proposed.status, proposed.text).toBe(201);
    expect((await propose()).json(Statement).id).toBe(proposed.json(Statement).id);
    expect((await ctx.db.selectFrom("statement").where("title", "=", title).select("id").execute()).length).toBe(1);

    const { url, statementId } = await draftAndOpen(w);
    const representative = await addRepresentative(ctx, w.orgA.id);
    const ballotKey = crypto.randomUUID();
    const cast = () =>
      representative.client.post(
        `${url}/vote/ballots`,
        { organisationId: w.orgA.id, choice: "endorse", named: true },
        { "idempotency-key": ballotKey },
      );
    const first = await cast();
    expect(first.status, first.text).toBe(201);
    const again = await cast();
    expect(again.json(BallotReceipt)).toEqual(first.json(BallotReceipt));
    const ballots = await ctx.db
      .selectFrom("ballot")
      .innerJoin("vote", "vote.id", "ballot.vote_id")
      .where("ballot.organisation_id", "=", w.orgA.id)
      .where("vote.statement_id", "=", statementId)
      .select("ballot.id")
      .execute();
    expect(ballots).toHaveLength(1);
  });

  it("a campaign, its update, a contribution and a letter sent: sent again, done once", async () => {
    /** Sends `body` to `path` twice with one key: the second is the first's answer, given again. */
    const twice = async (path: string, body: unknown, client = w.clients.coordinator) => {
      const key = crypto.randomUUID();
      const first = await client.post(path, body, { "idempotency-key": key });
      expect(first.status, `${path}: ${first.text}`).toBe(201);
      const again = await client.post(path, body, { "idempotency-key": key });
      expect(again.headers.get("idempotent-replayed"), path).toBe("true");
      expect(again.text).toBe(first.text);
      return first.body as { id: string };
    };
    const count = async (table: "campaign" | "campaign_update" | "contribution" | "letter") =>
      Number(
        (
          await ctx.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = {
      campaign: await count("campaign"),
      update: await count("campaign_update"),
      contribution: await count("contribution"),
      letter: await count("letter"),
    };

    const campaign = await twice(`${w.base}/campaigns`, { title: unique("Once"), ownerOrganisationIds: [w.orgA.id] });
    const campaignPath = `${w.base}/campaigns/${campaign.id}`;
    await twice(`${campaignPath}/updates`, { body: "The march starts at nine." });
    const metric = await w.clients.coordinator.post(`${campaignPath}/metrics`, { name: "Ribbons handed out" });
    expect(metric.status, metric.text).toBe(201);
    await twice(
      `${campaignPath}/metrics/${(metric.body as { id: string }).id}/contributions`,
      {
        organisationId: w.orgA.id,
        amount: 40,
        date: "2026-11-20",
      },
      w.clients.adminA,
    );
    const target = await w.clients.coordinator.post(`${w.base}/letter-targets`, {
      nameEn: unique("MP"),
      nameKm: "តំណាងរាស្ត្រ",
      province: "KH-12",
    });
    expect(target.status, target.text).toBe(201);
    const targetId = (target.body as { id: string }).id;
    const action = await w.clients.coordinator.post(`${campaignPath}/letter-actions`, {
      title: unique("Letter"),
      subjectEn: "Please support the bill",
      bodyEn: "Dear {name}, please support the bill.",
      targetIds: [targetId],
    });
    expect(action.status, action.text).toBe(201);
    await twice(
      `${campaignPath}/letter-actions/${(action.body as { id: string }).id}/letters`,
      {
        targetId,
        organisationId: w.orgA.id,
        sentOn: "2026-11-02",
        channel: "hand",
        deliveryConfirmed: true,
      },
      w.clients.adminA,
    );

    expect({
      campaign: await count("campaign"),
      update: await count("campaign_update"),
      contribution: await count("contribution"),
      letter: await count("letter"),
    }).toEqual({
      campaign: before.campaign + 1,
      update: before.update + 1,
      contribution: before.contribution + 1,
      letter: before.letter + 1,
    });
  });

  it("refuses a key that is not 1 to 255 visible characters, beside the header's name", async () => {
    for (const key of ["", "with space", "x".repeat(256)]) {
      const res = await createTask({ title: unique("Bad key") }, key);
      expect(res.status, key).toBe(400);
      expect(res.json(Problem).errors?.map((e) => e.path)).toEqual(["Idempotency-Key"]);
    }
  });

  it("forgets keys after a day", async () => {
    const old = crypto.randomUUID();
    const fresh = crypto.randomUUID();
    expect((await createTask({ title: unique("Old") }, old)).status).toBe(201);
    expect((await createTask({ title: unique("Fresh") }, fresh)).status).toBe(201);
    await ctx.db
      .updateTable("idempotent_request")
      .set({ created_at: sql<Date>`now() - interval '25 hours'` })
      .where("key", "=", old)
      .execute();
    expect(await pruneIdempotencyKeys(ctx.db)).toBeGreaterThanOrEqual(1);
    const left = await ctx.db.selectFrom("idempotent_request").where("key", "in", [old, fresh]).select("key").execute();
    expect(left.map((r) => r.key)).toEqual([fresh]);
  });
});
