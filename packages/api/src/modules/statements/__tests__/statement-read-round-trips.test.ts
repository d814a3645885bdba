import { Statement } from "@samakki/shared/statements";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, TestClient, type TestContext } from "../../../../test/app.ts";
import { createWorld, unique } from "../../../../test/factories/index.ts";
import { appCountingRoundTrips } from "../../../../test/round-trips.ts";
import { cast, draftAndOpen, type World } from "./helpers.ts";

/*
 * The statement page's read waits for the database at most four times one after the other: the
 * session (with the coalition access), the statement (which says the id is this coalition's), then
 * what needs only its id at once (versions, the vote, the published signatories), then what needs
 * only the vote at once (turnout, counted ballots, the viewer's organisations and their ballots).
 * Read one after the other, as before, it was eight waits, and two more once published: each costs
 * a network round trip between the app and its database.
 */
const MOST_ROUND_TRIPS = 4;

describe("reading a statement", () => {
  let ctx: TestContext;
  let w: World;
  let counting: ReturnType<typeof appCountingRoundTrips>;

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    counting = appCountingRoundTrips(ctx);
  });
  afterAll(async () => {
    await counting?.close();
  });

  /** The statement as `client`'s person reads it through the counting app, and the round trips it waited for. */
  async function read(cookie: string | undefined, url: string) {
    counting.roundTrips.reset();
    const res = await new TestClient(counting.app, cookie).get(url);
    expect(res.status, res.text).toBe(200);
    return { statement: res.json(Statement), roundTrips: counting.roundTrips.depth };
  }

  it(`waits for at most ${MOST_ROUND_TRIPS} database round trips one after the other, while its vote is open and once published`, async () => {
    const { url } = await draftAndOpen(w, { text: { title: unique("Round trips") }, totalsVisible: true });
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse", named: true })).status).toBe(201);

    const open = await read(w.clients.adminA.cookie, url);
    expect(open.statement.vote?.status).toBe("open");
    expect(open.statement.vote?.myOrganisations[0]?.ballot?.choice).toBe("endorse");
    // More than the session alone: the counter sees the reads that follow it.
    expect(open.roundTrips).toBeGreaterThan(2);
    expect(open.roundTrips).toBeLessThanOrEqual(MOST_ROUND_TRIPS);

    // Closed early once every eligible organisation has voted, one of them anonymously.
    expect((await cast(w.clients.adminB, url, { organisationId: w.orgB.id, choice: "endorse", named: false })).status).toBe(201);
    expect((await cast(w.clients.coordinator, url, { organisationId: w.secretariat.id, choice: "endorse" })).status).toBe(201);
    expect((await w.clients.coordinator.post<Statement>(`${url}/vote/close`)).body.status).toBe("adopted");
    expect((await w.clients.coordinator.post(`${url}/publish`)).status).toBe(204);

    const published = await read(w.clients.adminA.cookie, url);
    expect(published.statement.publication?.signatories.map((s) => s.name)).toContain(w.orgA.name);
    expect(published.statement.publication?.anonymousCount).toBe(1);
    expect(published.roundTrips).toBeGreaterThan(2);
    expect(published.roundTrips).toBeLessThanOrEqual(MOST_ROUND_TRIPS);
  });
});
