import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext, type TestResponse } from "./app.ts";
import { createWorld, unique } from "./factories/index.ts";

/**
 * Mixed paths: B's own campaign, activity, petition or letter action (all real, so every parent
 * lookup succeeds inside B) with a child id of coalition A in the path, or an id of A in the body.
 * Only a lookup scoped by the parent (and the coalition) stands between B and A's object here, a
 * case the registry sweep in isolation.test.ts cannot reach (there every id in the path is A's).
 */

type World = Awaited<ReturnType<typeof createWorld>>;

interface Seeded {
  w: World;
  base: string;
  cBase: string;
  activityId: string;
  sheetId: string;
  signupId: string;
  targetId: string;
  actionId: string;
  letterId: string;
  coalitionSlug: string;
  campaignSlug: string;
}

const TABLES = [
  "petition",
  "petition_signature",
  "petition_paper_sheet",
  "signup",
  "letter_target",
  "letter_action",
  "letter_action_target",
  "letter",
  "letter_reply",
  "letter_start_count",
  "audit_event",
  "notification",
  "outbox_email",
] as const;

async function fingerprint(ctx: TestContext): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const row = await sql<{ v: string }>`
      SELECT count(*)::text || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS v FROM ${sql.id(t)} AS x`.execute(
      ctx.db,
    );
    out[t] = row.rows[0]?.v ?? "";
  }
  return out;
}

