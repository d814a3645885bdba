import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { addMember, createCoalition, createOrganisation, createPerson, signInAs } from "../../../../test/factories/index.ts";

describe("two admins demoting each other at the same instant", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  async function orgWithTwoAdmins() {
    const coalition = await createCoalition(ctx);
    const org = await createOrganisation(ctx, coalition.id);
    const a = await createPerson(ctx);
    const b = await createPerson(ctx);
    await addMember(ctx, org.id, a.id, "admin");
    await addMember(ctx, org.id, b.id, "admin");
    return { org, a, b, clientA: await signInAs(ctx, a), clientB: await signInAs(ctx, b) };
  }

  const admins = (orgId: string) =>
    ctx.db.selectFrom("membership").where("organisation_id", "=", orgId).where("role", "=", "admin").select("person_id").execute();

  it("never leaves the organisation without an admin (demotions)", async () => {
    for (let round = 0; round < 10; round++) {
      const { org, a, b, clientA, clientB } = await orgWithTwoAdmins();
      const results = await Promise.all([
        clientA.patch(`/api/organisations/${org.id}/people/${b.id}`, { role: "member" }),
        clientB.patch(`/api/organisations/${org.id}/people/${a.id}`, { role: "member" }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0], results.map((r) => r.text).join(" | ")).toBe(204);
      expect([403, 409]).toContain(statuses[1]);
      const loser = results.find((r) => r.status !== 204);
      expect(["last_admin", "forbidden"]).toContain(loser?.json(Problem).code);
      expect(await admins(org.id)).toHaveLength(1);
      const events = await ctx.db
        .selectFrom("audit_event")
        .where("action", "=", "organisation.person_updated")
        .where("target_id", "=", org.id)
        .select("id")
        .execute();
      expect(events).toHaveLength(1);
    }
  });

  it("never leaves the organisation without an admin (removals)", async () => {
    for (let round = 0; round < 5; round++) {
      const { org, a, b, clientA, clientB } = await orgWithTwoAdmins();
      const results = await Promise.all([
        clientA.delete(`/api/organisations/${org.id}/people/${b.id}`),
        clientB.delete(`/api/organisations/${org.id}/people/${a.id}`),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0], results.map((r) => r.text).join(" | ")).toBe(204);
      // The loser is refused inside its transaction (403 no longer an admin, 409 last admin), or, when the
      // winner committed before the loser's request was even checked, it no longer belongs to the
      // organisation and cannot see it at all (404).
      expect([403, 404, 409]).toContain(statuses[1]);
      expect(await admins(org.id)).toHaveLength(1);
    }
  });
});
