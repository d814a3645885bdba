import type { NotificationPage } from "@samakki/shared/notifications";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext } from "../../../../test/app.ts";
import { createPerson, createWorld, signInAs } from "../../../../test/factories/index.ts";
import { checkPermissions, expectations, expectInvalid, expectProblem, type World } from "../../../../test/permissions.ts";
import { notify } from "../notifications.service.ts";

describe("notifications", () => {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
  });

  async function personWithClient() {
    const person = await createPerson(ctx);
    return { person, client: await signInAs(ctx, person) };
  }

  /** Insert notifications with explicit times, oldest first. */
  async function seed(personId: string, minutesAgo: number[], read = false) {
    const rows = await ctx.db
      .insertInto("notification")
      .values(
        minutesAgo.map((m, i) => ({
          person_id: personId,
          coalition_id: null,
          kind: "test",
          message_key: "notifications.test",
          params: { n: i },
          link: null,
          read_at: read ? new Date() : null,
          created_at: new Date(Date.now() - m * 60_000),
        })),
      )
      .returning(["id", "created_at"])
      .execute();
    return rows;
  }

  async function allPages(client: TestClient, limit: number, extra = "") {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const q: string = `?limit=${limit}${extra}${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await client.get<NotificationPage>(`/api/notifications${q}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...res.body.items.map((n) => n.id));
      cursor = res.body.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error("pagination did not end");
  }

  it("every route needs a session; anyone signed in reads only their own", async () => {
    await checkPermissions(ctx, w.clients, { method: "GET", path: "/api/notifications" }, expectations.signedIn(200));
    for (const [method, path] of [
      ["POST", "/api/notifications/read-all"],
      ["PUT", "/api/notifications/00000000-0000-4000-8000-000000000000/read"],
    ] as const)
      expectProblem(await w.clients.anonymous.request(method, path), 401, "unauthenticated");
  });

  it("lists newest first with the unread count; filters unread", async () => {
    const { person, client } = await personWithClient();
    const rows = await seed(person.id, [30, 20, 10]);
    await seed(person.id, [5], true);
    const other = await createPerson(ctx);
    await seed(other.id, [1]);
    const res = await client.get<NotificationPage>("/api/notifications");
    expect(res.status).toBe(200);
    expect(res.body.unreadCount).toBe(3);
    expect(res.body.items).toHaveLength(4);
    expect(res.body.items.slice(1).map((n) => n.id)).toEqual([rows[2]?.id, rows[1]?.id, rows[0]?.id]);
    expect(res.body.items[0]?.readAt).not.toBeNull();
    expect(res.body.items[1]).toMatchObject({
      kind: "test",
      messageKey: "notifications.test",
      params: { n: 2 },
      readAt: null,
      coalitionId: null,
    });
    expect(res.body.nextCursor).toBeNull();
    const unread = await client.get<NotificationPage>("/api/notifications?unread=true");
    expect(unread.body.items.map((n) => n.id)).toEqual([rows[2]?.id, rows[1]?.id, rows[0]?.id]);
  });

  it("keyset pagination returns every notification exactly once, even those written together", async () => {
    const { person, client } = await personWithClient();
    await seed(person.id, [40, 30, 20]);
    // Written by one statement, so they share created_at to the microsecond.
    await notify(
      ctx.db,
      Array.from({ length: 7 }, (_, i) => ({ personId: person.id, kind: "batch", messageKey: "notifications.batch", params: { i } })),
    );
    await seed(person.id, [-1]);
    const expected = (await ctx.db.selectFrom("notification").where("person_id", "=", person.id).select("id").execute()).map((r) => r.id);
    expect(expected).toHaveLength(11);
    for (const limit of [1, 2, 3, 4]) {
      const ids = await allPages(client, limit);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...expected].sort());
    }
    const unreadIds = await allPages(client, 2, "&unread=true");
    expect(unreadIds).toHaveLength(11);
  });

  it("marks one read (idempotently), then all; never another person's", async () => {
    const { person, client } = await personWithClient();
    const mine = await seed(person.id, [3, 2, 1]);
    const other = await personWithClient();
    const theirs = await seed(other.person.id, [1]);
    const first = mine[0]?.id ?? "";

    expect((await client.request("PUT", `/api/notifications/${first}/read`)).status).toBe(204);
    expect((await client.get<NotificationPage>("/api/notifications")).body.unreadCount).toBe(2);
    const readAt = (await ctx.db.selectFrom("notification").where("id", "=", first).select("read_at").executeTakeFirstOrThrow()).read_at;
    expect(readAt).not.toBeNull();
    expect((await client.request("PUT", `/api/notifications/${first}/read`)).status).toBe(204);
    expect((await ctx.db.selectFrom("notification").where("id", "=", first).select("read_at").executeTakeFirstOrThrow()).read_at).toEqual(
      readAt,
    );

    // Another person's notification: 404, and it stays unread. Malformed and unknown ids: 404.
    expectProblem(await client.request("PUT", `/api/notifications/${theirs[0]?.id}/read`), 404, "not_found");
    expectProblem(await client.request("PUT", `/api/notifications/not-a-uuid/read`), 404, "not_found");
    expectProblem(await client.request("PUT", `/api/notifications/00000000-0000-4000-8000-000000000000/read`), 404, "not_found");
    expect((await other.client.get<NotificationPage>("/api/notifications")).body.unreadCount).toBe(1);

    expect((await client.post("/api/notifications/read-all")).status).toBe(204);
    const after = await client.get<NotificationPage>("/api/notifications");
    expect(after.body.unreadCount).toBe(0);
    expect(after.body.items.every((n) => n.readAt !== null)).toBe(true);
    expect((await other.client.get<NotificationPage>("/api/notifications")).body.unreadCount).toBe(1);
  });

  it("refuses invalid queries with field errors", async () => {
    const { person, client } = await personWithClient();
    await seed(person.id, [1]);
    await expectInvalid(ctx, () => client.get("/api/notifications?limit=0"), ["query.limit"]);
    await expectInvalid(ctx, () => client.get("/api/notifications?limit=101&unread=maybe"), ["query.limit", "query.unread"]);
    await expectInvalid(ctx, () => client.get("/api/notifications?sort=asc"), ["query.sort"]);
    await expectInvalid(ctx, () => client.get("/api/notifications?cursor=garbage"), ["query.cursor"]);
    // A read-all with a body it does not take still only marks the caller's.
    const before = await ctx.db
      .selectFrom("notification")
      .where("read_at", "is", null)
      .where("person_id", "!=", person.id)
      .select("id")
      .execute();
    expect((await client.post("/api/notifications/read-all")).status).toBe(204);
    expect(
      await ctx.db.selectFrom("notification").where("read_at", "is", null).where("person_id", "!=", person.id).select("id").execute(),
    ).toEqual(before);
  });

  it("domain actions notify the right people in their coalition", async () => {
    const res = await w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}/members/${w.orgB.id}`, { status: "observer" });
    expect(res.status).toBe(204);
    const page = await w.clients.adminB.get<NotificationPage>("/api/notifications");
    expect(page.body.items[0]).toMatchObject({
      kind: "member_status",
      coalitionId: w.coalition.id,
      params: { status: "observer" },
      readAt: null,
    });
    expect(
      (await w.clients.memberA.get<NotificationPage>("/api/notifications")).body.items.filter((n) => n.kind === "member_status"),
    ).toEqual([]);
  });
});
