/**
 * What a viewer reads of a vote on the statement's page (votes.read.ts getVoteInfo): the entries of
 * the viewer's own organisations, and which ballots the server loads at all while the vote is open.
 */

import { Statement } from "@samakki/shared/statements";
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, TestClient, type TestContext } from "../../../../test/app.ts";
import { addMember, createPerson, createWorld, signInAs } from "../../../../test/factories/index.ts";
import { createApp } from "../../../app.ts";
import { cast, draftAndOpen, type World } from "../../statements/__tests__/helpers.ts";

/**
 * Every row the app's queries return while `rows` is an array. A plugin's transformResult sees the
 * result of every query, built per call or compiled once (db/prepared.ts runs through the same executor).
 */
class RowRecorder implements KyselyPlugin {
  rows: UnknownRow[] | null = null;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.rows?.push(...args.result.rows);
    return args.result;
  }
}

describe("a vote as its viewer reads it", () => {
  let ctx: TestContext;
  let w: World;
  const recorder = new RowRecorder();
  /** The same app over the same database, its queries' rows recorded. */
  let watched: TestContext["app"];
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    watched = createApp({ ...ctx.deps, db: ctx.deps.db.withPlugin(recorder) });
  });

  async function read(client: TestClient, url: string) {
    const res = await client.get(url);
    expect(res.status, res.text).toBe(200);
    const vote = res.json(Statement).vote;
    if (!vote) throw new Error("no vote");
    return vote;
  }

  it("a person of two eligible organisations sees each one's ballot and whole history, and no other organisation's", async () => {
    // Representative of A, plain member of B: one entry each, only A's castable.
    const both = await createPerson(ctx, { displayName: "Both Orgs" });
    await addMember(ctx, w.orgA.id, both.id, "member", true);
    await addMember(ctx, w.orgB.id, both.id, "member", false);
    const client = await signInAs(ctx, both);
    const { url } = await draftAndOpen(w, { totalsVisible: false });

    const casts = [
      await cast(client, url, { organisationId: w.orgA.id, choice: "endorse", named: true }),
      await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "abstain" }),
      await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "object" }),
      await cast(client, url, { organisationId: w.orgA.id, choice: "object", comment: "Changed our mind" }),
      await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse", named: false }),
    ];
    for (const res of casts) expect(res.status, res.text).toBe(201);

    const vote = await read(client, url);
    expect(vote.tally).toBeNull();
    expect(vote.ballots).toBeNull();
    // In the order of the viewer's access (by organisation id), one entry per own organisation.
    const [first, second] = [w.orgA.id, w.orgB.id].sort();
    expect(vote.myOrganisations.map((m) => m.organisation.id)).toEqual([first, second]);
    const a = vote.myOrganisations.find((m) => m.organisation.id === w.orgA.id);
    const b = vote.myOrganisations.find((m) => m.organisation.id === w.orgB.id);
    expect(a?.organisation.name).toBe(w.orgA.name);
    expect(a?.canCast).toBe(true);
    expect(a?.ballot).toMatchObject({ choice: "endorse", named: false, comment: "", receipt: casts[4]?.body.receipt });
    expect(a?.history.map((h) => [h.choice, h.named, h.castBy])).toEqual([
      ["endorse", true, "Both Orgs"],
      ["object", true, "Both Orgs"],
      ["endorse", false, w.people.adminA.display_name],
    ]);
    expect(b?.organisation.name).toBe(w.orgB.name);
    expect(b?.canCast).toBe(false);
    expect(b?.ballot).toMatchObject({ choice: "abstain", receipt: casts[1]?.body.receipt });
    expect(b?.history.map((h) => [h.choice, h.castBy])).toEqual([["abstain", w.people.adminB.display_name]]);
  });

  /** Every row the queries returned while the app answered `client`'s read of `url`. */
  async function rowsLoaded(client: TestClient, url: string) {
    recorder.rows = [];
    try {
      await read(new TestClient(watched, client.cookie), url);
      return recorder.rows;
    } finally {
      recorder.rows = null;
    }
  }

  /** The rows carrying a choice that is not the viewer's own organisation's (or of no organisation at all, as a count by choice). */
  const othersChoices = (rows: Record<string, unknown>[], own: string[]) =>
    rows.filter((row) => "choice" in row && !own.includes(String(row.organisation_id)));

  it("while open with hidden totals, no other organisation's choice is loaded; with running totals it is", async () => {
    for (const totalsVisible of [false, true]) {
      const { url } = await draftAndOpen(w, { totalsVisible });
      for (const res of [
        await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "abstain" }),
        await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "object" }),
        await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "endorse", named: false }),
      ])
        expect(res.status, res.text).toBe(201);

      const rows = await rowsLoaded(w.clients.adminA, url);
      // The reader's own ballot is loaded either way (its entry shows it), so the spy saw the ballot rows.
      expect(rows.some((row) => row.choice === "abstain" && row.organisation_id === w.orgA.id)).toBe(true);
      const others = othersChoices(rows, [w.orgA.id]);
      if (totalsVisible) expect(others.map((row) => row.organisation_id).sort()).toEqual([w.orgB.id, w.secretariat.id].sort());
      else expect(others).toEqual([]);
    }
  });
});
