import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext, type TestResponse } from "../../../../test/app.ts";
import { addMember, createOrganisation, createPerson, createWorld, signInAs, unique } from "../../../../test/factories/index.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { nameKey } from "../organisations.service.ts";

type World = Awaited<ReturnType<typeof createWorld>>;
function expectNameTaken(res: TestResponse, path: string) {
  expect(res.status, res.text).toBe(409);
  const body = res.json(Problem);
  expect(body.code).toBe("organisation_name_taken");
  expect(body.errors?.map((e) => e.path)).toEqual([path]);
  // A sentence for the person, not the catalog key.
  expect(body.errors?.[0]?.message).not.toMatch(/^validation\./);
}

describe("organisation names are unique within a coalition", () => {
  let ctx: TestContext;
  let w: World;
  const names = (id: string) =>
    ctx.db.selectFrom("organisation").where("id", "=", id).select(["name", "short_name"]).executeTakeFirstOrThrow();

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  it("compares names case-insensitively after NFC, ignoring invisible characters and repeated spaces", () => {
    expect(nameKey("E\u0301quipe  Khmer")).toBe(nameKey("ÉQUIPE Khmer"));
    expect(nameKey("Stra\u00DFe")).toBe(nameKey("STRASSE"));
    expect(nameKey("សមាគម\u200Bអាដហុក")).toBe(nameKey("សមាគមអាដហុក"));
    expect(nameKey("Org A")).not.toBe(nameKey("Org B"));
  });

  it("a rename to another member's name or short name (in any case or Unicode form) is refused with 409 and a field error; nothing changes", async () => {
    const suffix = unique("x");
    const taken = `Équipe des droits ${suffix}`;
    const takenShort = unique("E").slice(0, 20);
    await ctx.db.updateTable("organisation").set({ name: taken, short_name: takenShort }).where("id", "=", w.orgB.id).execute();
    const invited = await createOrganisation(ctx, w.coalition.id, { name: unique("Invited"), status: "invited" });
    const before = await names(w.orgA.id);
    const counts = await snapshotCounts(ctx);
    const url = `/api/organisations/${w.orgA.id}`;
    expectNameTaken(await w.clients.adminA.patch(url, { name: taken }), "name");
    expectNameTaken(await w.clients.adminA.patch(url, { name: `E\u0301QUIPE  DES DROITS ${suffix.toUpperCase()}` }), "name");
    expectNameTaken(await w.clients.adminA.patch(url, { name: takenShort.toLowerCase() }), "name");
    expectNameTaken(await w.clients.adminA.patch(url, { shortName: takenShort }), "shortName");
    expectNameTaken(await w.clients.adminA.patch(url, { shortName: unique("S").slice(0, 20), name: w.secretariat.name }), "name");
    // An invited organisation's name is taken too.
    expectNameTaken(await w.clients.adminA.patch(url, { name: invited.name }), "name");
    expect(await names(w.orgA.id)).toEqual(before);
    expect(await snapshotCounts(ctx)).toEqual(counts);

    // A name used only in another coalition is free here; so is a new spelling of one's own name.
    expect((await w.clients.adminA.patch(url, { name: w.otherOrg.name })).status).toBe(200);
    const renamed = await w.clients.adminA.patch<{ name: string }>(url, { name: w.otherOrg.name.toUpperCase() });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.name).toBe(w.otherOrg.name.toUpperCase());
  });

  it("an organisation in two coalitions cannot take a name used in either", async () => {
    const second = await createWorld(ctx);
    // orgA of the first world also joins the second coalition.
    await ctx.db
      .insertInto("coalition_member")
      .values({ coalition_id: second.coalition.id, organisation_id: w.orgA.id, status: "active" })
      .execute();
    expectNameTaken(await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, { name: second.orgB.name }), "name");
    expectNameTaken(await w.clients.adminA.patch(`/api/organisations/${w.orgA.id}`, { name: w.secretariat.name }), "name");
  });

  it("a coordinator cannot invite a new organisation under a member's name or short name", async () => {
    const url = `/api/coalitions/${w.coalition.id}/members`;
    const invite = (organisationName: string, shortName?: string) =>
      w.clients.coordinator.post(url, { organisationName, shortName, contactEmail: `${unique("c")}@example.org`.toLowerCase() });
    const member = await createOrganisation(ctx, w.coalition.id, { name: unique("Member") });
    const short = unique("M").slice(0, 20);
    await ctx.db.updateTable("organisation").set({ short_name: short }).where("id", "=", member.id).execute();
    const counts = await snapshotCounts(ctx);
    expectNameTaken(await invite(member.name.toLowerCase()), "organisationName");
    expectNameTaken(await invite(unique("Fresh"), short.toUpperCase()), "shortName");
    expect(await snapshotCounts(ctx)).toEqual(counts);
    expect((await invite(unique("Fresh"))).status).toBe(201);
  });

  it("two members renaming to the same free name at once: exactly one wins", async () => {
    for (let round = 0; round < 6; round++) {
      const clients: TestClient[] = [];
      const orgs: { id: string }[] = [];
      for (let i = 0; i < 2; i++) {
        const org = await createOrganisation(ctx, w.coalition.id, { name: unique("Racer") });
        const admin = await createPerson(ctx);
        await addMember(ctx, org.id, admin.id, "admin");
        orgs.push(org);
        clients.push(await signInAs(ctx, admin));
      }
      const name = unique("Contested");
      const results = await Promise.all(
        clients.map((client, i) => client.patch(`/api/organisations/${orgs[i]?.id}`, { name: i === 0 ? name : name.toUpperCase() })),
      );
      expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join(" | ")).toEqual([200, 409]);
      const holders = await ctx.db
        .selectFrom("organisation")
        .where(
          "id",
          "in",
          orgs.map((o) => o.id),
        )
        .select("name")
        .execute();
      expect(holders.filter((h) => nameKey(h.name) === nameKey(name))).toHaveLength(1);
    }
  });

  it("a rename and an invitation racing for the same name: exactly one wins", async () => {
    for (let round = 0; round < 4; round++) {
      const org = await createOrganisation(ctx, w.coalition.id, { name: unique("Racer") });
      const admin = await createPerson(ctx);
      await addMember(ctx, org.id, admin.id, "admin");
      const client = await signInAs(ctx, admin);
      const name = unique("Contested");
      const results = await Promise.all([
        client.patch(`/api/organisations/${org.id}`, { name }),
        w.clients.coordinator.post(`/api/coalitions/${w.coalition.id}/members`, {
          organisationName: name,
          contactEmail: `${unique("c")}@example.org`.toLowerCase(),
        }),
      ]);
      const statuses = results.map((r) => r.status);
      expect(
        statuses.filter((s) => s === 409),
        results.map((r) => r.text).join(" | "),
      ).toHaveLength(1);
      expect(statuses.filter((s) => s === 200 || s === 201)).toHaveLength(1);
    }
  });
});
