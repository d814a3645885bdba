import { phoneKey } from "@samakki/shared/signups";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { ConfigError, loadConfig } from "../../../config.ts";
import { sha256Hex } from "../../../lib/crypto.ts";
import { makePetition, petitionWorld } from "../../petitions/__tests__/helpers.ts";
import { postForm, setUp } from "../../signups/__tests__/helpers.ts";
import { keyedCounter } from "../rate-limit.ts";

/**
 * What a copy of the database or a backup tells about who used the public forms: nothing that can
 * be tried against every IPv4 address or every phone number (docs/security.md §6). Each counter
 * that counts by an address, a phone or a public form's email is keyed with COUNTER_KEY.
 */
describe("counters by address, phone and public form email", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp({ trustProxy: true });
  });

  const ADDRESS = "203.0.113.77";
  const PHONE = "012 345 678";
  const EMAIL = "walker@example.org";

  it("keys every one with COUNTER_KEY: never the value, never its plain hash", async () => {
    const from = { "x-forwarded-for": ADDRESS };
    // Sign-in, an invitation link, a calendar feed: each refused, each counted.
    expect((await ctx.anonymous().post("/api/auth/sign-in", { email: EMAIL, password: "not the password" }, from)).status).toBe(401);
    const invitation = await ctx
      .anonymous()
      .post(`/api/invitations/${"a".repeat(32)}/accept`, { password: "a long enough password 1" }, from);
    expect(invitation.status).toBeGreaterThanOrEqual(400);
    expect((await ctx.anonymous().get(`/calendar/${"b".repeat(32)}.ics`, from)).status).toBe(404);
    // A petition signed without JavaScript, and a march sign-up by phone.
    const w = await petitionWorld(ctx);
    const { campaign, petition } = await makePetition(w);
    const coalition = await ctx.db.selectFrom("coalition").where("id", "=", w.coalition.id).select("slug").executeTakeFirstOrThrow();
    const signed = await postForm(
      ctx.anonymous(),
      `/coalitions/${coalition.slug}/campaigns/${campaign.slug}/petition`,
      { name: "Sokha", email: EMAIL, province: "KH-12", comment: "" },
      ADDRESS,
    );
    expect(signed.status, signed.text).toBe(303);
    const march = await setUp(ctx);
    const joined = await postForm(
      ctx.anonymous(),
      march.joinPath,
      { name: "Dara", phone: PHONE, choices: [`${march.march.id}:1`] },
      ADDRESS,
    );
    expect(joined.status, joined.text).toBe(303);

    const keys = (await ctx.db.selectFrom("rate_limit").select("key").execute()).map((row) => row.key);
    const keyed = (scope: string, value: string) => keyedCounter(ctx.config, scope, value);
    for (const scope of ["signin:address", "invitation:address", "calendar-feed:address", "petition-addr-nojs", "signups:address"]) {
      expect(keys, scope).toContain(keyed(scope, ADDRESS));
    }
    expect(keys).toContain(keyed("signups:contact", `p:${phoneKey(PHONE)}`));
    expect(keys).toContain(keyed("petition-email", `${petition.id}:${EMAIL}`));
    const everything = keys.join("\n");
    const plain = [
      ADDRESS,
      sha256Hex(ADDRESS),
      phoneKey(PHONE),
      sha256Hex(`p:${phoneKey(PHONE)}`),
      EMAIL,
      sha256Hex(`${petition.id}:${EMAIL}`),
    ];
    for (const value of plain) expect(everything).not.toContain(value);
  });

  it("takes COUNTER_KEY from the environment, the same in every instance; without it each process draws its own", () => {
    const key = "k".repeat(32);
    const one = loadConfig({ COUNTER_KEY: key });
    const two = loadConfig({ COUNTER_KEY: key });
    expect(one.counterKey.shared).toBe(true);
    expect(keyedCounter(one, "signups:address", ADDRESS)).toBe(keyedCounter(two, "signups:address", ADDRESS));
    const unset = [loadConfig({}), loadConfig({})];
    expect(unset.map((c) => c.counterKey.shared)).toEqual([false, false]);
    expect(keyedCounter(unset[0] ?? one, "x", ADDRESS)).not.toBe(keyedCounter(unset[1] ?? one, "x", ADDRESS));
    expect(() => loadConfig({ COUNTER_KEY: "short" })).toThrow(ConfigError);
  });
});
