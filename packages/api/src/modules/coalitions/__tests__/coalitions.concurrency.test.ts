import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import {
  addMember,
  createCoalition,
  createOrganisation,
  createPerson,
  makeCoordinator,
  signInAs,
} from "../../../../test/factories/index.ts";

describe("two coordinators removing each other at the same instant", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("always leaves at least one coordinator", async () => {
    for (let round = 0; round < 10; round++) {
      const coalition = await createCoalition(ctx);
      const secretariat = await createOrganisation(ctx, coalition.id);
      const a = await createPerson(ctx);
      const b = await createPerson(ctx);
      for (const p of [a, b]) {
        await addMember(ctx, secretariat.id, p.id, "admin");
        await makeCoordinator(ctx, coalition.id, p.id);
      }
      const [clientA, clientB] = [await signInAs(ctx, a), await signInAs(ctx, b)];
      const results = await Promise.all([
        clientA.delete(`/api/coalitions/${coalition.id}/coordinators/${b.id}`),
        clientB.delete(`/api/coalitions/${coalition.id}/coordinators/${a.id}`),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0], results.map((r) => r.text).join(" | ")).toBe(204);
      expect([403, 409]).toContain(statuses[1]);
      const left = await ctx.db.selectFrom("coordinator").where("coalition_id", "=", coalition.id).select("person_id").execute();
      expect(left).toHaveLength(1);
      const events = await ctx.db
        .selectFrom("audit_event")
        .where("action", "=", "coalition.coordinator_removed")
        .where("coalition_id", "=", coalition.id)
        .select("id")
        .execute();
      expect(events).toHaveLength(1);
    }
  });
});
