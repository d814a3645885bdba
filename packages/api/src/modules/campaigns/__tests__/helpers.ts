import type { Campaign } from "@samakki/shared/campaigns";
import type { Task } from "@samakki/shared/tasks";
import { expect } from "vitest";
import type { TestClient, TestContext } from "../../../../test/app.ts";
import { addMember, createPerson, type createWorld, signInAs, unique } from "../../../../test/factories/index.ts";

/** Shared by the campaign and task tests: a world with a few extra people, and quick ways to make campaigns and tasks. */
export type World = Awaited<ReturnType<typeof createWorld>>;

export async function extendWorld(ctx: TestContext, w: World) {
  // A plain member of orgB (an assignee person), and a second admin of orgA (concurrent delegation).
  const memberB = await createPerson(ctx, { displayName: unique("Member B") });
  await addMember(ctx, w.orgB.id, memberB.id, "member");
  const adminA2 = await createPerson(ctx, { displayName: unique("Admin A2") });
  await addMember(ctx, w.orgA.id, adminA2.id, "admin");
  const memberA2 = await createPerson(ctx, { displayName: unique("Member A2") });
  await addMember(ctx, w.orgA.id, memberA2.id, "member");
  const people = { ...w.people, memberB, adminA2, memberA2 };
  const clients = {
    ...w.clients,
    memberB: await signInAs(ctx, memberB),
    adminA2: await signInAs(ctx, adminA2),
    memberA2: await signInAs(ctx, memberA2),
  };
  return { ...w, people, clients, base: `/api/coalitions/${w.coalition.id}` };
}
export type BigWorld = Awaited<ReturnType<typeof extendWorld>>;

export type CampaignBody = Campaign;

/** A campaign made through the API by the coordinator (co-owned by orgA unless told otherwise). */
export async function makeCampaign(w: BigWorld, input: Record<string, unknown> = {}): Promise<CampaignBody> {
  const res = await w.clients.coordinator.post<CampaignBody>(`${w.base}/campaigns`, {
    title: unique("Campaign"),
    ownerOrganisationIds: [w.orgA.id],
    ...input,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export type TaskBody = Task;

export async function makeTask(
  w: BigWorld,
  input: Record<string, unknown> = {},
  client: TestClient = w.clients.coordinator,
): Promise<TaskBody> {
  const res = await client.post<TaskBody>(`${w.base}/tasks`, { title: unique("Task"), ...input });
  expect(res.status, res.text).toBe(201);
  return res.body;
}
