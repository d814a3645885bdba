import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { closeDueVotes } from "../../votes/votes.closing.ts";

type World = Awaited<ReturnType<typeof createWorld>>;
const inTwoHours = () => {
  // A local time in Asia/Phnom_Penh (UTC+7), two hours from now.
  const d = new Date(Date.now() + 2 * 3600_000 + 7 * 3600_000);
  return d.toISOString().slice(0, 16);
};

describe("a joint statement from draft to publication", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  async function draftAndOpen(title: string) {
    const base = `/api/coalitions/${w.coalition.id}/statements`;
    const created = await w.clients.memberA.post<{ id: string; current: { id: string; sha256: string } }>(base, {
      title,
      bodyEn: "We stand for **free expression**.",
      bodyKm: "យើងគាំទ្រសេរីភាពនៃការបញ្ចេញមតិ។",
    });
    expect(created.status).toBe(201);
    const url = `${base}/${created.body.id}`;
    const opened = await w.clients.coordinator.post<{
      status: string;
      vote: { sha256: string; turnout: { eligible: number; voted: number } };
    }>(`${url}/vote`, {
      versionId: created.body.current.id,
      quorum: 0.5,
      threshold: "majority",
      closesAt: inTwoHours(),
    });
    expect(opened.status).toBe(201);
    expect(opened.body.status).toBe("voting");
    expect(opened.body.vote.sha256).toBe(created.body.current.sha256);
    expect(opened.body.vote.turnout).toEqual({ eligible: 3, voted: 0 });
    const turnout = await w.clients.coordinator.get<{ organisations: { id: string }[] }>(`${url}/vote/turnout`);
    expect(turnout.body.organisations.map((o) => o.id).sort()).toEqual([w.secretariat.id, w.orgA.id, w.orgB.id].sort());
    return { url, statementId: created.body.id };
  }

  it("votes, closes early, publishes, and the public page names only named endorsers", async () => {
    const { url, statementId } = await draftAndOpen("On the arrest of journalists");
    expect((await w.clients.memberA.post(`${url}/versions`, { title: "Changed", bodyEn: "x" })).status).toBe(422);
    expect((await w.clients.memberA.post(`${url}/vote/ballots`, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(403);
    expect((await w.clients.observer.post(`${url}/vote/ballots`, { organisationId: w.observerOrg.id, choice: "endorse" })).status).toBe(
      403,
    );
    expect((await w.clients.outsider.post(`${url}/vote/ballots`, { organisationId: w.otherOrg.id, choice: "endorse" })).status).toBe(404);

    const first = await w.clients.adminA.post<{ receipt: string }>(`${url}/vote/ballots`, { organisationId: w.orgA.id, choice: "object" });
    expect(first.status).toBe(201);
    const changed = await w.clients.adminA.post<{ receipt: string; changed: boolean }>(`${url}/vote/ballots`, {
      organisationId: w.orgA.id,
      choice: "endorse",
      named: true,
    });
    expect(changed.body.changed).toBe(true);
    const anonymous = await w.clients.adminB.post<{ receipt: string }>(`${url}/vote/ballots`, {
      organisationId: w.orgB.id,
      choice: "endorse",
      named: false,
    });
    expect(anonymous.status).toBe(201);
    expect((await w.clients.coordinator.post(`${url}/vote/close`)).status).toBe(422);
    const secretariat = await w.clients.coordinator.post<{ receipt: string }>(`${url}/vote/ballots`, {
      organisationId: w.secretariat.id,
      choice: "object",
      comment: "Too strong",
    });
    expect(secretariat.status).toBe(201);

    const closed = await w.clients.coordinator.post<{
      status: string;
      vote: { outcome: string; receipts: string[]; tally: { endorse: number; named: number; anonymous: number } };
    }>(`${url}/vote/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe("adopted");
    expect(closed.body.vote.tally).toMatchObject({ endorse: 2, named: 1, anonymous: 1 });
    expect(closed.body.vote.receipts.sort()).toEqual([changed.body.receipt, anonymous.body.receipt, secretariat.body.receipt].sort());
    expect(closed.body.vote.receipts).not.toContain(first.body.receipt);
    expect((await w.clients.adminA.post(`${url}/vote/ballots`, { organisationId: w.orgA.id, choice: "object" })).status).toBe(422);

    const verify = await w.clients.memberA.get<{ matches: boolean }>(`${url}/vote/verify`);
    expect(verify.body.matches).toBe(true);

    expect((await w.clients.adminA.post(`${url}/publish`)).status).toBe(403);
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);
    const page = await ctx.anonymous().get(`/statements/${statementId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain(w.orgA.name);
    expect(page.text).not.toContain(w.orgB.name);
    expect(page.text).not.toContain(w.secretariat.name);
    expect(page.text).not.toContain("Too strong");
    expect(page.text).not.toContain("<script");
    const feed = await ctx.anonymous().get(`/coalitions/${w.coalition.slug}/statements.atom`);
    expect(feed.status).toBe(200);
    expect(feed.text).toContain(`/statements/${statementId}`);
    expect(feed.text).not.toContain(w.orgB.name);
  });

  it("closes at its time from the background job, once, even when ten jobs race", async () => {
    const { url, statementId } = await draftAndOpen("On the draft cybercrime law");
    await w.clients.adminA.post(`${url}/vote/ballots`, { organisationId: w.orgA.id, choice: "endorse" });
    await sql`UPDATE vote SET closes_at = now() - interval '1 second' WHERE statement_id = ${statementId}`.execute(ctx.db);
    expect((await w.clients.adminB.post(`${url}/vote/ballots`, { organisationId: w.orgB.id, choice: "endorse" })).status).toBe(422);
    const results = await Promise.all(Array.from({ length: 10 }, () => closeDueVotes({ db: ctx.db })));
    expect(results.reduce((a, b) => a + b, 0)).toBe(1);
    const statement = await w.clients.memberA.get<{ status: string }>(url);
    // 1 of 3 eligible organisations voted: below the 50 % quorum.
    expect(statement.body.status).toBe("no_quorum");
    const closings = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "vote.close")
      .where("coalition_id", "=", w.coalition.id)
      .select("target_id")
      .execute();
    expect(closings.filter((c) => c.target_id !== null)).toHaveLength(2);
  });
});
