/**
 * Why a reader casts no ballot (votes.read.ts getVoteInfo): the vote panel tells them. Their
 * organisation is an observer, or was not an active member when the vote opened (not in the
 * eligibility snapshot): `myOrganisationsNotVoting`, with the reason. Not a representative: their
 * organisation's entry in `myOrganisations`, which they cannot cast. What the answer says of the
 * reader's organisations depends on nothing another organisation voted (docs/security.md §10).
 */

import { Statement, type VoteInfo } from "@samakki/shared/statements";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext } from "../../../../test/app.ts";
import { addMember, createPerson, createWorld, signInAs } from "../../../../test/factories/index.ts";
import { cast, draftAndOpen, orgWithRepresentative, type World } from "../../statements/__tests__/helpers.ts";

/** What the answer says of the reader's own organisations: whether and why each one votes. */
const ownStanding = (vote: VoteInfo) => ({
  voting: vote.myOrganisations.map((m) => ({ id: m.organisation.id, canCast: m.canCast })),
  notVoting: vote.myOrganisationsNotVoting.map((n) => ({ id: n.organisation.id, reason: n.reason })),
});

describe("a reader whose organisation casts no ballot is told why", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  async function read(client: TestClient, url: string): Promise<VoteInfo> {
    const res = await client.get(url);
    expect(res.status, res.text).toBe(200);
    const vote = res.json(Statement).vote;
    if (!vote) throw new Error("no vote");
    return vote;
  }

  it("an observer organisation: no ballot box, the reason observer", async () => {
    const { url } = await draftAndOpen(w);
    const vote = await read(w.clients.observer, url);
    expect(ownStanding(vote)).toEqual({ voting: [], notVoting: [{ id: w.observerOrg.id, reason: "observer" }] });
    expect(vote.myOrganisationsNotVoting[0]?.organisation.name).toBe(w.observerOrg.name);
  });

  it("an organisation that joined after the vote opened: the reason not_member_at_opening, and its cast is refused", async () => {
    const { url } = await draftAndOpen(w);
    const late = await orgWithRepresentative(ctx, w.coalition.id);
    const vote = await read(late.client, url);
    expect(ownStanding(vote)).toEqual({ voting: [], notVoting: [{ id: late.org.id, reason: "not_member_at_opening" }] });
    expect((await cast(late.client, url, { organisationId: late.org.id, choice: "endorse", named: true })).status).toBe(403);
    // A vote opened after it joined counts it.
    const next = await draftAndOpen(w);
    expect(ownStanding(await read(late.client, next.url))).toEqual({ voting: [{ id: late.org.id, canCast: true }], notVoting: [] });
  });

  it("a person who is not their organisation's representative: its entry, which they cannot cast; no reason of standing", async () => {
    const { url } = await draftAndOpen(w);
    expect(ownStanding(await read(w.clients.memberA, url))).toEqual({ voting: [{ id: w.orgA.id, canCast: false }], notVoting: [] });
    expect(ownStanding(await read(w.clients.adminA, url))).toEqual({ voting: [{ id: w.orgA.id, canCast: true }], notVoting: [] });
  });

  it("a person of several organisations: each one voting or not, in the order of their access", async () => {
    const { url } = await draftAndOpen(w);
    const late = await orgWithRepresentative(ctx, w.coalition.id);
    const person = await createPerson(ctx);
    await addMember(ctx, w.orgA.id, person.id, "member", true);
    await addMember(ctx, w.observerOrg.id, person.id, "member", false);
    await addMember(ctx, late.org.id, person.id, "member", false);
    const vote = await read(await signInAs(ctx, person), url);
    expect(ownStanding(vote).voting).toEqual([{ id: w.orgA.id, canCast: true }]);
    const expected = [
      { id: w.observerOrg.id, reason: "observer" },
      { id: late.org.id, reason: "not_member_at_opening" },
    ].sort((a, b) => a.id.localeCompare(b.id));
    expect(ownStanding(vote).notVoting).toEqual(expected);
  });

  it("says nothing of other organisations or their ballots: the same whatever they voted", async () => {
    const worlds = [
      { b: { choice: "endorse", named: false }, secretariat: { choice: "endorse", named: true } },
      { b: { choice: "object" }, secretariat: { choice: "abstain" } },
    ] as const;
    const answers: ReturnType<typeof ownStanding>[][] = [];
    for (const others of worlds) {
      const { url } = await draftAndOpen(w, { totalsVisible: false });
      const late = await orgWithRepresentative(ctx, w.coalition.id);
      expect((await cast(w.clients.adminB, url, { organisationId: w.orgB.id, ...others.b })).status).toBe(201);
      expect((await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, ...others.secretariat })).status).toBe(201);
      const seen: ReturnType<typeof ownStanding>[] = [];
      for (const client of [w.clients.observer, w.clients.memberA, late.client]) {
        const vote = await read(client, url);
        // Only the reader's own organisations, and nothing but the organisation and the reason.
        for (const n of vote.myOrganisationsNotVoting) {
          expect(Object.keys(n).sort()).toEqual(["organisation", "reason"]);
          expect([w.orgB.id, w.secretariat.id, w.orgA.id]).not.toContain(n.organisation.id);
        }
        const own = ownStanding(vote);
        // The late organisation is another one in each vote: compared by what it is.
        seen.push({ ...own, notVoting: own.notVoting.map((n) => (n.id === late.org.id ? { ...n, id: "<late>" } : n)) });
      }
      answers.push(seen);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]).toEqual([
      { voting: [], notVoting: [{ id: w.observerOrg.id, reason: "observer" }] },
      { voting: [{ id: w.orgA.id, canCast: false }], notVoting: [] },
      { voting: [], notVoting: [{ id: "<late>", reason: "not_member_at_opening" }] },
    ]);
  });
});
