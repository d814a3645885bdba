import type { CalendarFeed, CalendarFeedLink } from "@samakki/shared/calendar-feeds";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { addMember, createPerson, createWorld, signInAs, unique } from "../../../../test/factories/index.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { generateToken, hashToken } from "../../../lib/crypto.ts";
import { MINUTE } from "../../../lib/time.ts";
import { cast, draftAndOpen } from "../../statements/__tests__/helpers.ts";
import { FEED_LIMITS, FEED_WINDOW_SECONDS } from "../calendar-feeds.service.ts";

type World = Awaited<ReturnType<typeof createWorld>>;

/** The feed's text with folded lines joined (RFC 5545 folds at 75 octets). */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, "");
const pathOf = (link: CalendarFeedLink) => new URL(link.url).pathname;
const tokenOf = (link: CalendarFeedLink) =>
  pathOf(link)
    .replace(/^\/calendar\//, "")
    .replace(/\.ics$/, "");
const FEED = "/api/me/calendar-feed";

describe("a person's secret calendar feed", () => {
  let ctx: TestContext;
  let w: World;
  const names = {
    march: unique("March to the assembly"),
    demo: unique("Rally at the park"),
    otherMarch: unique("Other coalition march"),
    ourTask: unique("Print ribbons"),
    otherOrgTask: unique("Book the hall"),
    doneTask: unique("Already done"),
    statement: unique("Statement on expression"),
    secretComment: unique("anonymous endorsement comment"),
  };

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    const base = `/api/coalitions/${w.coalition.id}`;
    const campaign = await w.clients.coordinator.post<{ id: string }>(`${base}/campaigns`, {
      title: unique("Campaign"),
      ownerOrganisationIds: [w.orgA.id],
    });
    expect(campaign.status, campaign.text).toBe(201);
    const activities = `${base}/campaigns/${campaign.body.id}/activities`;
    const march = await w.clients.coordinator.post(activities, {
      kind: "march",
      title: names.march,
      startsAt: "2026-12-10T07:00",
      stages: [
        { date: "2026-12-10", from: "Phnom Penh", to: "Skuon", distanceKm: 75.5 },
        { date: "2026-12-11", from: "Skuon", to: "Kampong Thom", distanceKm: 88.1 },
      ],
    });
    expect(march.status, march.text).toBe(201);
    expect(
      (await w.clients.coordinator.post(activities, { kind: "demonstration", title: names.demo, startsAt: "2026-12-12T09:00" })).status,
    ).toBe(201);

    const otherBase = `/api/coalitions/${w.other.id}`;
    const other = await w.clients.outsider.post<{ id: string }>(`${otherBase}/campaigns`, {
      title: unique("Other"),
      ownerOrganisationIds: [w.otherOrg.id],
    });
    expect(other.status, other.text).toBe(201);
    const otherMarch = await w.clients.outsider.post(`${otherBase}/campaigns/${other.body.id}/activities`, {
      kind: "march",
      title: names.otherMarch,
      startsAt: "2026-12-10T07:00",
      stages: [{ date: "2026-12-10", from: "Siem Reap", to: "Angkor", distanceKm: 7 }],
    });
    expect(otherMarch.status, otherMarch.text).toBe(201);

    const task = (title: string, organisationId: string) =>
      w.clients.coordinator.post<{ id: string }>(`${base}/tasks`, { title, assigneeOrganisationId: organisationId, dueOn: "2026-12-20" });
    expect((await task(names.ourTask, w.orgA.id)).status).toBe(201);
    expect((await task(names.otherOrgTask, w.orgB.id)).status).toBe(201);
    const done = await task(names.doneTask, w.orgA.id);
    expect((await w.clients.adminA.post(`${base}/tasks/${done.body.id}/status`, { status: "done" })).status).toBe(200);

    // An open vote with an anonymous endorsement (and its comment) by organisation A.
    const vote = await draftAndOpen(w, { text: { title: names.statement } });
    const ballot = await cast(w.clients.adminA, vote.url, {
      organisationId: w.orgA.id,
      choice: "endorse",
      named: false,
      comment: names.secretComment,
    });
    expect(ballot.status, ballot.text).toBe(201);
  });

  async function newFeed(client = w.clients.memberA) {
    const res = await client.post<CalendarFeedLink>(FEED);
    expect(res.status, res.text).toBe(201);
    return res.body;
  }

  it("is made on request, fetched without a session, and shows the person's coalitions only", async () => {
    expect((await w.clients.memberA.get<CalendarFeed>(FEED)).body).toEqual({ active: false, createdAt: null, lastFetchedAt: null });
    const link = await newFeed();
    expect(link.url).toMatch(/^http:\/\/localhost:3000\/calendar\/[a-z2-7]{52}\.ics$/);
    expect(link.webcalUrl).toBe(link.url.replace(/^http:/, "webcal:"));
    expect((await w.clients.memberA.get<CalendarFeed>(FEED)).body).toMatchObject({ active: true, lastFetchedAt: null });

    const res = await ctx.anonymous().get(pathOf(link));
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("private, max-age=300");
    const ics = unfold(res.text);
    expect(ics).toContain(`SUMMARY:${names.march}`);
    expect(ics).toContain(`SUMMARY:${names.demo}`);
    // One all-day event per march stage, with a UID that stays the same from fetch to fetch.
    expect(ics).toContain(`SUMMARY:${names.march}\\, stage 2: Skuon to Kampong Thom (88.1 km)`);
    expect(ics).toContain("DTSTART;VALUE=DATE:20261211");
    expect(ics).toMatch(/UID:[0-9a-f-]{36}-stage-2@samakki/);
    // Their organisation's open task, as an all-day event; the vote's closing time.
    expect(ics).toContain(`SUMMARY:Task due: ${names.ourTask}`);
    expect(ics).toContain("DTSTART;VALUE=DATE:20261220");
    expect(ics).toContain(`SUMMARY:Vote closes: ${names.statement}`);
    // Nothing from another coalition, another organisation's or a finished task, or the ballots.
    expect(ics).not.toContain(names.otherMarch);
    expect(ics).not.toContain("Siem Reap");
    expect(ics).not.toContain(names.otherOrgTask);
    expect(ics).not.toContain(names.doneTask);
    expect(ics).not.toContain(names.secretComment);
    expect(ics).not.toContain(w.orgA.name);
    expect(ics.toLowerCase()).not.toContain("anonymous");
    expect(ics.toLowerCase()).not.toContain("endorse");
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(6);
    // The same feed twice: the same UIDs and bytes (so calendar apps update, and the ETag holds).
    const again = await ctx.anonymous().get(pathOf(link));
    expect(again.text).toBe(res.text);

    const status = (await w.clients.memberA.get<CalendarFeed>(FEED)).body;
    expect(status.lastFetchedAt).not.toBeNull();
  });

  it("answers 304 to a calendar app that has the current version", async () => {
    const link = await newFeed(w.clients.adminB);
    const first = await ctx.anonymous().get(pathOf(link));
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const cached = await ctx.anonymous().get(pathOf(link), { "if-none-match": `W/${etag}` });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe("");
    expect((await ctx.anonymous().get(pathOf(link), { "if-none-match": '"something-else"' })).status).toBe(200);
  });

  it("stores only the token's SHA-256, and audits without the token", async () => {
    const person = await createPerson(ctx);
    await addMember(ctx, w.orgA.id, person.id);
    const client = await signInAs(ctx, person);
    const link = await newFeed(client);
    const token = tokenOf(link);
    const row = await ctx.db.selectFrom("calendar_feed").where("person_id", "=", person.id).selectAll().executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const events = await ctx.db.selectFrom("audit_event").where("actor_id", "=", person.id).selectAll().execute();
    expect(events.map((e) => e.action)).toEqual(["calendar_feed.created"]);
    expect(events[0]).toMatchObject({ target_type: "person", target_id: person.id, coalition_id: null });
    expect(JSON.stringify(events)).not.toContain(token);
    expect(JSON.stringify(events)).not.toContain(row.token_hash);
  });

  it("rotating ends the old link at once; revoking ends the link; both are audited", async () => {
    const person = await createPerson(ctx);
    await addMember(ctx, w.orgA.id, person.id);
    const client = await signInAs(ctx, person);
    const first = await newFeed(client);
    expect((await ctx.anonymous().get(pathOf(first))).status).toBe(200);

    const second = await newFeed(client);
    expect(tokenOf(second)).not.toBe(tokenOf(first));
    expect((await ctx.anonymous().get(pathOf(first))).status).toBe(404);
    expect((await ctx.anonymous().get(pathOf(second))).status).toBe(200);
    expect(await ctx.db.selectFrom("calendar_feed").where("person_id", "=", person.id).select("person_id").execute()).toHaveLength(1);

    expect((await client.delete(FEED)).status).toBe(204);
    const gone = await ctx.anonymous().get(pathOf(second));
    expect(gone.status).toBe(404);
    expect(gone.headers.get("content-type")).toContain("application/problem+json");
    expect((await client.get<CalendarFeed>(FEED)).body).toEqual({ active: false, createdAt: null, lastFetchedAt: null });
    // Revoking again changes nothing and records nothing.
    expect((await client.delete(FEED)).status).toBe(204);
    const actions = await ctx.db.selectFrom("audit_event").where("actor_id", "=", person.id).orderBy("id").select("action").execute();
    expect(actions.map((a) => a.action)).toEqual(["calendar_feed.created", "calendar_feed.rotated", "calendar_feed.revoked"]);
  });

  it("answers any malformed link with 404, never a 500", async () => {
    const link = await newFeed(w.clients.observer);
    const token = tokenOf(link);
    const paths = [
      "/calendar/x.ics",
      `/calendar/${token}`,
      `/calendar/${token}.ICS`,
      `/calendar/${token.toUpperCase()}.ics`,
      `/calendar/${token.slice(1)}.ics`,
      `/calendar/${token}a.ics`,
      `/calendar/${token.slice(0, -1)}1.ics`,
      `/calendar/${"a".repeat(52)}.ics`,
      `/calendar/${"a".repeat(500)}.ics`,
      `/calendar/%E0%A4%A.ics`,
      `/calendar/${encodeURIComponent("' OR 1=1 --")}.ics`,
      `/calendar/..%2F..%2Fapi%2Fme.ics`,
    ];
    for (const path of paths) expect((await ctx.anonymous().get(path)).status, path).toBe(404);
    // A NUL anywhere in a path is refused by the app's input guard before any route (400, not 500).
    expect((await ctx.anonymous().get(`/calendar/${token}.ics%00`)).status).toBe(400);
    expect((await ctx.anonymous().get(pathOf(link))).status).toBe(200);
  });

  it("follows membership: a person who leaves an organisation loses its coalition's events at the next fetch", async () => {
    const person = await createPerson(ctx);
    await addMember(ctx, w.orgB.id, person.id);
    const link = await newFeed(await signInAs(ctx, person));
    const before = unfold((await ctx.anonymous().get(pathOf(link))).text);
    expect(before).toContain(names.march);
    expect(before).toContain(names.otherOrgTask);
    await ctx.db.deleteFrom("membership").where("person_id", "=", person.id).execute();
    const after = await ctx.anonymous().get(pathOf(link));
    expect(after.status).toBe(200);
    expect(after.text).not.toContain(names.march);
    expect(after.text).not.toContain(names.otherOrgTask);
    expect(after.text.match(/BEGIN:VEVENT/g)).toBeNull();
  });

  it("stops working when the account is disabled or deleted", async () => {
    const person = await createPerson(ctx);
    await addMember(ctx, w.orgA.id, person.id);
    const link = await newFeed(await signInAs(ctx, person));
    expect((await ctx.anonymous().get(pathOf(link))).status).toBe(200);
    await ctx.db.updateTable("person").set({ disabled_at: new Date() }).where("id", "=", person.id).execute();
    expect((await ctx.anonymous().get(pathOf(link))).status).toBe(404);
    await ctx.db.updateTable("person").set({ disabled_at: null }).where("id", "=", person.id).execute();
    expect((await ctx.anonymous().get(pathOf(link))).status).toBe(200);

    // A deleted account takes its feed with it (a person with no audit trail, so it can be deleted here).
    const gone = await createPerson(ctx);
    await addMember(ctx, w.orgA.id, gone.id);
    const token = generateToken(32);
    await ctx.db
      .insertInto("calendar_feed")
      .values({ person_id: gone.id, token_hash: hashToken(token) })
      .execute();
    expect((await ctx.anonymous().get(`/calendar/${token}.ics`)).status).toBe(200);
    await ctx.db.deleteFrom("person").where("id", "=", gone.id).execute();
    expect(await ctx.db.selectFrom("calendar_feed").where("person_id", "=", gone.id).select("person_id").execute()).toEqual([]);
    expect((await ctx.anonymous().get(`/calendar/${token}.ics`)).status).toBe(404);
  });

  it("is rate limited per feed, like other public endpoints (429 with Retry-After)", async () => {
    const person = await createPerson(ctx);
    await addMember(ctx, w.orgA.id, person.id);
    const link = await newFeed(await signInAs(ctx, person));
    expect((await ctx.anonymous().get(pathOf(link))).status).toBe(200);
    // The feed's window already holds its allowance (as after FEED_LIMITS.feed fetches).
    await ctx.db
      .updateTable("rate_limit")
      .set({ count: FEED_LIMITS.feed })
      .where("key", "=", `calendar-feed:person:${person.id}`)
      .execute();
    const limited = await ctx.anonymous().get(pathOf(link));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe(String(FEED_WINDOW_SECONDS));
    // Other people's feeds from the same address still answer.
    const other = await newFeed(w.clients.adminA);
    expect((await ctx.anonymous().get(pathOf(other))).status).toBe(200);
  });

  it("titles the feed in the person's account language", async () => {
    const person = await createPerson(ctx, { language: "km" });
    await addMember(ctx, w.orgA.id, person.id);
    const link = await newFeed(await signInAs(ctx, person));
    const ics = unfold((await ctx.anonymous().get(pathOf(link))).text);
    expect(ics).toContain("X-WR-CALNAME:សាមគ្គី");
    expect(ics).toContain(`SUMMARY:ថ្ងៃផុតកំណត់ភារកិច្ច៖ ${names.ourTask}`);
    expect(ics).toContain(`SUMMARY:ការបោះឆ្នោតបិទ៖ ${names.statement}`);
    expect(ics).not.toContain("Task due");
  });

  it("needs a recent sign-in to make a link, and a session for the account routes", async () => {
    const person = await createPerson(ctx);
    await addMember(ctx, w.orgA.id, person.id);
    const client = await signInAs(ctx, person);
    await ctx.db
      .updateTable("session")
      .set({ recent_auth_at: new Date(Date.now() - 16 * MINUTE) })
      .where("person_id", "=", person.id)
      .execute();
    const before = await snapshotCounts(ctx);
    const refused = await client.post<{ code: string }>(FEED);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("reauthentication_required");
    expect(await ctx.db.selectFrom("calendar_feed").where("person_id", "=", person.id).select("person_id").execute()).toEqual([]);
    expect(await snapshotCounts(ctx)).toEqual(before);
    // Seeing whether there is a link, and revoking it, need no fresh sign-in.
    expect((await client.get(FEED)).status).toBe(200);
    expect((await client.delete(FEED)).status).toBe(204);

    const anonymous = ctx.anonymous();
    expect((await anonymous.get(FEED)).status).toBe(401);
    expect((await anonymous.post(FEED)).status).toBe(401);
    expect((await anonymous.delete(FEED)).status).toBe(401);
  });
});
