import { Writable } from "node:stream";
import type { SignupList } from "@samakki/shared/signups";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { setDatabaseClockOffset } from "../../../../test/clock.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { createLogger } from "../../../lib/logger.ts";
import { eraseSignupsAfterEvents } from "../signups.service.ts";
import { type CountsBody, linksFor, pendingAt, peopleAt, postForm, type Setup, setUp } from "./helpers.ts";

let ctx: TestContext;
let s: Setup;
const lines: string[] = [];

type ListBody = SignupList;

beforeAll(async () => {
  ctx = await buildTestApp({ trustProxy: true });
  // Capture every log line the app writes, at the most verbose level.
  ctx.deps.logger = createLogger(
    "trace",
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  s = await setUp(ctx);
});

async function signUp(fields: { name: string; email?: string; phone?: string; guests?: string; choices: string[] }) {
  const res = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, fields);
  expect(res.status, res.text).toBe(303);
}

async function signupId(name: string) {
  const row = await ctx.db.selectFrom("signup").where("name", "=", name).select("id").executeTakeFirstOrThrow();
  return row.id;
}

describe("organisers", () => {
  it("owners see the list; other members see counts only; others are refused", async () => {
    await signUp({ name: "Srey Phone", phone: "+855 12 111 222", guests: "1", choices: [`${s.march.id}:1`, `${s.march.id}:2`] });
    const list = `${s.activityBase}/${s.march.id}/signups`;
    const counts = `${s.activityBase}/${s.march.id}/signup-counts`;

    for (const who of ["coordinator", "adminA"] as const) {
      const res = await s.w.clients[who].get<ListBody>(list);
      expect(res.status, who).toBe(200);
      const item = res.body.items.find((i) => i.name === "Srey Phone");
      expect(item?.phone).toBe("+855 12 111 222");
      expect(item?.positions).toEqual([1, 2]);
      expect(item?.guests).toBe(1);
      expect(res.body.canManage).toBe(true);
    }
    // The owners see the pending ones too.
    expect(pendingAt((await s.w.clients.coordinator.get<CountsBody>(counts)).body, 1)).toBe(2);
    // A plain member of the co-owner, the admin of a non-owner organisation, an observer: counts only.
    for (const who of ["memberA", "adminB", "observer"] as const) {
      expect((await s.w.clients[who].get(list)).status, who).toBe(403);
      const c = await s.w.clients[who].get<CountsBody>(counts);
      expect(c.status, who).toBe(200);
      expect(c.body.canManage).toBe(false);
      // Confirmed counts only: anyone may post the form with someone's contact, and the pending count
      // would tell a member watching it whether that person had signed up (a confirmed one stays).
      expect(c.body.counts.every((count) => count.pendingPeople === null)).toBe(true);
      expect(JSON.stringify(c.body)).not.toContain("Srey");
    }
    expect((await s.w.clients.anonymous.get(list)).status).toBe(401);
    expect((await s.w.clients.anonymous.get(counts)).status).toBe(401);
    expect((await s.w.clients.outsider.get(list)).status).toBe(404);
    expect((await s.w.clients.outsider.get(counts)).status).toBe(404);
    expect((await s.w.clients.coordinator.get(`${s.activityBase}/not-a-uuid/signups`)).status).toBe(404);
    // An activity of another campaign through this campaign's path: 404.
    const other = await setUp(ctx);
    expect((await s.w.clients.coordinator.get(`${s.activityBase}/${other.march.id}/signups`)).status).toBe(404);
    // The other coalition's coordinator cannot reach this coalition's list through their own coalition id.
    const viaOther = `/api/coalitions/${s.w.other.id}/campaigns/${s.campaign.id}/activities/${s.march.id}/signups`;
    expect((await s.w.clients.outsider.get(viaOther)).status).toBe(404);
  });

  it("confirm by phone: owners only, once, audited with who and when and without the person's data", async () => {
    await signUp({ name: "Bopha Caller", phone: "097 555 0101", guests: "3", choices: [`${s.march.id}:3`] });
    const id = await signupId("Bopha Caller");
    const path = `${s.activityBase}/${s.march.id}/signups/${id}/confirm-by-phone`;

    const before = await snapshotCounts(ctx);
    expect((await s.w.clients.anonymous.post(path)).status).toBe(401);
    expect((await s.w.clients.memberA.post(path)).status).toBe(403);
    expect((await s.w.clients.adminB.post(path)).status).toBe(403);
    expect((await s.w.clients.outsider.post(path)).status).toBe(404);
    expect(
      (await s.w.clients.adminA.post(`${s.activityBase}/${s.march.id}/signups/00000000-0000-4000-8000-000000000000/confirm-by-phone`))
        .status,
    ).toBe(404);
    expect(await snapshotCounts(ctx)).toEqual(before);
    expect((await ctx.db.selectFrom("signup").where("id", "=", id).select("status").executeTakeFirstOrThrow()).status).toBe("pending");

    const res = await s.w.clients.adminA.post(path);
    expect(res.status, res.text).toBe(204);
    expect((await s.w.clients.coordinator.post(path)).status).toBe(409);

    const list = await s.w.clients.coordinator.get<ListBody>(`${s.activityBase}/${s.march.id}/signups`);
    const item = list.body.items.find((i) => i.id === id);
    expect(item?.status).toBe("confirmed");
    expect(item?.confirmedVia).toBe("phone");
    expect(item?.confirmedBy?.id).toBe(s.w.people.adminA.id);
    const counts = await s.w.clients.memberA.get<CountsBody>(`${s.activityBase}/${s.march.id}/signup-counts`);
    expect(peopleAt(counts.body, 3)).toBe(4);

    const events = await ctx.db.selectFrom("audit_event").where("target_id", "=", id).selectAll().execute();
    expect(events.map((e) => e.action)).toEqual(["signup.confirmed_by_phone"]);
    expect(events[0]?.actor_id).toBe(s.w.people.adminA.id);
    expect(JSON.stringify(events)).not.toMatch(/Bopha|097 555 0101|0975550101/);
  });

  it("owners remove a sign-up; others cannot", async () => {
    await signUp({ name: "Remove Me", email: "remove.me@example.org", choices: [`${s.meeting.id}:0`] });
    const id = await signupId("Remove Me");
    const path = `${s.activityBase}/${s.meeting.id}/signups/${id}`;
    const before = await snapshotCounts(ctx);
    expect((await s.w.clients.anonymous.delete(path)).status).toBe(401);
    expect((await s.w.clients.memberA.delete(path)).status).toBe(403);
    expect((await s.w.clients.outsider.delete(path)).status).toBe(404);
    expect(await snapshotCounts(ctx)).toEqual(before);
    expect((await s.w.clients.coordinator.delete(path)).status).toBe(204);
    expect(await ctx.db.selectFrom("signup").where("id", "=", id).selectAll().execute()).toHaveLength(0);
    expect((await s.w.clients.coordinator.delete(path)).status).toBe(404);
  });

  it("no personal data of the public in any log line or audit event", async () => {
    await signUp({
      name: "Private Person",
      email: "private.person@example.org",
      phone: "011 999 888",
      guests: "1",
      choices: [`${s.march.id}:1`],
    });
    const links = await linksFor(ctx, "private.person@example.org");
    await ctx.anonymous().get(`/signups/confirm/${links.confirm}`);
    expect((await ctx.anonymous().post(`/signups/confirm/${links.confirm}`)).status).toBe(303);
    await s.w.clients.coordinator.get(`${s.activityBase}/${s.march.id}/signups`);
    const bad = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "Private Person",
      email: "private.person@",
      phone: "011 999 888",
      choices: [],
    });
    expect(bad.status).toBe(400);
    expect(lines.length).toBeGreaterThan(3);
    const logged = lines.join("\n");
    expect(logged).toContain("request");
    expect(logged).not.toMatch(/Private Person|private\.person|011 999 888|011999888/i);
    const audit = await ctx.db.selectFrom("audit_event").selectAll().execute();
    expect(JSON.stringify(audit)).not.toMatch(/Private Person|private\.person|011 999 888/i);
  });
});