async function seed(ctx: TestContext, tag: string, address: string): Promise<Seeded> {
  const w = await createWorld(ctx);
  const base = `/api/coalitions/${w.coalition.id}`;
  const ok = async <T>(res: Promise<TestResponse<T>>, status = 201): Promise<T> => {
    const r = await res;
    expect(r.status, r.text).toBe(status);
    return r.body;
  };
  const { coordinator, adminA } = w.clients;
  const campaign = await ok<{ id: string; slug: string }>(
    coordinator.post(`${base}/campaigns`, {
      title: unique(`Campaign ${tag}`),
      ownerOrganisationIds: [w.orgA.id],
      visibility: "public",
      status: "active",
    }),
  );
  const cBase = `${base}/campaigns/${campaign.id}`;
  const activity = await ok<{ id: string }>(
    coordinator.post(`${cBase}/activities`, {
      kind: "march",
      title: unique("March"),
      startsAt: "2030-01-01T08:00",
      stages: [{ date: "2030-01-01", from: "Phnom Penh", to: "Kandal", distanceKm: 12.5 }],
    }),
  );
  await ok(
    coordinator.post(`${cBase}/petition`, {
      titleKm: "ញត្តិ",
      titleEn: `Petition ${tag}`,
      bodyKm: "",
      bodyEn: "",
      target: 100,
      opensOn: "2020-01-01",
      closesOn: "2099-12-31",
    }),
  );
  const sheet = await ok<{ id: string }>(
    adminA.post(`${cBase}/petition/paper-sheets`, { organisationId: w.orgA.id, count: 7, province: "KH-12", date: "2026-01-01" }),
  );
  const coalition = await ctx.db.selectFrom("coalition").where("id", "=", w.coalition.id).select("slug").executeTakeFirstOrThrow();
  const joined = await ctx
    .anonymous()
    .request(
      "POST",
      `/coalitions/${coalition.slug}/campaigns/${campaign.slug}/join`,
      new URLSearchParams({ name: `Walker ${tag}`, phone: "012 999 888", choices: `${activity.id}:1` }).toString(),
      { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
    );
  expect(joined.status, joined.text).toBe(303);
  const signup = await ctx.db.selectFrom("signup").where("activity_id", "=", activity.id).select("id").executeTakeFirstOrThrow();
  const target = await ok<{ id: string }>(
    coordinator.post(`${base}/letter-targets`, { nameEn: unique(`MP ${tag}`), party: "P", email: "mp@example.org" }),
  );
  const action = await ok<{ id: string }>(
    coordinator.post(`${cBase}/letter-actions`, { title: unique(`Letter ${tag}`), bodyEn: "Dear {name}", targetIds: [target.id] }),
  );
  const letter = await ok<{ id: string }>(
    adminA.post(`${cBase}/letter-actions/${action.id}/letters`, {
      targetId: target.id,
      organisationId: w.orgA.id,
      sentOn: "2026-01-01",
      channel: "hand",
    }),
  );
  return {
    w,
    base,
    cBase,
    activityId: activity.id,
    sheetId: sheet.id,
    signupId: signup.id,
    targetId: target.id,
    actionId: action.id,
    letterId: letter.id,
    coalitionSlug: coalition.slug,
    campaignSlug: campaign.slug,
  };
}

describe("coalition isolation on mixed paths (B's own parents, A's child or body ids)", () => {
  let ctx: TestContext;
  let a: Seeded;
  let b: Seeded;

  beforeAll(async () => {
    ctx = await buildTestApp();
    a = await seed(ctx, "A", "192.0.2.81");
    b = await seed(ctx, "B", "192.0.2.82");
  });

  /** Each request must be refused like a missing id, and change nothing. */
  const refused = async (client: () => TestClient, method: string, path: () => string, body: () => unknown, expected: number[]) => {
    const before = await fingerprint(ctx);
    const res = await client().request(method, path(), body());
    expect(expected, `${method} ${path()}: ${res.status} ${res.text}`).toContain(res.status);
    for (const id of [a.sheetId, a.signupId, a.targetId, a.actionId, a.letterId, a.w.orgA.id]) expect(res.text).not.toContain(id);
    expect(await fingerprint(ctx)).toEqual(before);
  };

  it.each([
    ["PATCH A's paper sheet through B's petition", "PATCH", () => `${b.cBase}/petition/paper-sheets/${a.sheetId}`, () => ({ count: 1 })],
    [
      "confirm A's sign-up through B's activity",
      "POST",
      () => `${b.cBase}/activities/${b.activityId}/signups/${a.signupId}/confirm-by-phone`,
      () => undefined,
    ],
    [
      "delete A's sign-up through B's activity",
      "DELETE",
      () => `${b.cBase}/activities/${b.activityId}/signups/${a.signupId}`,
      () => undefined,
    ],
    ["list A's sign-ups through B's campaign", "GET", () => `${b.cBase}/activities/${a.activityId}/signups`, () => undefined],
    ["count A's sign-ups through B's campaign", "GET", () => `${b.cBase}/activities/${a.activityId}/signup-counts`, () => undefined],
    ["read A's letter action through B's campaign", "GET", () => `${b.cBase}/letter-actions/${a.actionId}`, () => undefined],
    ["edit A's letter action through B's campaign", "PATCH", () => `${b.cBase}/letter-actions/${a.actionId}`, () => ({ title: "Renamed" })],
    [
      "edit A's letter through B's action",
      "PATCH",
      () => `${b.cBase}/letter-actions/${b.actionId}/letters/${a.letterId}`,
      () => ({ deliveryConfirmed: true }),
    ],
    [
      "reply to A's letter through B's action",
      "PUT",
      () => `${b.cBase}/letter-actions/${b.actionId}/letters/${a.letterId}/reply`,
      () => ({ receivedOn: "2026-01-02", summary: "Reply", stance: "opposed" }),
    ],
    ["read A's target through B's coalition", "GET", () => `${b.base}/letter-targets/${a.targetId}`, () => undefined],
    ["edit A's target through B's coalition", "PATCH", () => `${b.base}/letter-targets/${a.targetId}`, () => ({ party: "X" })],
  ])("%s: 404", async (_name, method, path, body) => {
    await refused(() => b.w.clients.coordinator, method, path, body, [404]);
  });

  it.each([
    [
      "a letter action in B's campaign naming A's target",
      "POST",
      () => `${b.cBase}/letter-actions`,
      () => ({ title: unique("Letter"), targetIds: [a.targetId] }),
    ],
    [
      "B's letter action edited to name A's target",
      "PATCH",
      () => `${b.cBase}/letter-actions/${b.actionId}`,
      () => ({ targetIds: [a.targetId] }),
    ],
  ])("%s: a field error, as for a missing id", async (_name, method, path, body) => {
    await refused(() => b.w.clients.coordinator, method, path, body, [400]);
  });

  it("a letter in B's action to A's target, sent by B's own organisation: a field error, as for a missing id", async () => {
    await refused(
      () => b.w.clients.adminA,
      "POST",
      () => `${b.cBase}/letter-actions/${b.actionId}/letters`,
      () => ({ targetId: a.targetId, organisationId: b.w.orgA.id, sentOn: "2026-01-01", channel: "post" }),
      [400],
    );
  });

  it.each([
    [
      "a paper sheet in B's petition for A's organisation",
      "POST",
      () => `${b.cBase}/petition/paper-sheets`,
      () => ({ organisationId: a.w.orgA.id, count: 1, province: "KH-1", date: "2026-01-01" }),
    ],
    [
      "a letter in B's action sent by A's organisation",
      "POST",
      () => `${b.cBase}/letter-actions/${b.actionId}/letters`,
      () => ({ targetId: b.targetId, organisationId: a.w.orgA.id, sentOn: "2026-01-01", channel: "post" }),
    ],
  ])("%s: refused, as for an organisation that is not the requester's", async (_name, method, path, body) => {
    await refused(() => b.w.clients.adminA, method, path, body, [400, 403, 404]);
  });

  it("B's letter list filtered by A's organisation shows nothing of A", async () => {
    const res = await b.w.clients.coordinator.get<unknown[]>(
      `${b.cBase}/letter-actions/${b.actionId}/letters?organisationId=${a.w.orgA.id}`,
    );
    expect([200, 404]).toContain(res.status);
    if (res.status === 200) expect(res.body).toEqual([]);
    expect(res.text).not.toContain(a.letterId);
  });

  it.each(["", "/petition", "/letter", "/join", "/updates.atom", "/calendar.ics", "/share.png"])(
    "the public page %s of A's campaign under B's coalition slug: 404, like an unknown slug",
    async (suffix) => {
      const own = await ctx.anonymous().get(`/coalitions/${a.coalitionSlug}/campaigns/${a.campaignSlug}${suffix}`);
      expect(own.status, `${suffix} of A under A`).toBe(200);
      const crossed = await ctx.anonymous().get(`/coalitions/${b.coalitionSlug}/campaigns/${a.campaignSlug}${suffix}`);
      const unknown = await ctx.anonymous().get(`/coalitions/${b.coalitionSlug}/campaigns/no-such-campaign${suffix}`);
      expect(crossed.status).toBe(404);
      // The same answer as for an unknown slug, but for the slug itself (in links) and the request id.
      const same = (text: string, slug: string) =>
        text
          .replaceAll(slug, "SLUG")
          .replace(/"requestId":"[^"]*"/, "")
          .replace(/name="request-id" content="[^"]*"/, "");
      expect(same(crossed.text, a.campaignSlug)).toBe(same(unknown.text, "no-such-campaign"));
      expect(crossed.text).not.toContain(`Campaign A`);
    },
  );

  it.each([
    ["/petition", { name: "Crossed", email: "crossed@example.org", province: "KH-1" }],
    ["/join", { name: "Crossed", phone: "012 111 222", choices: "ACTIVITY:1" }],
  ])("the public form %s of A's campaign under B's coalition slug: 404 and nothing saved", async (suffix, fields) => {
    const before = await fingerprint(ctx);
    const body = new URLSearchParams(
      Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.replace("ACTIVITY", a.activityId)])),
    ).toString();
    const res = await ctx.anonymous().request("POST", `/coalitions/${b.coalitionSlug}/campaigns/${a.campaignSlug}${suffix}`, body, {
      "content-type": "application/x-www-form-urlencoded",
      "x-forwarded-for": "192.0.2.83",
    });
    expect(res.status).toBe(404);
    expect(await fingerprint(ctx)).toEqual(before);
  });

  it("the public letter start link counts only an action of the campaign and a target of the action", async () => {
    const start = (coalition: string, campaign: string, action: string, target: string) =>
      ctx.anonymous().get(`/coalitions/${coalition}/campaigns/${campaign}/letter/start?action=${action}&target=${target}&lang=en`);
    const before = await fingerprint(ctx);
    for (const [coalition, campaign, action, target] of [
      [b.coalitionSlug, a.campaignSlug, a.actionId, a.targetId],
      [b.coalitionSlug, b.campaignSlug, a.actionId, a.targetId],
      [b.coalitionSlug, b.campaignSlug, a.actionId, b.targetId],
      [b.coalitionSlug, b.campaignSlug, b.actionId, a.targetId],
    ] as const) {
      const res = await start(coalition, campaign, action, target);
      expect(res.status, `${campaign} ${action} ${target}`).toBe(404);
      expect(res.headers.get("location")).toBeNull();
    }
    expect(await fingerprint(ctx)).toEqual(before);
    // The same link inside A works, so the refusals above are about the mix of coalitions.
    expect((await start(a.coalitionSlug, a.campaignSlug, a.actionId, a.targetId)).status).toBe(303);
  });

  it("B's public home lists none of A's public campaigns", async () => {
    const own = await ctx.anonymous().get(`/coalitions/${a.coalitionSlug}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain(a.campaignSlug);
    const other = await ctx.anonymous().get(`/coalitions/${b.coalitionSlug}`);
    expect(other.status).toBe(200);
    expect(other.text).toContain(b.campaignSlug);
    expect(other.text).not.toContain(a.campaignSlug);
  });
});
