import { Organisation, OrganisationPerson } from "@samakki/shared/organisations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildTestApp, TestClient, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { appCountingRoundTrips } from "../../../../test/round-trips.ts";

/*
 * An organisation's page reads its profile and its people. Each waits for the database three
 * times, one after the other: the session, the viewer's access to the organisation (one query),
 * then what the page shows with what decides how much of it the viewer sees, at once. Before, the
 * access took two queries for a viewer from another organisation, and the page's own reads went
 * one after the other: four or five waits.
 */
describe("organisation reads", () => {
  let ctx: TestContext;
  let counting: ReturnType<typeof appCountingRoundTrips>;
  let w: Awaited<ReturnType<typeof createWorld>>;

  beforeAll(async () => {
    ctx = await buildTestApp();
    counting = appCountingRoundTrips(ctx);
    w = await createWorld(ctx);
  });
  afterAll(async () => {
    await counting?.close();
  });

  async function get(cookie: string | undefined, path: string) {
    counting.roundTrips.reset();
    const res = await new TestClient(counting.app, cookie).get(path);
    return { res, depth: counting.roundTrips.depth };
  }

  it("the profile: three round trips, for its own admin and for a member of another organisation", async () => {
    const own = await get(w.clients.adminA.cookie, `/api/organisations/${w.orgA.id}`);
    expect(own.res.status, own.res.text).toBe(200);
    expect(own.depth).toBe(3);
    expect(own.res.json(Organisation).canAdminister).toBe(true);

    const other = await get(w.clients.adminB.cookie, `/api/organisations/${w.orgA.id}`);
    expect(other.res.status, other.res.text).toBe(200);
    expect(other.depth).toBe(3);
    expect(other.res.json(Organisation).canAdminister).toBe(false);
  });

  it("its people: three round trips; addresses for its own people, names only for another organisation's", async () => {
    const own = await get(w.clients.memberA.cookie, `/api/organisations/${w.orgA.id}/people`);
    expect(own.res.status, own.res.text).toBe(200);
    expect(own.depth).toBe(3);
    const ownPeople = own.res.json(z.array(OrganisationPerson));
    expect(ownPeople.map((p) => p.personId).sort()).toEqual([w.people.adminA.id, w.people.memberA.id].sort());
    expect(ownPeople.every((p) => p.email)).toBe(true);

    const other = await get(w.clients.adminB.cookie, `/api/organisations/${w.orgA.id}/people`);
    expect(other.res.status, other.res.text).toBe(200);
    expect(other.depth).toBe(3);
    expect(other.res.json(z.array(OrganisationPerson)).every((p) => p.email === null)).toBe(true);
  });

  it("an outsider is refused once the access is read, before anything of the organisation: 404", async () => {
    const outsider = await get(w.clients.outsider.cookie, `/api/organisations/${w.orgA.id}/people`);
    expect(outsider.res.status).toBe(404);
    expect(outsider.depth).toBe(2);
    expect(outsider.res.text).not.toContain(w.people.adminA.email);
  });
});
