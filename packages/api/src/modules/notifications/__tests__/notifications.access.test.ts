import type { NotificationPage } from "@samakki/shared/notifications";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext } from "../../../../test/app.ts";
import { addMember, createOrganisation, createPerson, createWorld, signInAs, unique } from "../../../../test/factories/index.ts";
import type { World } from "../../../../test/permissions.ts";
import { sendNotificationEmails } from "../notifications.email.ts";

/**
 * Notifications follow access (docs/security.md §19: "notifications and emails … go only to people who
 * can see the item when they are written *and* when they are sent"): people of a suspended organisation, people removed from their
 * organisation and former coordinators stop hearing of a coalition's tasks, in the app and by email,
 * at once or in a digest, even when the notification was written while they still had access.
 */
describe("notifications follow access", () => {
  let ctx: TestContext;
  let w: World;
  const PUBLIC_URL = "https://samakki.example";

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  type Mode = "immediate" | "daily";
  interface Someone {
    id: string;
    email: string;
    client: TestClient;
  }

  /** A person of the organisation, with this email preference and a session. */
  async function personOf(organisationId: string, mode: Mode, role: "admin" | "member" = "member"): Promise<Someone> {
    const person = await createPerson(ctx, { displayName: unique("Watcher") });
    await addMember(ctx, organisationId, person.id, role);
    await ctx.db.updateTable("person").set({ notify_email: mode }).where("id", "=", person.id).execute();
    return { id: person.id, email: person.email, client: await signInAs(ctx, person) };
  }

  const base = () => `/api/coalitions/${w.coalition.id}`;

  /** A task made by the coordinator, watched by these people (through the API, as they would). */
  async function watchedTask(watchers: Someone[]) {
    const title = unique("Task");
    const res = await w.clients.coordinator.post<{ id: string }>(`${base()}/tasks`, { title });
    expect(res.status, res.text).toBe(201);
    for (const p of watchers) expect((await p.client.request("PUT", `${base()}/tasks/${res.body.id}/watch`)).status).toBe(204);
    return { id: res.body.id, title, url: `${base()}/tasks/${res.body.id}` };
  }

  /** A comment, a status change and a rename by the coordinator. */
  async function commentChangeAndRename(url: string) {
    expect((await w.clients.coordinator.post(`${url}/comments`, { body: "Any news?" })).status).toBe(201);
    expect((await w.clients.coordinator.post(`${url}/status`, { status: "in_progress" })).status).toBe(200);
    const renamed = unique("Renamed");
    expect((await w.clients.coordinator.patch(url, { title: renamed })).status).toBe(200);
    return renamed;
  }

  const kindsOn = async (personId: string, taskId: string) =>
    (
      await ctx.db
        .selectFrom("notification")
        .where("person_id", "=", personId)
        .where("link", "like", `%/tasks/${taskId}`)
        .select("kind")
        .orderBy("created_at")
        .execute()
    ).map((n) => n.kind);

  const mailTo = (email: string) =>
    ctx.db.selectFrom("outbox_email").where("to_address", "=", email).select(["template", "text"]).orderBy("created_at").execute();

  const watcherIds = async (taskId: string) =>
    (await ctx.db.selectFrom("task_watcher").where("task_id", "=", taskId).select("person_id").execute()).map((r) => r.person_id);

  async function runEmailJob() {
    await sendNotificationEmails(ctx.db, PUBLIC_URL);
    await sendNotificationEmails(ctx.db, PUBLIC_URL);
  }

  it("after suspension or removal from the organisation: watches end, and comments, status changes and renames reach no one who lost access, in the app or by email", async () => {
    const suspendedLater = await createOrganisation(ctx, w.coalition.id);
    const suspendedAdmin = await personOf(suspendedLater.id, "immediate", "admin");
    const suspendedNow = await personOf(suspendedLater.id, "immediate");
    const suspendedDaily = await personOf(suspendedLater.id, "daily");
    const orgWithRemovals = await createOrganisation(ctx, w.coalition.id);
    const removingAdmin = await personOf(orgWithRemovals.id, "immediate", "admin");
    const removedNow = await personOf(orgWithRemovals.id, "immediate");
    const removedDaily = await personOf(orgWithRemovals.id, "daily");
    // Still in the coalition: they hear of everything.
    const keepsNow = await personOf(w.orgB.id, "immediate");
    const keepsDaily = await personOf(w.orgB.id, "daily");
    const lost = [suspendedNow, suspendedDaily, removedNow, removedDaily];

    const task = await watchedTask([...lost, keepsNow, keepsDaily]);
    expect((await w.clients.coordinator.patch(`${base()}/members/${suspendedLater.id}`, { status: "suspended" })).status).toBe(204);
    for (const p of [removedNow, removedDaily])
      expect((await removingAdmin.client.delete(`/api/organisations/${orgWithRemovals.id}/people/${p.id}`)).status).toBe(204);

    // The watches ended in the same transaction as the suspension or removal.
    const watching = await watcherIds(task.id);
    for (const p of lost) expect(watching).not.toContain(p.id);
    for (const p of [keepsNow, keepsDaily]) expect(watching).toContain(p.id);

    const renamed = await commentChangeAndRename(task.url);
    await runEmailJob();

    for (const p of lost) {
      expect(await kindsOn(p.id, task.id)).toEqual([]);
      expect(await mailTo(p.email)).toEqual([]);
    }
    for (const p of [keepsNow, keepsDaily]) expect(await kindsOn(p.id, task.id)).toEqual(["task_comment", "task_status", "task_renamed"]);
    expect((await mailTo(keepsNow.email)).map((m) => m.template)).toEqual(["notification", "notification", "notification"]);
    const digest = await mailTo(keepsDaily.email);
    expect(digest.map((m) => m.template)).toEqual(["digest"]);
    expect(digest[0]?.text).toContain(renamed);
    // The suspended organisation's admin still hears of its own status, without a link into the coalition.
    const notice = await ctx.db
      .selectFrom("notification")
      .where("person_id", "=", suspendedAdmin.id)
      .where("kind", "=", "member_status")
      .select(["coalition_id", "link", "params"])
      .execute();
    expect(notice).toEqual([
      {
        coalition_id: null,
        link: `/organisations/${suspendedLater.id}`,
        params: { organisation: suspendedLater.name, status: "suspended" },
      },
    ]);
  });

  it("a watch that outlived access is filtered anyway: nothing is written for a person of a suspended organisation", async () => {
    const task = await watchedTask([]);
    const stale = await personOf(w.suspendedOrg.id, "immediate");
    await ctx.db.insertInto("task_watcher").values({ task_id: task.id, person_id: stale.id }).execute();
    // Nor is that person listed among the task's watchers.
    const shown = await w.clients.memberA.get<{ watchers: { id: string }[] }>(task.url);
    expect(shown.body.watchers.map((x) => x.id)).not.toContain(stale.id);
    await commentChangeAndRename(task.url);
    await runEmailJob();
    expect(await kindsOn(stale.id, task.id)).toEqual([]);
    expect(await mailTo(stale.email)).toEqual([]);
  });

  it("a notification written while the person had access is not emailed once access has ended, at once or in a digest", async () => {
    const org = await createOrganisation(ctx, w.coalition.id);
    const admin = await personOf(org.id, "immediate", "admin");
    const suspendedNow = await personOf(org.id, "immediate");
    const suspendedDaily = await personOf(org.id, "daily");
    const orgWithRemovals = await createOrganisation(ctx, w.coalition.id);
    const removingAdmin = await personOf(orgWithRemovals.id, "immediate", "admin");
    const removedNow = await personOf(orgWithRemovals.id, "immediate");
    const removedDaily = await personOf(orgWithRemovals.id, "daily");
    // A coordinator of no member organisation, replaced before the job runs.
    const formerCoordinator = await createPerson(ctx);
    await ctx.db.insertInto("coordinator").values({ coalition_id: w.coalition.id, person_id: formerCoordinator.id }).execute();
    const former: Someone = { id: formerCoordinator.id, email: formerCoordinator.email, client: await signInAs(ctx, formerCoordinator) };
    const keepsNow = await personOf(w.orgB.id, "immediate");
    const lost = [suspendedNow, suspendedDaily, removedNow, removedDaily, former];

    const task = await watchedTask([...lost, keepsNow]);
    await commentChangeAndRename(task.url);
    // Written while they could see the task...
    for (const p of lost) expect(await kindsOn(p.id, task.id)).toEqual(["task_comment", "task_status", "task_renamed"]);
    // ...then access ends before the email job runs.
    expect((await w.clients.coordinator.patch(`${base()}/members/${org.id}`, { status: "left" })).status).toBe(204);
    for (const p of [removedNow, removedDaily])
      expect((await removingAdmin.client.delete(`/api/organisations/${orgWithRemovals.id}/people/${p.id}`)).status).toBe(204);
    expect((await w.clients.coordinator.delete(`${base()}/coordinators/${former.id}`)).status).toBe(204);
    expect(await watcherIds(task.id)).not.toContain(former.id);
    await runEmailJob();

    for (const p of lost) expect(await mailTo(p.email)).toEqual([]);
    expect(await mailTo(keepsNow.email)).toHaveLength(3);
    // The admin's notice of the departure is about the organisation, so it is emailed.
    expect((await mailTo(admin.email)).map((m) => m.template)).toContain("notification");
  });

  it("in the app, notifications about a coalition the person no longer sees are not listed nor counted", async () => {
    const org = await createOrganisation(ctx, w.coalition.id);
    const reader = await personOf(org.id, "immediate");
    const task = await watchedTask([reader]);
    await commentChangeAndRename(task.url);
    const page = async () => (await reader.client.get<NotificationPage>("/api/notifications")).body;
    expect((await page()).items.filter((n) => n.link?.endsWith(task.id))).toHaveLength(3);
    expect((await page()).unreadCount).toBe(3);
    expect((await w.clients.coordinator.patch(`${base()}/members/${org.id}`, { status: "suspended" })).status).toBe(204);
    expect((await page()).items.filter((n) => n.link?.endsWith(task.id))).toEqual([]);
    expect((await page()).unreadCount).toBe(0);
    // Active again: they see them again.
    expect((await w.clients.coordinator.patch(`${base()}/members/${org.id}`, { status: "active" })).status).toBe(204);
    expect((await page()).unreadCount).toBe(3);
  });
});
