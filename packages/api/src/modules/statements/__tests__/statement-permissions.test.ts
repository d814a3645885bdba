import type { TurnoutList } from "@samakki/shared/statements";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext, type TestResponse } from "../../../../test/app.ts";
import { addMember, createPerson, createWorld, signInAs } from "../../../../test/factories/index.ts";
import { checkPermissions, expectInvalid, expectNothingChanged } from "../../../../test/permissions.ts";
import { coalitionPeople } from "../../statement-lookups/statement-lookups.repository.ts";
import {
  auditOf,
  ballotsOf,
  cast,
  draft,
  draftAndOpen,
  expectProblem,
  HOUR,
  localIn,
  notificationsPerPerson,
  open,
  orgWithRepresentative,
  type StatementView,
  statementStates,
  type World,
} from "./helpers.ts";

describe("statements and votes: permissions both ways", () => {
  let ctx: TestContext;
  let w: World;
  /** Invited at the opening, active afterwards: a late joiner. */
  let late: Awaited<ReturnType<typeof orgWithRepresentative>>;
  /** Active at the opening, suspended afterwards; its representative is also a plain member of orgB (so sees the coalition). */
  let suspendedLater: Awaited<ReturnType<typeof orgWithRepresentative>>;
  /** A representative of the suspended organisation who is also a plain member of orgB. */
  let suspendedRep: TestClient;
  let opened: Awaited<ReturnType<typeof draftAndOpen>>;

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    late = await orgWithRepresentative(ctx, w.coalition.id, "invited");
    suspendedLater = await orgWithRepresentative(ctx, w.coalition.id, "active");
    await addMember(ctx, w.orgB.id, suspendedLater.person.id, "member", false);
    const rep = await createPerson(ctx);
    await addMember(ctx, w.suspendedOrg.id, rep.id, "admin");
    await addMember(ctx, w.orgB.id, rep.id, "member", false);
    suspendedRep = await signInAs(ctx, rep);

    opened = await draftAndOpen(w);
    await ctx.db.updateTable("coalition_member").set({ status: "active" }).where("organisation_id", "=", late.org.id).execute();
    await ctx.db
      .updateTable("coalition_member")
      .set({ status: "suspended" })
      .where("organisation_id", "=", suspendedLater.org.id)
      .execute();
  });

  it('the statement list refuses a cursor it did not issue (400 query.cursor), not "from the start"', async () => {
    for (const cursor of ["garbage", Buffer.from("2026-01-01T00:00:00.000Z|not-a-uuid").toString("base64url")])
      await expectInvalid(ctx, () => w.clients.memberA.get(`/api/coalitions/${w.coalition.id}/statements?cursor=${cursor}`), [
        "query.cursor",
      ]);
  });

  it("eligible organisations are those active at the opening: observers, suspended and late joiners are not", async () => {
    const view = await w.clients.memberA.get<StatementView>(opened.url);
    expect(view.body.vote?.turnout).toEqual({ eligible: 4, voted: 0 });
    const turnout = await w.clients.coordinator.get<TurnoutList>(`${opened.url}/vote/turnout`);
    expect(turnout.body.organisations.map((o) => o.id).sort()).toEqual(
      [w.secretariat.id, w.orgA.id, w.orgB.id, suspendedLater.org.id].sort(),
    );
    const rows = await ctx.db.selectFrom("vote_eligible").where("vote_id", "=", opened.voteId).select("organisation_id").execute();
    expect(rows.map((r) => r.organisation_id)).not.toContain(late.org.id);
    expect(rows.map((r) => r.organisation_id)).not.toContain(w.observerOrg.id);
    expect(rows.map((r) => r.organisation_id)).not.toContain(w.suspendedOrg.id);
  });

  it("only representatives of eligible, active organisations cast; every refusal changes nothing", async () => {
    const { url } = opened;
    const refusals: Record<string, [TestClient, string, number]> = {
      "plain member": [w.clients.memberA, w.orgA.id, 403],
      "coordinator for an organisation they do not represent": [w.clients.coordinator, w.orgA.id, 403],
      "representative of A for B": [w.clients.adminA, w.orgB.id, 403],
      observer: [w.clients.observer, w.observerOrg.id, 403],
      "late joiner": [late.client, late.org.id, 403],
      "organisation suspended after the opening": [suspendedLater.client, suspendedLater.org.id, 403],
      "representative of a suspended organisation (visible through another)": [suspendedRep, w.suspendedOrg.id, 403],
      "person of a suspended organisation only": [w.clients.suspended, w.suspendedOrg.id, 404],
      "other coalition": [w.clients.outsider, w.otherOrg.id, 404],
      "other coalition, for an eligible organisation": [w.clients.outsider, w.orgA.id, 404],
      "signed out": [w.clients.anonymous, w.orgA.id, 401],
    };
    const entries = Object.entries(refusals);
    await checkPermissions(
      ctx,
      Object.fromEntries(entries.map(([who, [client]]) => [who, client])),
      (who) => ({
        method: "POST",
        path: `${url}/vote/ballots`,
        body: { organisationId: refusals[who]?.[1], choice: "endorse" },
        state: () => statementStates(ctx),
      }),
      Object.fromEntries(entries.map(([who, [, , status]]) => [who, status])),
    );
    const mine = await w.clients.adminA.get<StatementView>(url);
    expect(mine.body.vote?.myOrganisations.map((m) => [m.organisation.id, m.canCast])).toEqual([[w.orgA.id, true]]);
    const plain = await w.clients.memberA.get<StatementView>(url);
    expect(plain.body.vote?.myOrganisations.map((m) => m.canCast)).toEqual([false]);

    const ok = await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" });
    expect(ok.status).toBe(201);
    expect(await ballotsOf(ctx, opened.voteId)).toHaveLength(1);
  });

  it("only coordinators open, close, cancel, withdraw and publish; members get 403, other coalitions 404, signed out 401", async () => {
    const { url, statement } = await draft(w, w.clients.memberA);
    const body = { versionId: statement.current.id, closesAt: localIn(2 * HOUR) };
    const attempts: [string, string, unknown][] = [
      ["open", `${url}/vote`, body],
      ["close", `${url}/vote/close`, undefined],
      ["cancel", `${url}/vote/cancel`, undefined],
      ["withdraw", `${url}/withdraw`, undefined],
      ["publish", `${url}/publish`, undefined],
    ];
    const actors: [string, TestClient, number][] = [
      ["author (plain member)", w.clients.memberA, 403],
      ["organisation admin", w.clients.adminA, 403],
      ["observer", w.clients.observer, 403],
      ["other coalition's coordinator", w.clients.outsider, 404],
      ["signed out", w.clients.anonymous, 401],
    ];
    const clients = Object.fromEntries(actors.map(([who, client]) => [who, client]));
    const refused = Object.fromEntries(actors.map(([who, , status]) => [who, status]));
    const state = () => statementStates(ctx);
    for (const [, path, body] of attempts) await checkPermissions(ctx, clients, { method: "POST", path, body, state }, refused);

    // The coordinator succeeds at each, in a sensible order.
    const openRes = await w.clients.coordinator.post<StatementView>(`${url}/vote`, body);
    expect(openRes.status).toBe(201);
    for (const [who, client, status] of actors) {
      expect((await client.post(`${url}/vote/cancel`)).status, who).toBe(status);
      expect((await client.post(`${url}/vote/close`)).status, who).toBe(status);
    }
    expect((await w.clients.coordinator.post(`${url}/vote/cancel`)).status).toBe(204);
    await open(w, url, statement.current.id, { quorum: 0.2 });
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(201);
    await sql`UPDATE vote SET closes_at = now() - interval '1 second' WHERE statement_id = ${statement.id} AND status = 'open'`.execute(
      ctx.db,
    );
    // After the closing time a coordinator's close is the ordinary close, even if not everyone voted.
    const closed = await w.clients.coordinator.post<StatementView>(`${url}/vote/close`);
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.status).toBe("adopted");
    await checkPermissions(ctx, clients, { method: "POST", path: `${url}/publish`, state }, refused);
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);
    expect((await w.clients.anonymous.get(`/statements/${statement.id}`)).status).toBe(200);

    const other = await draft(w, w.clients.memberA);
    expect((await w.clients.coordinator.post(`${other.url}/withdraw`)).status).toBe(204);
    expect(await auditOf(ctx, other.statement.id, ["statement.withdraw"])).toHaveLength(1);
  });

  it("casting, opening, closing, cancelling and publishing need a recent authentication (20 minutes ago → 403 reauthentication_required)", async () => {
    const stale = await createPerson(ctx);
    await addMember(ctx, w.secretariat.id, stale.id, "admin");
    await ctx.db.insertInto("coordinator").values({ coalition_id: w.coalition.id, person_id: stale.id }).execute();
    const staleClient = await signInAs(ctx, stale);
    await sql`UPDATE session SET recent_auth_at = now() - interval '20 minutes' WHERE person_id = ${stale.id}`.execute(ctx.db);

    const { url, statement } = await draft(w, w.clients.memberA);
    const state = () => statementStates(ctx);
    const refused = async (send: () => Promise<TestResponse>) =>
      expectProblem(await expectNothingChanged(ctx, send, { state }), 403, "reauthentication_required");
    await refused(() => staleClient.post(`${url}/vote`, { versionId: statement.current.id, closesAt: localIn(2 * HOUR) }));

    await open(w, url, statement.current.id);
    for (const path of ["vote/close", "vote/cancel"]) await refused(() => staleClient.post(`${url}/${path}`));
    await refused(() => cast(staleClient, url, { organisationId: w.secretariat.id, choice: "endorse" }));

    // Reading still works with an old authentication.
    expect((await staleClient.get(url)).status).toBe(200);

    for (const [client, organisationId] of [
      [w.clients.adminA, w.orgA.id],
      [w.clients.adminB, w.orgB.id],
      [w.clients.coordinator, w.secretariat.id],
      [late.client, late.org.id],
    ] as const) {
      expect((await cast(client, url, { organisationId, choice: "endorse" })).status).toBe(201);
    }
    // The late joiner is active now, so eligible in this vote; suspendedLater is not (suspended at its opening): everyone has voted.
    expect((await w.clients.coordinator.post(`${url}/vote/close`)).status).toBe(200);
    await refused(() => staleClient.post(`${url}/publish`));
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);
  });

  describe("opening rules", () => {
    it("closesAt less than an hour ahead, or not a real date → 400; a version of another statement → 400", async () => {
      const { url, statement } = await draft(w, w.clients.memberA);
      const other = await draft(w, w.clients.memberA);
      await expectNothingChanged(
        ctx,
        async () => {
          for (const closesAt of [
            localIn(30 * 60_000),
            localIn(-HOUR),
            "2027-02-30T10:00",
            "2027-01-01T25:00",
            "2027-13-01T10:00",
            "0000-01-01T10:00",
            "tomorrow",
          ]) {
            const res = await w.clients.coordinator.post(`${url}/vote`, { versionId: statement.current.id, closesAt });
            expectProblem(res, 400, "validation_failed");
            expect((res.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain("closesAt");
          }
          const wrongVersion = await w.clients.coordinator.post(`${url}/vote`, {
            versionId: other.statement.current.id,
            closesAt: localIn(2 * HOUR),
          });
          expectProblem(wrongVersion, 400, "validation_failed");
        },
        { state: () => statementStates(ctx) },
      );
      // 61 minutes ahead is accepted.
      expect(
        (await w.clients.coordinator.post(`${url}/vote`, { versionId: statement.current.id, closesAt: localIn(62 * 60_000) })).status,
      ).toBe(201);
    });

    it("a withdrawn statement cannot get a vote (422)", async () => {
      const { url, statement } = await draft(w, w.clients.memberA);
      expect((await w.clients.coordinator.post(`${url}/withdraw`)).status).toBe(204);
      const res = await expectNothingChanged(
        ctx,
        () => w.clients.coordinator.post(`${url}/vote`, { versionId: statement.current.id, closesAt: localIn(2 * HOUR) }),
        { state: () => statementStates(ctx) },
      );
      expectProblem(res, 422, "precondition_failed");
      // Nor can it be edited again.
      expectProblem(await w.clients.memberA.post(`${url}/versions`, { title: "Again", bodyEn: "text" }), 422);
    });

    it("only one open vote per statement, even when five coordinators' requests race", async () => {
      const { url, statement } = await draft(w, w.clients.memberA);
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          w.clients.coordinator.post(`${url}/vote`, { versionId: statement.current.id, closesAt: localIn(2 * HOUR) }),
        ),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      for (const r of responses.filter((x) => x.status !== 201)) expect([409, 422]).toContain(r.status);
      const votes = await ctx.db.selectFrom("vote").where("statement_id", "=", statement.id).select("status").execute();
      expect(votes).toEqual([{ status: "open" }]);
      const opens = await ctx.db
        .selectFrom("audit_event")
        .where("action", "=", "vote.open")
        .where(sql<boolean>`after->>'statementId' = ${statement.id}`)
        .select("id")
        .execute();
      expect(opens).toHaveLength(1);
      expectProblem(await w.clients.coordinator.post(`${url}/vote`, { versionId: statement.current.id, closesAt: localIn(3 * HOUR) }), 422);
    });
  });

  it("cancelling: the statement is a draft again, audited, everyone notified; the cancelled vote's ballots count nowhere", async () => {
    const { url, statementId, versionId, voteId } = await draftAndOpen(w);
    const first = await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "object", comment: "cancelled ballot" });
    expect(first.status).toBe(201);
    expect((await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "object" })).status).toBe(201);
    expect((await w.clients.coordinator.post(`${url}/vote/cancel`)).status).toBe(204);

    const afterCancel = await w.clients.memberA.get<StatementView>(url);
    expect(afterCancel.body.status).toBe("draft");
    expect(afterCancel.body.vote).toBeNull();
    const audit = await auditOf(ctx, voteId, ["vote.cancel"]);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_id).toBe(w.people.coordinator.id);
    const people = await coalitionPeople(ctx.db, w.coalition.id);
    const per = await notificationsPerPerson(ctx, "vote_cancelled", statementId);
    expect([...per.keys()].sort()).toEqual(people.filter((p) => p !== w.people.coordinator.id).sort());
    expect([...per.values()].every((n) => n === 1)).toBe(true);
    expectProblem(await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" }), 422);
    expectProblem(await w.clients.coordinator.post(`${url}/vote/cancel`), 422);
    expectProblem(await w.clients.memberA.get(`${url}/vote/verify`), 404);

    // A new vote starts clean: no ballot, no "has voted" from the cancelled one.
    const vote = await open(w, url, versionId, { quorum: 0.3 });
    expect(vote.turnout.voted).toBe(0);
    const turnout = await w.clients.coordinator.get<TurnoutList>(`${url}/vote/turnout`);
    expect(turnout.body.organisations.length).toBe(vote.turnout.eligible);
    expect(turnout.body.organisations.every((o) => !o.hasVoted)).toBe(true);
    const mine = await w.clients.adminA.get<StatementView>(url);
    expect(mine.body.vote?.myOrganisations[0]?.ballot).toBeNull();
    expect(mine.body.vote?.myOrganisations[0]?.history).toEqual([]);
    expect((await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "endorse" })).status).toBe(201);
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "abstain" })).status).toBe(201);
    await sql`UPDATE vote SET closes_at = now() - interval '1 second' WHERE id = ${vote.id}`.execute(ctx.db);
    const closed = await w.clients.coordinator.post<StatementView>(`${url}/vote/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe("adopted");
    expect(closed.body.vote?.tally).toMatchObject({ cast: 2, endorse: 1, object: 0, abstain: 1 });
    expect(closed.body.vote?.receipts).not.toContain(first.body.receipt);
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);
    const page = await w.clients.anonymous.get(`/statements/${statementId}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(first.body.receipt);
    expect(page.text).not.toContain("cancelled ballot");
  });
});
