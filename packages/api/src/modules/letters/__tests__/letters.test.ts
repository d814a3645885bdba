import type { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createWorld } from "../../../../test/factories/index.ts";
import { sendLetterFollowUps } from "../letters.follow-up.ts";
import {
  type ActionBody,
  type LetterBody,
  letterCounts,
  makeAction,
  makeCampaign,
  makeTarget,
  type TargetBody,
  type World,
} from "./helpers.ts";

describe("letters to members of parliament", () => {
  let ctx: TestContext;
  let w: World;

  beforeAll(async () => {
    ctx = await buildTestApp();
    const world = await createWorld(ctx);
    w = { ...world, base: `/api/coalitions/${world.coalition.id}` };
  });

  describe("the directory of targets", () => {
    it("coordinators add, edit and archive targets; members read; others are refused and nothing changes", async () => {
      const target = await makeTarget(w, { nameEn: "Sok Dara", party: "Party A", province: "KH-12" });
      expect(target).toMatchObject({ nameEn: "Sok Dara", province: "KH-12", archived: false });

      for (const [client, status] of [
        [w.clients.anonymous, 401],
        [w.clients.outsider, 404],
        [w.clients.suspended, 404],
        [w.clients.adminA, 403],
        [w.clients.observer, 403],
      ] as const) {
        const before = await letterCounts(ctx);
        const created = await client.post<Problem>(`${w.base}/letter-targets`, { nameEn: "Someone" });
        expect(created.status).toBe(status);
        const edited = await client.patch<Problem>(`${w.base}/letter-targets/${target.id}`, { archived: true });
        expect(edited.status).toBe(status);
        expect(await letterCounts(ctx)).toEqual(before);
      }
      const row = await ctx.db.selectFrom("letter_target").where("id", "=", target.id).selectAll().executeTakeFirstOrThrow();
      expect(row.archived_at).toBeNull();

      // Members and observers read the directory; the other coalition does not see it.
      for (const client of [w.clients.adminA, w.clients.memberA, w.clients.observer]) {
        const list = await client.get<TargetBody[]>(`${w.base}/letter-targets`);
        expect(list.status).toBe(200);
        expect(list.body.map((t) => t.id)).toContain(target.id);
      }
      expect((await w.clients.outsider.get(`${w.base}/letter-targets`)).status).toBe(404);
      expect((await w.clients.outsider.get(`/api/coalitions/${w.other.id}/letter-targets/${target.id}`)).status).toBe(404);
      expect((await w.clients.adminA.get(`${w.base}/letter-targets/not-a-uuid`)).status).toBe(404);

      const edited = await w.clients.coordinator.patch<TargetBody>(`${w.base}/letter-targets/${target.id}`, { party: "Party B" });
      expect(edited.status, edited.text).toBe(200);
      expect(edited.body.party).toBe("Party B");

      const archived = await w.clients.coordinator.patch<TargetBody>(`${w.base}/letter-targets/${target.id}`, { archived: true });
      expect(archived.body.archived).toBe(true);
      const active = await w.clients.adminA.get<TargetBody[]>(`${w.base}/letter-targets`);
      expect(active.body.map((t) => t.id)).not.toContain(target.id);
      const all = await w.clients.adminA.get<TargetBody[]>(`${w.base}/letter-targets?archived=all`);
      expect(all.body.map((t) => t.id)).toContain(target.id);
      const audit = await ctx.db
        .selectFrom("audit_event")
        .where("target_id", "=", target.id)
        .select("action")
        .orderBy("created_at")
        .execute();
      expect(audit.map((a) => a.action)).toEqual(["letter_target.created", "letter_target.updated", "letter_target.archived"]);
    });

    it("refuses a bad target with field errors and saves nothing", async () => {
      const before = await letterCounts(ctx);
      const res = await w.clients.coordinator.post<Problem>(`${w.base}/letter-targets`, {
        province: "KH-26",
        email: "not an email",
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("validation_failed");
      const paths = (res.body.errors ?? []).map((e) => e.path).sort();
      expect(paths).toEqual(["email", "nameEn", "province"]);
      expect(await letterCounts(ctx)).toEqual(before);
    });

    it("imports a CSV in two steps: a preview with an error per invalid row, then the valid rows in one go", async () => {
      const csv = [
        "name_en,name_km,party,province,email",
        "Chan Sophea,ចាន់ សុភា,Party A,KH-3,chan@example.org",
        ",,Party B,KH-3,",
        "Heng Vanna,,Party B,KH-40,heng@example.org",
        '"=HYPERLINK(""x"")",,Party C,KH-3,',
      ].join("\n");
      const before = await letterCounts(ctx);
      const preview = await w.clients.coordinator.post<{
        rows: { line: number; target: unknown; errors: { path: string; message: string }[] }[];
        valid: number;
        invalid: number;
      }>(`${w.base}/letter-targets/import/preview`, { csv });
      expect(preview.status, preview.text).toBe(200);
      expect(preview.body.valid).toBe(2);
      expect(preview.body.invalid).toBe(2);
      expect(preview.body.rows.map((r) => [r.line, r.errors.map((e) => e.path)])).toEqual([
        [2, []],
        [3, ["nameEn"]],
        [4, ["province"]],
        [5, []],
      ]);
      expect(preview.body.rows[2]?.errors[0]?.message).not.toContain("validation.");
      expect(await letterCounts(ctx)).toEqual(before);

      // Observers and members cannot import.
      expect((await w.clients.adminA.post(`${w.base}/letter-targets/import`, { csv })).status).toBe(403);
      expect(await letterCounts(ctx)).toEqual(before);

      const done = await w.clients.coordinator.post<{ imported: number; skipped: number }>(`${w.base}/letter-targets/import`, { csv });
      expect(done.status, done.text).toBe(200);
      expect(done.body).toEqual({ imported: 2, skipped: 2 });
      const after = await letterCounts(ctx);
      expect(after.letter_target).toBe((before.letter_target ?? 0) + 2);

      // The export neutralises the formula cell.
      const exported = await w.clients.adminA.get(`${w.base}/letter-targets.csv`);
      expect(exported.status).toBe(200);
      expect(exported.text).toContain(`"'=HYPERLINK(""x"")"`);
      expect(exported.text).toContain("ចាន់ សុភា");
    });

    it("refuses a file without known columns as a whole", async () => {
      const res = await w.clients.coordinator.post<Problem>(`${w.base}/letter-targets/import/preview`, { csv: "foo,bar\n1,2" });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe("csv");
    });
  });

  describe("letter actions, letters and replies", () => {
    let campaignId: string;
    let t1: TargetBody;
    let t2: TargetBody;
    let t3: TargetBody;
    let action: ActionBody;

    beforeAll(async () => {
      campaignId = (await makeCampaign(w)).id;
      t1 = await makeTarget(w, { party: "Party A", province: "KH-12" });
      t2 = await makeTarget(w, { party: "Party B", province: "KH-12" });
      t3 = await makeTarget(w, { party: "Party B", province: "KH-3" });
      action = await makeAction(w, campaignId, [t1.id, t2.id, t3.id]);
    });

    it("coordinators and co-owners' admins manage letter actions; co-owners' members, other members and observers cannot", async () => {
      const byAdmin = await makeAction(w, campaignId, [t1.id], w.clients.adminA);
      expect(byAdmin.canEdit).toBe(true);
      for (const [client, status] of [
        [w.clients.anonymous, 401],
        [w.clients.outsider, 404],
        [w.clients.memberA, 403],
        [w.clients.adminB, 403],
        [w.clients.observer, 403],
      ] as const) {
        const before = await letterCounts(ctx);
        const res = await client.post(`${w.base}/campaigns/${campaignId}/letter-actions`, { title: "Not allowed", targetIds: [] });
        expect(res.status, res.text).toBe(status);
        const edit = await client.patch(`${w.base}/campaigns/${campaignId}/letter-actions/${action.id}`, { title: "Changed" });
        expect(edit.status).toBe(status);
        expect(await letterCounts(ctx)).toEqual(before);
      }
      const list = await w.clients.observer.get<ActionBody[]>(`${w.base}/campaigns/${campaignId}/letter-actions`);
      expect(list.status).toBe(200);
      expect(list.body.find((a) => a.id === action.id)?.canEdit).toBe(false);
      expect((await w.clients.outsider.get(`/api/coalitions/${w.other.id}/campaigns/${campaignId}/letter-actions`)).status).toBe(404);
    });

    it("refuses targets of another coalition", async () => {
      const otherTarget = await w.clients.outsider.post<TargetBody>(`/api/coalitions/${w.other.id}/letter-targets`, {
        nameEn: "Elsewhere",
      });
      expect(otherTarget.status).toBe(201);
      const before = await letterCounts(ctx);
      const res = await w.clients.coordinator.post<Problem>(`${w.base}/campaigns/${campaignId}/letter-actions`, {
        title: "Mixed",
        targetIds: [t1.id, otherTarget.body.id],
      });
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.path)).toEqual(["targetIds.1"]);
      expect(await letterCounts(ctx)).toEqual(before);
    });

    it("organisations record letters and replies for themselves only", async () => {
      const path = `${w.base}/campaigns/${campaignId}/letter-actions/${action.id}/letters`;
      const letter = { targetId: t1.id, organisationId: w.orgA.id, sentOn: "2026-11-02", channel: "hand", deliveryConfirmed: true };
      // Another organisation's admin, an observer, a suspended organisation, another coalition, anonymous.
      for (const [client, body, status] of [
        [w.clients.anonymous, letter, 401],
        [w.clients.outsider, letter, 404],
        [w.clients.suspended, letter, 404],
        [w.clients.adminB, letter, 403],
        [w.clients.observer, { ...letter, organisationId: w.observerOrg.id }, 403],
      ] as const) {
        const before = await letterCounts(ctx);
        const res = await client.post(path, body);
        expect(res.status, res.text).toBe(status);
        expect(await letterCounts(ctx)).toEqual(before);
      }
      const recorded = await w.clients.memberA.post<LetterBody>(path, letter);
      expect(recorded.status, recorded.text).toBe(201);
      expect(recorded.body).toMatchObject({ target: { id: t1.id }, organisation: { id: w.orgA.id }, deliveryConfirmed: true, reply: null });
      const second = await w.clients.adminB.post<LetterBody>(path, {
        targetId: t3.id,
        organisationId: w.orgB.id,
        sentOn: "2026-11-05",
        channel: "post",
      });
      expect(second.status, second.text).toBe(201);

      // Bad input: a target not on the action, a wrong channel.
      const before = await letterCounts(ctx);
      const outside = await makeTarget(w);
      const afterTarget = await letterCounts(ctx);
      const bad = await w.clients.memberA.post<Problem>(path, { ...letter, targetId: outside.id });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.map((e) => e.path)).toEqual(["targetId"]);
      const badChannel = await w.clients.memberA.post<Problem>(path, { ...letter, channel: "pigeon", sentOn: "2026-02-30" });
      expect(badChannel.status).toBe(400);
      expect(badChannel.body.errors?.map((e) => e.path).sort()).toEqual(["channel", "sentOn"]);
      expect(await letterCounts(ctx)).toEqual(afterTarget);
      expect(afterTarget.letter_target).toBe((before.letter_target ?? 0) + 1);

      // The reply: only the sending organisation's people.
      const replyPath = `${path}/${recorded.body.id}/reply`;
      const reply = {
        receivedOn: "2026-11-10",
        summary: "Will support the bill",
        stance: "supportive",
        scanReference: "drive/reply-1.pdf",
      };
      for (const [client, status] of [
        [w.clients.anonymous, 401],
        [w.clients.outsider, 404],
        [w.clients.adminB, 403],
        [w.clients.observer, 403],
      ] as const) {
        const snap = await letterCounts(ctx);
        expect((await client.request("PUT", replyPath, reply)).status).toBe(status);
        expect(await letterCounts(ctx)).toEqual(snap);
      }
      const badReply = await w.clients.adminA.request<Problem>("PUT", replyPath, { ...reply, stance: "maybe", summary: "" });
      expect(badReply.status).toBe(400);
      expect(badReply.body.errors?.map((e) => e.path).sort()).toEqual(["stance", "summary"]);
      const replied = await w.clients.adminA.request<LetterBody>("PUT", replyPath, reply);
      expect(replied.status, replied.text).toBe(200);
      expect(replied.body.reply).toMatchObject({ stance: "supportive", summary: "Will support the bill" });

      // The letter of orgB cannot be changed by orgA.
      const foreign = await w.clients.adminA.patch(`${path}/${second.body.id}`, { deliveryConfirmed: true });
      expect(foreign.status).toBe(403);
      const confirm = await w.clients.adminB.patch<LetterBody>(`${path}/${second.body.id}`, { deliveryConfirmed: true });
      expect(confirm.body.deliveryConfirmed).toBe(true);

      const audit = await ctx.db
        .selectFrom("audit_event")
        .where("target_id", "in", [recorded.body.id, second.body.id])
        .select("action")
        .execute();
      expect(audit.map((a) => a.action).sort()).toEqual(["letter.recorded", "letter.recorded", "letter.reply_recorded", "letter.updated"]);
    });

    it("shows targets not yet contacted, letters awaiting a reply and response rates by party and province", async () => {
      const stats = await w.clients.observer.get<{
        notContacted: { id: string }[];
        awaitingReply: { target: { id: string } }[];
        byParty: { key: string; letters: number; replied: number; supportive: number; rate: number | null }[];
        byProvince: { key: string; letters: number; replied: number; rate: number | null }[];
      }>(`${w.base}/campaigns/${campaignId}/letter-stats`);
      expect(stats.status, stats.text).toBe(200);
      expect(stats.body.notContacted.map((t) => t.id)).toEqual([t2.id]);
      expect(stats.body.awaitingReply.map((l) => l.target.id)).toEqual([t3.id]);
      expect(stats.body.byParty).toEqual([
        { key: "Party A", letters: 1, replied: 1, supportive: 1, undecided: 0, opposed: 0, rate: 1 },
        { key: "Party B", letters: 1, replied: 0, supportive: 0, undecided: 0, opposed: 0, rate: 0 },
      ]);
      expect(stats.body.byProvince.map((r) => [r.key, r.letters, r.replied])).toEqual([
        ["KH-12", 1, 1],
        ["KH-3", 1, 0],
      ]);
      expect((await w.clients.outsider.get(`/api/coalitions/${w.other.id}/campaigns/${campaignId}/letter-stats`)).status).toBe(404);
    });

    it("derives a 'letters' metric from the delivered letters and keeps typed metrics unchanged", async () => {
      const derived = await w.clients.coordinator.post<{ id: string; total: number; source: string }>(
        `${w.base}/campaigns/${campaignId}/metrics`,
        { name: "Letters delivered", source: "letters", target: 10 },
      );
      expect(derived.status, derived.text).toBe(201);
      expect(derived.body).toMatchObject({ source: "letters", total: 2 });
      const typed = await w.clients.coordinator.post<{ id: string; total: number; source: string }>(
        `${w.base}/campaigns/${campaignId}/metrics`,
        { name: "Ribbons" },
      );
      expect(typed.body).toMatchObject({ source: "typed", total: 0 });
      const before = await letterCounts(ctx);
      const refused = await w.clients.adminA.post<Problem>(`${w.base}/campaigns/${campaignId}/metrics/${derived.body.id}/contributions`, {
        organisationId: w.orgA.id,
        amount: 5,
        date: "2026-11-01",
      });
      expect(refused.status).toBe(400);
      expect(await letterCounts(ctx)).toEqual(before);
      const metrics = await w.clients.adminB.get<
        { id: string; total: number; shares: { organisation: { id: string }; amount: number }[] }[]
      >(`${w.base}/campaigns/${campaignId}/metrics`);
      const m = metrics.body.find((x) => x.id === derived.body.id);
      expect(m?.total).toBe(2);
      expect(m?.shares.map((s) => [s.organisation.id, s.amount]).sort()).toEqual(
        [
          [w.orgA.id, 1],
          [w.orgB.id, 1],
        ].sort(),
      );

      // The dashboard's progress and the public campaign page total the metric the same way.
      const made = await w.clients.coordinator.patch(`${w.base}/campaigns/${campaignId}`, { status: "active", visibility: "public" });
      expect(made.status, made.text).toBe(200);
      const dashboard = await w.clients.adminA.get<{ campaigns: { items: { id: string; metrics: { id: string; total: number }[] }[] } }>(
        `${w.base}/dashboard`,
      );
      const onDashboard = dashboard.body.campaigns.items.find((c) => c.id === campaignId)?.metrics.find((x) => x.id === derived.body.id);
      expect(onDashboard?.total).toBe(2);
      const campaign = await ctx.db
        .selectFrom("campaign as ca")
        .innerJoin("coalition as co", "co.id", "ca.coalition_id")
        .where("ca.id", "=", campaignId)
        .select(["ca.slug", "co.slug as coalitionSlug"])
        .executeTakeFirstOrThrow();
      const page = await ctx.anonymous().get(`/coalitions/${campaign.coalitionSlug}/campaigns/${campaign.slug}?lang=en`);
      expect(page.status).toBe(200);
      expect(page.text).toContain("2 of 10");
    });

    it("asks the sending organisation's admins once, 14 days after a letter without a reply", async () => {
      const campaign = await makeCampaign(w);
      const target = await makeTarget(w);
      const a = await makeAction(w, campaign.id, [target.id]);
      const path = `${w.base}/campaigns/${campaign.id}/letter-actions/${a.id}/letters`;
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const old = await w.clients.memberA.post<LetterBody>(path, {
        targetId: target.id,
        organisationId: w.orgA.id,
        sentOn: day(-20),
        channel: "email",
      });
      const recent = await w.clients.memberA.post<LetterBody>(path, {
        targetId: target.id,
        organisationId: w.orgA.id,
        sentOn: day(-5),
        channel: "email",
      });
      const answered = await w.clients.memberA.post<LetterBody>(path, {
        targetId: target.id,
        organisationId: w.orgA.id,
        sentOn: day(-30),
        channel: "fax",
      });
      await w.clients.adminA.request("PUT", `${path}/${answered.body.id}/reply`, { receivedOn: day(-2), summary: "No", stance: "opposed" });

      const notifications = () =>
        ctx.db
          .selectFrom("notification")
          .where("kind", "=", "letter_follow_up")
          .where("link", "like", `%${campaign.id}%`)
          .select(["person_id", "params"])
          .execute();
      const before = await notifications();
      await Promise.all([sendLetterFollowUps(ctx.db), sendLetterFollowUps(ctx.db)]);
      await sendLetterFollowUps(ctx.db);
      const sent = (await notifications()).slice(before.length);
      // adminA is orgA's only admin: one notification, for the old letter only, even with two runs at once.
      expect(sent.map((n) => n.person_id)).toEqual([w.people.adminA.id]);
      const marks = await ctx.db
        .selectFrom("letter")
        .where("id", "in", [old.body.id, recent.body.id, answered.body.id])
        .select(["id", "follow_up_sent_at"])
        .execute();
      const followed = Object.fromEntries(marks.map((m) => [m.id, m.follow_up_sent_at !== null]));
      expect(followed).toEqual({ [old.body.id]: true, [recent.body.id]: false, [answered.body.id]: false });
    });
  });
});
