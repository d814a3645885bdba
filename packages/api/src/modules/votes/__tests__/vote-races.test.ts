import { BallotReceipt, type Statement } from "@samakki/shared/statements";
import { sql, type Transaction } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext, type TestResponse } from "../../../../test/app.ts";
import { setDatabaseClockOffset } from "../../../../test/clock.ts";
import { addMember, createPerson, createWorld, signInAs } from "../../../../test/factories/index.ts";
import { loadConfig } from "../../../config.ts";
import type { DB } from "../../../db/schema.ts";
import { verifyAuditChain } from "../../audit/audit.service.ts";
import { coalitionPeople } from "../../statement-lookups/statement-lookups.repository.ts";
import {
  addRepresentative,
  auditOf,
  ballotsOf,
  cast,
  draftAndOpen,
  notificationsPerPerson,
  orgWithRepresentative,
  type World,
} from "../../statements/__tests__/helpers.ts";
import { closeDueVotes, remindClosingVotes } from "../votes.closing.ts";

/**
 * Races against the real database. Run with DATABASE_URL for true parallelism (PGlite serialises
 * transactions, so there the same tests check the logic with fewer rounds).
 */
const HOUR = 3_600_000;

describe("races against the real database", () => {
  let ctx: TestContext;
  let w: World;
  let secondA: { person: { id: string }; client: TestClient };
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    secondA = await addRepresentative(ctx, w.orgA.id);
  });

  const isCleanRefusal = (res: TestResponse) =>
    (res.status === 409 || res.status === 422) && (res.headers.get("content-type") ?? "").includes("application/problem+json");

  it("50 concurrent casts from two representatives of one organisation, repeated many times → exactly one counted ballot each time, a complete history, every response either success or a clean problem+json", async () => {
    const rounds = ctx.handle.engine === "postgres" ? 12 : 3;
    const choices = ["endorse", "object", "abstain"] as const;
    for (let round = 0; round < rounds; round++) {
      const { url, voteId } = await draftAndOpen(w);
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const client = i % 2 === 0 ? w.clients.adminA : secondA.client;
          return cast(client, url, {
            organisationId: w.orgA.id,
            choice: choices[i % 3] ?? "endorse",
            named: i % 4 < 2,
            comment: `round ${round} request ${i}`,
          });
        }),
      );
      const accepted = responses.filter((r) => r.status === 201);
      for (const res of responses) {
        if (res.status !== 201) expect(isCleanRefusal(res), `round ${round}: ${res.status} ${res.text}`).toBe(true);
      }
      expect(accepted.length).toBeGreaterThan(0);
      // Exactly one of the accepted casts found no earlier ballot.
      expect(accepted.filter((r) => !r.json(BallotReceipt).changed)).toHaveLength(1);

      const ballots = await ballotsOf(ctx, voteId);
      expect(ballots.every((b) => b.organisation_id === w.orgA.id)).toBe(true);
      expect(ballots).toHaveLength(accepted.length);
      const counted = ballots.filter((b) => b.superseded_at === null);
      expect(counted).toHaveLength(1);
      expect(ballots.filter((b) => b.superseded_at !== null)).toHaveLength(ballots.length - 1);
      // A complete history: each earlier ballot was superseded at the moment the next one was cast.
      const castTimes = ballots.map((b) => b.cast_at.getTime()).sort((a, b) => a - b);
      const supersededTimes = ballots.flatMap((b) => (b.superseded_at ? [b.superseded_at.getTime()] : [])).sort((a, b) => a - b);
      expect(supersededTimes).toEqual(castTimes.slice(1));
      const latest = counted[0];
      expect(latest?.cast_at.getTime()).toBe(castTimes[castTimes.length - 1]);
      // Every receipt handed out is a stored ballot's, and the counted one is the latest's.
      const receipts = new Set(ballots.map((b) => b.receipt));
      expect(accepted.every((r) => receipts.has(r.json(BallotReceipt).receipt))).toBe(true);
      expect(new Set(accepted.map((r) => r.json(BallotReceipt).receipt)).size).toBe(accepted.length);

      const audit = await auditOf(ctx, voteId, ["ballot.cast", "ballot.change"]);
      expect(audit).toHaveLength(accepted.length);
      expect(audit.filter((a) => a.action === "ballot.cast")).toHaveLength(1);
      const auditedBallots = new Set(audit.map((a) => (a.after as { ballotId?: string }).ballotId));
      expect(ballots.every((b) => auditedBallots.has(b.id))).toBe(true);

      const view = await w.clients.adminA.get<Statement>(url);
      const mine = view.body.vote?.myOrganisations.find((m) => m.organisation.id === w.orgA.id);
      expect(mine?.ballot?.receipt).toBe(latest?.receipt);
      expect(mine?.history).toHaveLength(accepted.length);
    }
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  }, 120_000);

  it("requests straddling the closing time → none accepted after it (the database clock jumps past it while casts are in flight)", async () => {
    const { url, voteId } = await draftAndOpen(w);
    const reps = [
      { client: w.clients.adminA, organisationId: w.orgA.id },
      { client: secondA.client, organisationId: w.orgA.id },
      { client: w.clients.adminB, organisationId: w.orgB.id },
      { client: w.clients.coordinator, organisationId: w.secretariat.id },
    ];
    const updated = await sql<{ closes_at: Date }>`
      UPDATE vote SET closes_at = date_trunc('milliseconds', app_now()) + interval '1 hour'
      WHERE id = ${voteId} RETURNING closes_at`.execute(ctx.db);
    const closesAt = updated.rows[0]?.closes_at;
    if (!closesAt) throw new Error("no vote");
    type Sent = { phase: "before" | "straddling" | "after"; res: TestResponse<BallotReceipt>; organisationId: string };
    let i = 0;
    const wave = (phase: Sent["phase"]) =>
      Promise.all(
        reps.map(async (r): Promise<Sent> => {
          const choice = (i++ % 2 === 0 ? "endorse" : "object") as string;
          return { phase, res: await cast(r.client, url, { organisationId: r.organisationId, choice }), organisationId: r.organisationId };
        }),
      );
    const sent: Sent[] = [];
    try {
      // An hour before the closing time by the database clock: accepted, however slow the machine is.
      for (let k = 0; k < 2; k++) sent.push(...(await wave("before")));
      // The clock jumps an hour past the closing time while a wave is in flight.
      const [straddling] = await Promise.all([wave("straddling"), setDatabaseClockOffset(ctx.db, 2 * HOUR)]);
      sent.push(...straddling);
      for (let k = 0; k < 2; k++) sent.push(...(await wave("after")));

      const accepted = sent.filter((s) => s.res.status === 201);
      expect(sent.filter((s) => s.phase === "before").every((s) => s.res.status === 201)).toBe(true);
      for (const s of sent.filter((x) => x.res.status !== 201)) {
        expect(s.res.status, s.res.text).toBe(422);
        expect(s.res.headers.get("content-type")).toContain("application/problem+json");
      }
      // Requests sent after the closing time are all refused; accepted ones were cast before it.
      for (const s of sent.filter((x) => x.phase === "after")) expect(s.res.status).toBe(422);
      for (const s of accepted) expect(new Date(s.res.body.castAt).getTime()).toBeLessThan(closesAt.getTime());
      const ballots = await ballotsOf(ctx, voteId);
      expect(ballots).toHaveLength(accepted.length);
      expect(ballots.every((b) => b.cast_at.getTime() < closesAt.getTime())).toBe(true);

      // The job closes it (and the earlier tests' votes, also past their time on the moved clock).
      expect(await closeDueVotes({ db: ctx.db })).toBeGreaterThanOrEqual(1);
      const vote = await ctx.db.selectFrom("vote").where("id", "=", voteId).selectAll().executeTakeFirstOrThrow();
      expect(vote.status).toBe("closed");
      const orgsAccepted = new Set(accepted.map((s) => s.organisationId));
      expect(vote.tally?.cast).toBe(orgsAccepted.size);
      // The counted ballot of each organisation is its last accepted one.
      for (const organisationId of orgsAccepted) {
        const own = ballots.filter((b) => b.organisation_id === organisationId);
        const counted = own.filter((b) => b.superseded_at === null);
        expect(counted).toHaveLength(1);
        expect(counted[0]?.cast_at.getTime()).toBe(Math.max(...own.map((b) => b.cast_at.getTime())));
      }
      // After the close, casting is refused and nothing more is stored.
      expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(422);
      expect(await ballotsOf(ctx, voteId)).toHaveLength(accepted.length);
    } finally {
      await setDatabaseClockOffset(ctx.db, 0);
    }
  }, 60_000);

  /**
   * Holds a row lock in a transaction of its own (`take` takes it) until `release`, as a cast in
   * flight holds its organisation's eligibility row and a share lock on its vote, and runs
   * `beforeCommit` in it then. `untilQueued` waits until one statement (the request under test) is
   * blocked behind it.
   */
  async function holdLock(take: (trx: Transaction<DB>) => Promise<unknown>, beforeCommit?: (trx: Transaction<DB>) => Promise<unknown>) {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holder = 0;
    const holding = ctx.db.transaction().execute(async (trx) => {
      await take(trx);
      holder = Number((await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx)).rows[0]?.pid);
      await released;
      await beforeCommit?.(trx);
    });
    await expect.poll(() => holder, { timeout: 10_000 }).toBeGreaterThan(0);
    return {
      untilQueued: () =>
        expect
          .poll(
            async () =>
              Number(
                (
                  await sql<{ n: number }>`
                    SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${holder}::int = ANY (pg_blocking_pids(pid))`.execute(ctx.db)
                ).rows[0]?.n,
              ),
            { timeout: 15_000 },
          )
          .toBe(1),
      release: async () => {
        release();
        await holding;
      },
    };
  }

  const holdEligibility = (voteId: string, organisationId: string) =>
    holdLock((trx) =>
      trx
        .selectFrom("vote_eligible")
        .where("vote_id", "=", voteId)
        .where("organisation_id", "=", organisationId)
        .select("organisation_id")
        .forUpdate()
        .execute(),
    );

  // PGlite runs one transaction at a time, so there a cast cannot wait on another's lock.
  it.runIf(Boolean(loadConfig().databaseUrl))(
    "a cast queued behind its organisation's lock reads the clock when its turn comes: the close passes during the wait → refused, nothing stored",
    async () => {
      const { url, voteId } = await draftAndOpen(w);
      const updated = await sql<{ closes_at: Date }>`
        UPDATE vote SET closes_at = date_trunc('milliseconds', app_now()) + interval '1 hour'
        WHERE id = ${voteId} RETURNING closes_at`.execute(ctx.db);
      expect(updated.rows).toHaveLength(1);
      const hold = await holdEligibility(voteId, w.orgA.id);
      try {
        // Sent an hour before the close; it waits on the lock while the clock passes the close.
        const queued = cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" });
        await hold.untilQueued();
        await setDatabaseClockOffset(ctx.db, 2 * HOUR);
        await hold.release();
        const res = await queued;
        expect(res.status, res.text).toBe(422);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect(await ballotsOf(ctx, voteId)).toHaveLength(0);
        expect(await auditOf(ctx, voteId, ["ballot.cast", "ballot.change"])).toHaveLength(0);
      } finally {
        await hold.release();
        await setDatabaseClockOffset(ctx.db, 0);
      }
    },
    60_000,
  );

  /*
   * The same queue, and the caster's standing changes while the cast waits in it: the removal
   * commits first, so the ballot must not count. The cast checked the membership before queueing,
   * and 27 such ballots were once accepted up to a second after their caster's removal. A coalition
   * of their own: the organisations these tests add would stay eligible in the other tests' votes.
   */
  describe.runIf(Boolean(loadConfig().databaseUrl))("a cast whose caster's standing changes while it queues", () => {
    let v: World;
    beforeAll(async () => {
      v = await createWorld(ctx);
    });
    // The removal is being written when the cast's turn comes: the cast waits for it (its share
    // lock on the membership) and then reads it as committed. A plain read would not wait, and
    // would accept the ballot of a representative whose removal commits a moment later.
    it("reads it under a share lock: a removal being written when the cast's turn comes is waited for → refused", async () => {
      const { org, person: rep, client } = await orgWithRepresentative(ctx, v.coalition.id);
      const { url, voteId } = await draftAndOpen(v);
      const membership = (trx: Transaction<DB>) =>
        trx.selectFrom("membership").where("organisation_id", "=", org.id).where("person_id", "=", rep.id);
      const hold = await holdLock(
        (trx) => membership(trx).select("person_id").forUpdate().execute(),
        (trx) => trx.deleteFrom("membership").where("organisation_id", "=", org.id).where("person_id", "=", rep.id).execute(),
      );
      try {
        const queued = cast(client, url, { organisationId: org.id, choice: "object" });
        await hold.untilQueued();
        await hold.release();
        const res = await queued;
        expect(res.status, res.text).toBe(403);
        expect(await ballotsOf(ctx, voteId)).toHaveLength(0);
      } finally {
        await hold.release();
      }
    }, 60_000);

    const removals: Record<string, (o: { org: { id: string }; rep: { id: string }; admin: TestClient }) => Promise<TestResponse>> = {
      "its caster is no longer a representative": (o) =>
        o.admin.request("PATCH", `/api/organisations/${o.org.id}/people/${o.rep.id}`, { representative: false }),
      "its caster has left the organisation": (o) => o.admin.request("DELETE", `/api/organisations/${o.org.id}/people/${o.rep.id}`),
      "its organisation is suspended": (o) =>
        v.clients.coordinator.request("PATCH", `/api/coalitions/${v.coalition.id}/members/${o.org.id}`, { status: "suspended" }),
    };
    for (const [change, remove] of Object.entries(removals)) {
      it(`reads it when its turn comes: ${change} during the wait → refused, nothing stored`, async () => {
        const { org, person: rep, client } = await orgWithRepresentative(ctx, v.coalition.id);
        const admin = await createPerson(ctx);
        await addMember(ctx, org.id, admin.id, "admin", false);
        const { url, voteId } = await draftAndOpen(v);
        const hold = await holdEligibility(voteId, org.id);
        try {
          const queued = cast(client, url, { organisationId: org.id, choice: "object" });
          await hold.untilQueued();
          const removed = await remove({ org, rep, admin: await signInAs(ctx, admin) });
          expect(removed.status, removed.text).toBe(204);
          await hold.release();
          const res = await queued;
          expect(res.status, res.text).toBe(403);
          expect(res.headers.get("content-type")).toContain("application/problem+json");
          expect(await ballotsOf(ctx, voteId)).toHaveLength(0);
          expect(await auditOf(ctx, voteId, ["ballot.cast", "ballot.change"])).toHaveLength(0);
        } finally {
          await hold.release();
        }
      }, 60_000);
    }
  });

  // The close waits for the casts in flight (each holds a share lock on the vote); it is dated when it closes.
  it.runIf(Boolean(loadConfig().databaseUrl))(
    "an early close that waited for a cast in flight is dated when it closed, not when it was asked for: after every ballot it counts",
    async () => {
      const { voteId, url } = await draftAndOpen(w);
      expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(201);
      expect((await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "object" })).status).toBe(201);
      expect((await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "endorse" })).status).toBe(201);
      const hold = await holdLock((trx) => trx.selectFrom("vote").where("id", "=", voteId).select("id").forShare().execute());
      try {
        const closing = w.clients.coordinator.post<Statement>(`${url}/vote/close`);
        await hold.untilQueued();
        // The database clock moves on a minute while the close waits.
        await setDatabaseClockOffset(ctx.db, 60_000);
        const waited = (await sql<{ at: Date }>`SELECT date_trunc('milliseconds', app_now()) AS at`.execute(ctx.db)).rows[0]?.at;
        await hold.release();
        const closed = await closing;
        expect(closed.status, closed.text).toBe(200);
        const vote = await ctx.db.selectFrom("vote").where("id", "=", voteId).select("closed_at").executeTakeFirstOrThrow();
        expect(vote.closed_at?.getTime()).toBeGreaterThanOrEqual(waited?.getTime() ?? Number.POSITIVE_INFINITY);
        for (const ballot of await ballotsOf(ctx, voteId))
          expect(ballot.cast_at.getTime()).toBeLessThanOrEqual(vote.closed_at?.getTime() ?? 0);
      } finally {
        await hold.release();
        await setDatabaseClockOffset(ctx.db, 0);
      }
    },
    60_000,
  );

  async function expectClosedOnce(statementId: string, voteId: string) {
    expect(await auditOf(ctx, voteId, ["vote.close"])).toHaveLength(1);
    const people = await coalitionPeople(ctx.db, w.coalition.id);
    const per = await notificationsPerPerson(ctx, "vote_result", statementId);
    expect([...per.keys()].sort()).toEqual([...people].sort());
    expect([...per.values()].every((n) => n === 1)).toBe(true);
    const vote = await ctx.db.selectFrom("vote").where("id", "=", voteId).select(["status", "outcome"]).executeTakeFirstOrThrow();
    expect(vote.status).toBe("closed");
  }

  it("ten concurrent closes by the background job → one result and one set of notifications", async () => {
    const { statementId, voteId, url } = await draftAndOpen(w);
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(201);
    expect((await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "endorse" })).status).toBe(201);
    await sql`UPDATE vote SET closes_at = now() - interval '1 second' WHERE id = ${voteId}`.execute(ctx.db);
    const results = await Promise.all(Array.from({ length: 10 }, () => closeDueVotes({ db: ctx.db })));
    expect(results.reduce((a, b) => a + b, 0)).toBe(1);
    await expectClosedOnce(statementId, voteId);
    expect((await w.clients.memberA.get<Statement>(url)).body.status).toBe("adopted");
    expect(await closeDueVotes({ db: ctx.db })).toBe(0);
  });

  it("ten concurrent early closes by the coordinator (and the job at the same time) → one result and one set of notifications", async () => {
    const { statementId, voteId, url } = await draftAndOpen(w);
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(201);
    expect((await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "object" })).status).toBe(201);
    expect((await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "abstain" })).status).toBe(201);
    const [closes, jobs] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, () => w.clients.coordinator.post<Statement>(`${url}/vote/close`))),
      Promise.all(Array.from({ length: 3 }, () => closeDueVotes({ db: ctx.db }))),
    ]);
    for (const res of closes) {
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe("rejected");
    }
    expect(jobs.reduce((a, b) => a + b, 0)).toBe(0);
    await expectClosedOnce(statementId, voteId);
  });

  it("a cancel racing early closes: one of them wins, never a 500 or a deadlock, and the statement matches the vote", async () => {
    const rounds = ctx.handle.engine === "postgres" ? 8 : 2;
    for (let round = 0; round < rounds; round++) {
      const { url, voteId } = await draftAndOpen(w);
      expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(201);
      expect((await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "endorse" })).status).toBe(201);
      expect((await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "endorse" })).status).toBe(201);
      const responses = await Promise.all([
        w.clients.coordinator.post(`${url}/vote/close`),
        w.clients.coordinator.post(`${url}/vote/cancel`),
        w.clients.coordinator.post(`${url}/vote/close`),
        w.clients.coordinator.post(`${url}/vote/cancel`),
      ]);
      for (const res of responses) expect([200, 204, 422], res.text).toContain(res.status);
      const vote = await ctx.db.selectFrom("vote").where("id", "=", voteId).select("status").executeTakeFirstOrThrow();
      const statement = await w.clients.memberA.get<Statement>(url);
      if (vote.status === "closed") {
        expect(statement.body.status).toBe("adopted");
        expect(await auditOf(ctx, voteId, ["vote.cancel"])).toHaveLength(0);
        expect(await auditOf(ctx, voteId, ["vote.close"])).toHaveLength(1);
      } else {
        expect(vote.status).toBe("cancelled");
        expect(statement.body.status).toBe("draft");
        expect(await auditOf(ctx, voteId, ["vote.close"])).toHaveLength(0);
        expect(await auditOf(ctx, voteId, ["vote.cancel"])).toHaveLength(1);
      }
    }
  }, 60_000);

  it("reminders: only representatives of organisations that have not voted, once even when run twice concurrently", async () => {
    const { statementId, url } = await draftAndOpen(w);
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(201);
    await Promise.all([remindClosingVotes({ db: ctx.db }), remindClosingVotes({ db: ctx.db })]);
    await remindClosingVotes({ db: ctx.db });
    const per = await notificationsPerPerson(ctx, "vote_closing", statementId);
    // orgB's admin and the secretariat's (the coordinator) have not voted; orgA's representatives have.
    expect([...per.keys()].sort()).toEqual([w.people.adminB.id, w.people.coordinator.id].sort());
    expect([...per.values()]).toEqual([1, 1]);
    expect(per.has(w.people.adminA.id) || per.has(secondA.person.id) || per.has(w.people.observer.id) || per.has(w.people.memberA.id)).toBe(
      false,
    );
  });
});