describe("the deletion job", () => {
  it("erases personal data 7 days after the activity's last stage, keeps the counts, and audits only the number", async () => {
    const job = await setUp(ctx);
    const path = `${job.joinPath}?lang=en`;
    expect(
      (
        await postForm(ctx.anonymous(), path, {
          name: "Kept Count",
          email: "kept@example.org",
          guests: "2",
          choices: [`${job.march.id}:1`, `${job.march.id}:3`],
        })
      ).status,
    ).toBe(303);
    expect(
      (await postForm(ctx.anonymous(), path, { name: "Never Confirmed", email: "never@example.org", choices: [`${job.march.id}:2`] }))
        .status,
    ).toBe(303);
    const links = await linksFor(ctx, "kept@example.org");
    expect((await ctx.anonymous().post(`/signups/confirm/${links.confirm}`)).status).toBe(303);
    const countsPath = `${job.activityBase}/${job.march.id}/signup-counts`;
    const before = await job.w.clients.memberA.get<CountsBody>(countsPath);
    expect(peopleAt(before.body, 1)).toBe(3);
    expect(peopleAt(before.body, 3)).toBe(3);

    // As if the worker had delivered it: a sent confirmation holds the address, and goes with the data.
    await ctx.db
      .updateTable("outbox_email")
      .set({ status: "sent", sent_at: new Date() })
      .where("to_address", "=", "kept@example.org")
      .execute();
    const DAY = 86_400_000;
    try {
      // The last stage is in 12 days (its day ends in 13); 7 days later is day 20. On day 19 nothing happens.
      await setDatabaseClockOffset(ctx.db, 19 * DAY);
      const early = await eraseSignupsAfterEvents(ctx.deps);
      const stillThere = await ctx.db.selectFrom("signup").where("activity_id", "=", job.march.id).selectAll().execute();
      expect(stillThere.filter((r) => r.name !== null)).toHaveLength(2);
      expect(early).toBe(0);

      await setDatabaseClockOffset(ctx.db, 21 * DAY);
      const erased = await eraseSignupsAfterEvents(ctx.deps);
      expect(erased).toBeGreaterThanOrEqual(2);
      const rows = await ctx.db.selectFrom("signup").where("activity_id", "=", job.march.id).selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        name: null,
        email: null,
        phone: null,
        contact_key: null,
        confirm_token_hash: null,
        cancel_token_hash: null,
        status: "confirmed",
      });
      expect(await ctx.db.selectFrom("outbox_email").where("to_address", "=", "kept@example.org").selectAll().execute()).toHaveLength(0);

      const after = await job.w.clients.memberA.get<CountsBody>(countsPath);
      expect(peopleAt(after.body, 1)).toBe(3);
      expect(peopleAt(after.body, 3)).toBe(3);
      expect(pendingAt(after.body, 2)).toBe(0);
      const list = await job.w.clients.coordinator.get<{ items: unknown[] }>(`${job.activityBase}/${job.march.id}/signups`);
      expect(list.body.items).toHaveLength(0);

      const events = await ctx.db
        .selectFrom("audit_event")
        .where("action", "=", "signups.erased_after_event")
        .where("target_id", "=", job.march.id)
        .selectAll()
        .execute();
      expect(events).toHaveLength(1);
      expect(events[0]?.after).toEqual({ count: 2 });
      expect(JSON.stringify(events)).not.toMatch(/Kept Count|kept@|never@/);

      expect(await eraseSignupsAfterEvents(ctx.deps)).toBe(0);
    } finally {
      await setDatabaseClockOffset(ctx.db, 0);
    }
  });
});
