import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { type CountsBody, linksFor, peopleAt, postForm, type Setup, setUp } from "./helpers.ts";

/** Counts stay exact when requests race (meaningful on PostgreSQL, where they really run in parallel). */
let ctx: TestContext;
let s: Setup;

beforeAll(async () => {
  ctx = await buildTestApp({ trustProxy: true });
  s = await setUp(ctx);
});

const counts = async () => (await s.w.clients.memberA.get<CountsBody>(`${s.activityBase}/${s.march.id}/signup-counts`)).body;

describe("sign-ups under concurrency", () => {
  it("parallel confirmations of one link confirm once", async () => {
    await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "Once",
      email: "once@example.org",
      guests: "1",
      choices: [`${s.march.id}:1`],
    });
    const { confirm } = await linksFor(ctx, "once@example.org");
    const id = (await ctx.db.selectFrom("signup").where("email", "=", "once@example.org").select("id").executeTakeFirstOrThrow()).id;
    const results = await Promise.all([
      ...Array.from({ length: 8 }, () => ctx.anonymous().post(`/signups/confirm/${confirm}`)),
      // The organisers confirming by phone at the same moment.
      s.w.clients.coordinator.post(`${s.activityBase}/${s.march.id}/signups/${id}/confirm-by-phone`),
      s.w.clients.adminA.post(`${s.activityBase}/${s.march.id}/signups/${id}/confirm-by-phone`),
    ]);
    const successes = results.filter((r) => r.status === 303 || r.status === 204);
    expect(successes).toHaveLength(1);
    expect(results.every((r) => [303, 204, 404, 409].includes(r.status))).toBe(true);
    expect(peopleAt(await counts(), 1)).toBe(2);
    const audits = await ctx.db.selectFrom("audit_event").where("target_id", "=", id).select("action").execute();
    expect(audits.length).toBe(successes[0]?.status === 204 ? 1 : 0);
  });

  it("parallel submissions of the same address make one sign-up", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
          name: `Same ${i}`,
          email: "same@example.org",
          guests: String(i),
          choices: [`${s.march.id}:2`],
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([303, 303, 303, 303, 303]);
    const rows = await ctx.db.selectFrom("signup").where("email", "=", "same@example.org").selectAll().execute();
    expect(rows).toHaveLength(1);
  });

  it("many people confirming at once are all counted, exactly", async () => {
    const n = 12;
    const emails = Array.from({ length: n }, (_, i) => `crowd${i}@example.org`);
    for (const email of emails) {
      const res = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
        name: "Crowd",
        email,
        guests: "2",
        choices: [`${s.march.id}:3`],
      });
      expect(res.status).toBe(303);
    }
    const tokens = await Promise.all(emails.map(async (email) => (await linksFor(ctx, email)).confirm));
    const results = await Promise.all(tokens.map((t) => ctx.anonymous().post(`/signups/confirm/${t}`)));
    expect(results.map((r) => r.status)).toEqual(tokens.map(() => 303));
    const body = await counts();
    expect(peopleAt(body, 3)).toBe(3 * n);
    expect(body.counts.find((c) => c.position === 3)?.signups).toBe(n);
  });
});
