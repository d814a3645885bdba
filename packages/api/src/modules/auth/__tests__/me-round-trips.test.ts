import { Me } from "@samakki/shared/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, TestClient, type TestContext } from "../../../../test/app.ts";
import { addMember, createWorld } from "../../../../test/factories/index.ts";
import { appCountingRoundTrips } from "../../../../test/round-trips.ts";

/*
 * Every page of the web app starts with `/api/me`. It waits for the database twice: the session,
 * then the person, their organisations, their coalitions and which organisation is in which, all
 * four at once. One after the other, as before, it was five waits.
 */
describe("GET /api/me", () => {
  let ctx: TestContext;
  let counting: ReturnType<typeof appCountingRoundTrips>;

  beforeAll(async () => {
    ctx = await buildTestApp();
    counting = appCountingRoundTrips(ctx);
  });
  afterAll(async () => {
    await counting?.close();
  });

  it("waits for two database round trips, and lists each coalition's own organisations of the person", async () => {
    const first = await createWorld(ctx);
    const second = await createWorld(ctx);
    // The admin of A in the first coalition is also a member of an organisation of the second.
    const person = first.people.adminA;
    await addMember(ctx, second.orgB.id, person.id, "member");

    counting.roundTrips.reset();
    const res = await new TestClient(counting.app, first.clients.adminA.cookie).get("/api/me");
    expect(res.status, res.text).toBe(200);
    expect(counting.roundTrips.depth).toBe(2);

    const me = res.json(Me);
    const organisationsIn = (coalitionId: string) => me.coalitions.find((c) => c.id === coalitionId)?.organisations.map((o) => o.id);
    expect(organisationsIn(first.coalition.id)).toEqual([first.orgA.id]);
    expect(organisationsIn(second.coalition.id)).toEqual([second.orgB.id]);
    expect(me.organisations.map((o) => o.id).sort()).toEqual([first.orgA.id, second.orgB.id].sort());
  });
});
