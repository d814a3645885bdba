import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import {
  addMember,
  createCoalition,
  createOrganisation,
  createPerson,
  makeCoordinator,
  signInAs,
  unique,
} from "../../../../test/factories/index.ts";
import { expectProblem } from "../../../../test/permissions.ts";

/** Many coalitions on one instance: one person in two of them sees each one's data only in that one. */
describe("a person in two coalitions", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("sees each coalition's tasks, members and audit log only in that coalition", async () => {
    const a = await createCoalition(ctx);
    const b = await createCoalition(ctx);
    const orgA = await createOrganisation(ctx, a.id, { name: unique("Org in A") });
    const orgB = await createOrganisation(ctx, b.id, { name: unique("Org in B") });
    const person = await createPerson(ctx);
    await addMember(ctx, orgA.id, person.id, "admin");
    await addMember(ctx, orgB.id, person.id, "admin");
    await makeCoordinator(ctx, a.id, person.id);
    await makeCoordinator(ctx, b.id, person.id);
    const client = await signInAs(ctx, person);

    const taskA = await client.post<{ id: string }>(`/api/coalitions/${a.id}/tasks`, { title: unique("Task of A") });
    const taskB = await client.post<{ id: string }>(`/api/coalitions/${b.id}/tasks`, { title: unique("Task of B") });
    expect([taskA.status, taskB.status]).toEqual([201, 201]);
    const invite = (coalitionId: string, name: string) =>
      client.post(`/api/coalitions/${coalitionId}/members`, {
        organisationName: name,
        contactEmail: `${unique("c")}@example.org`,
        language: "en",
      });
    const invitedA = unique("Invited to A");
    const invitedB = unique("Invited to B");
    expect((await invite(a.id, invitedA)).status).toBe(201);
    expect((await invite(b.id, invitedB)).status).toBe(201);
    await client.patch(`/api/coalitions/${a.id}`, { description: "A's description" });
    await client.patch(`/api/coalitions/${b.id}`, { description: "B's description" });

    const tasks = async (coalitionId: string) =>
      (await client.get<{ items: { id: string }[] }>(`/api/coalitions/${coalitionId}/tasks?limit=100`)).body.items.map((t) => t.id);
    expect(await tasks(a.id)).toEqual([taskA.body.id]);
    expect(await tasks(b.id)).toEqual([taskB.body.id]);
    // A's task through B's path is not found, and the other way round.
    expectProblem(await client.get(`/api/coalitions/${b.id}/tasks/${taskA.body.id}`), 404, "not_found");
    expectProblem(await client.get(`/api/coalitions/${a.id}/tasks/${taskB.body.id}`), 404, "not_found");

    const members = async (coalitionId: string) =>
      (await client.get<{ organisation: { id: string } }[]>(`/api/coalitions/${coalitionId}/members`)).body.map((m) => m.organisation.id);
    expect(await members(a.id)).toContain(orgA.id);
    expect(await members(a.id)).not.toContain(orgB.id);
    expect(await members(b.id)).toContain(orgB.id);
    expect(await members(b.id)).not.toContain(orgA.id);

    type AuditPage = { items: { action: string; targetId: string | null; after: unknown }[] };
    const audit = async (coalitionId: string) => (await client.get<AuditPage>(`/api/coalitions/${coalitionId}/audit?limit=100`)).body.items;
    const auditA = await audit(a.id);
    const auditB = await audit(b.id);
    expect(auditA.map((e) => e.action).sort()).toEqual(["coalition.organisation_invited", "coalition.update"]);
    expect(auditB.map((e) => e.action).sort()).toEqual(["coalition.organisation_invited", "coalition.update"]);
    const textA = JSON.stringify(auditA);
    const textB = JSON.stringify(auditB);
    expect(textA).toContain(invitedA);
    expect(textA).toContain("A's description");
    expect(textA).not.toContain(invitedB);
    expect(textA).not.toContain(b.id);
    expect(textA).not.toContain("B's description");
    expect(textB).toContain(invitedB);
    expect(textB).not.toContain(invitedA);
    expect(textB).not.toContain(a.id);
    expect(textB).not.toContain("A's description");
  });
});
