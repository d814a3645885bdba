import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { type Me, TwoFactorChallenge } from "@samakki/shared/auth";
import { translate } from "@samakki/shared/i18n/index";
import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext } from "../../../../test/app.ts";
import { holdAppClock } from "../../../../test/clock.ts";
import { createPerson, signInAs } from "../../../../test/factories/index.ts";
import { expectCountChanges, snapshotCounts } from "../../../../test/permissions.ts";
import { hashToken, sha256Hex } from "../../../lib/crypto.ts";
import { MINUTE } from "../../../lib/time.ts";
import { processPasswordResetRequests } from "../email-links.service.ts";
import { cookieToken, expectProblem, sessionRows, signInOverHttp, tokenFromNewestEmail, totpCodeAt } from "./helpers.ts";

/** The app's clock stands still at this instant (mid-step), so a code drawn for it never expires mid-test. */
let clockAt: Date;
/** The code an authenticator app shows now (by the app's clock) for this secret. */
const totp = (secret: string) => totpCodeAt(secret, clockAt);
/** The code of another 30-second step than now (`steps` away). */
const totpAt = (secret: string, steps: number) => totpCodeAt(secret, clockAt, steps);

describe("two-factor authentication", () => {
  let ctx: TestContext;
  /** Subjects of the security notices (notification template) emailed to a person, oldest first. */
  const securityMails = async (email: string) =>
    (
      await ctx.db
        .selectFrom("outbox_email")
        .where("to_address", "=", email)
        .where("template", "=", "notification")
        .select("subject")
        .orderBy("created_at")
        .execute()
    ).map((r) => r.subject);
  beforeAll(async () => {
    ctx = await buildTestApp();
    clockAt = holdAppClock(ctx.deps);
  });

  const personRow = (id: string) =>
    ctx.db
      .selectFrom("person")
      .where("id", "=", id)
      .select(["totp_key", "totp_enabled_at", "totp_last_counter", "password_hash"])
      .executeTakeFirstOrThrow();
  const recoveryRows = (personId: string) =>
    ctx.db.selectFrom("recovery_code").where("person_id", "=", personId).selectAll().orderBy("created_at").execute();
  const challengeRows = (personId: string) =>
    ctx.db.selectFrom("two_factor_challenge").where("person_id", "=", personId).selectAll().execute();
  const auditActions = async (personId: string) =>
    (await ctx.db.selectFrom("audit_event").where("target_id", "=", personId).select("action").orderBy("created_at").execute()).map(
      (r) => r.action,
    );
  /** As if the last code was accepted a minute ago: the code shown now is new again. */
  const letTimePass = (personId: string) =>
    ctx.db
      .updateTable("person")
      .set({ totp_last_counter: Math.floor(clockAt.getTime() / 30_000) - 2 })
      .where("id", "=", personId)
      .execute();
  const makeStale = (client: TestClient) =>
    ctx.db
      .updateTable("session")
      .set({ recent_auth_at: new Date(Date.now() - 16 * MINUTE) })
      .where("id", "=", hashToken(cookieToken(client)))
      .execute();

  async function signedIn() {
    const person = await createPerson(ctx);
    const client = ctx.anonymous();
    expect((await signInOverHttp(client, person.email, person.password)).status).toBe(200);
    return { person, client };
  }

  /** A person with two-factor authentication on, signed in on `client`; the current code is usable again. */
  async function enrolled() {
    const { person, client } = await signedIn();
    const setup = await client.post<{ secret: string; uri: string }>("/api/me/two-factor/setup");
    expect(setup.status).toBe(200);
    const enable = await client.post<{ recoveryCodes: string[] }>("/api/me/two-factor/enable", { code: totp(setup.body.secret) });
    expect(enable.status).toBe(200);
    await letTimePass(person.id);
    return { person, client, secret: setup.body.secret, recoveryCodes: enable.body.recoveryCodes };
  }

  async function challengeFor(person: { email: string; password: string }) {
    const res = await ctx.anonymous().post("/api/auth/sign-in", { email: person.email, password: person.password });
    expect(res.status).toBe(200);
    return res.json(TwoFactorChallenge).twoFactor.challenge;
  }

  describe("enrolment", () => {
    it("sets up a pending secret, refuses a wrong code, enables with the right one and shows recovery codes once", async () => {
      const { person, client } = await signedIn();
      const phone = await signInAs(ctx, person);
      expect((await client.get<Me>("/api/me")).body.person.twoFactorEnabled).toBe(false);

      const setup = await client.post<{ secret: string; uri: string }>("/api/me/two-factor/setup");
      expect(setup.status).toBe(200);
      const { secret, uri } = setup.body;
      // 20 random bytes, base32 without padding.
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(decodeBase32IgnorePadding(secret)).toHaveLength(20);
      const parsed = new URL(uri);
      expect(parsed.protocol).toBe("otpauth:");
      expect(parsed.host).toBe("totp");
      expect(decodeURIComponent(parsed.pathname)).toBe(`/Samakki:${person.email}`);
      expect(Object.fromEntries(parsed.searchParams)).toMatchObject({
        secret,
        issuer: "Samakki",
        period: "30",
        digits: "6",
        algorithm: "SHA1",
      });
      // Pending only: not enabled, sign-in still needs just the password.
      expect((await personRow(person.id)).totp_enabled_at).toBeNull();
      expect((await client.get<Me>("/api/me")).body.person.twoFactorEnabled).toBe(false);

      // A second setup replaces the pending secret; codes of the first no longer count.
      const again = await client.post<{ secret: string }>("/api/me/two-factor/setup");
      expect(again.body.secret).not.toBe(secret);
      const before = await snapshotCounts(ctx);
      const wrong = await client.post("/api/me/two-factor/enable", {
        code: totp(secret) === totp(again.body.secret) ? "000000" : totp(secret),
      });
      expectProblem(wrong, 401, "two_factor_code_invalid");
      expect(wrong.json(Problem).errors?.map((e) => e.path)).toEqual(["code"]);
      expect((await personRow(person.id)).totp_enabled_at).toBeNull();
      expect(await recoveryRows(person.id)).toEqual([]);
      // The wrong code is the one row written: it counts against the account's limit, like a wrong password.
      await expectCountChanges(ctx, before, { rate_limit: 1 });

      const enable = await client.post<{ recoveryCodes: string[] }>("/api/me/two-factor/enable", { code: totp(again.body.secret) });
      expect(enable.status).toBe(200);
      const codes = enable.body.recoveryCodes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
      // Stored only as SHA-256 of the normalised code.
      const rows = await recoveryRows(person.id);
      expect(rows.map((r) => r.code_hash).sort()).toEqual(codes.map((c) => sha256Hex(c.replaceAll("-", ""))).sort());
      expect(JSON.stringify(rows)).not.toContain(codes[0]?.replaceAll("-", ""));
      expect(rows.every((r) => r.used_at === null)).toBe(true);

      const row = await personRow(person.id);
      expect(row.totp_enabled_at).not.toBeNull();
      expect(row.totp_key).toBe(again.body.secret);
      expect((await client.get<Me>("/api/me")).body.person.twoFactorEnabled).toBe(true);
      // The other sessions were ended, this one stays.
      expectProblem(await phone.get("/api/me"), 401, "unauthenticated");
      expect((await sessionRows(ctx, person.id)).map((s) => s.id)).toEqual([hashToken(cookieToken(client))]);
      expect(await auditActions(person.id)).toContain("auth.two_factor_enabled");

      // Shown once: nothing answers the codes again, and a new setup cannot replace the active secret.
      expect(JSON.stringify((await client.get("/api/me")).body)).not.toContain(codes[0]);
      expectProblem(await client.post("/api/me/two-factor/setup"), 409, "two_factor_already_enabled");
      expectProblem(await client.post("/api/me/two-factor/enable", { code: totp(again.body.secret) }), 409, "two_factor_already_enabled");
      expect((await personRow(person.id)).totp_key).toBe(again.body.secret);
    });

    it("refuses to enable without a setup", async () => {
      const { client, person } = await signedIn();
      expectProblem(await client.post("/api/me/two-factor/enable", { code: "123456" }), 409, "two_factor_setup_required");
      expectProblem(await client.post("/api/me/two-factor/disable", { code: "123456" }), 409, "two_factor_not_enabled");
      expectProblem(await client.post("/api/me/two-factor/recovery-codes", { password: person.password }), 409, "two_factor_not_enabled");
      expect((await personRow(person.id)).totp_enabled_at).toBeNull();
    });
  });

  describe("signing in", () => {
    it("a right password alone gives no session, only a challenge; the right code then signs in", async () => {
      const { person, secret } = await enrolled();
      const sessionsBefore = (await sessionRows(ctx, person.id)).length;
      const browser = ctx.anonymous();
      const first = await signInOverHttp(browser, person.email, person.password);
      expect(first.status).toBe(200);
      expect(first.body).not.toHaveProperty("person");
      const challenge = first.json(TwoFactorChallenge).twoFactor.challenge;
      expect(challenge).toMatch(/^[a-z2-7]{32}$/);
      expect(first.headers.get("set-cookie")).toBeNull();
      expect(browser.cookie).toBeUndefined();
      expect((await sessionRows(ctx, person.id)).length).toBe(sessionsBefore);
      // Only the challenge's hash is stored, for 5 minutes.
      const [row] = await challengeRows(person.id);
      expect(row?.token_hash).toBe(hashToken(challenge));
      expect(JSON.stringify(row)).not.toContain(challenge);
      expect((row?.expires_at.getTime() ?? 0) - Date.now()).toBeGreaterThan(4 * MINUTE);
      expect((row?.expires_at.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(5 * MINUTE);

      const second = await browser.post<Me>("/api/auth/sign-in/two-factor", { challenge, code: totp(secret) });
      expect(second.status).toBe(200);
      expect(second.body.person).toMatchObject({ id: person.id, twoFactorEnabled: true });
      expect(browser.cookie).toBeDefined();
      expect((await browser.get("/api/me")).status).toBe(200);
      expect(await challengeRows(person.id)).toEqual([]);
      const signIns = await ctx.db
        .selectFrom("audit_event")
        .where("actor_id", "=", person.id)
        .where("action", "=", "auth.sign_in")
        .select("after")
        .orderBy("created_at", "desc")
        .executeTakeFirstOrThrow();
      expect(signIns.after).toMatchObject({ secondFactor: "totp" });
      // The challenge is spent.
      expectProblem(await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge, code: totp(secret) }), 410, "token_invalid");
    });

    it("a wrong password still fails exactly as before, without a challenge", async () => {
      const { person } = await enrolled();
      const res = await ctx.anonymous().post("/api/auth/sign-in", { email: person.email, password: "not the password at all" });
      expectProblem(res, 401, "invalid_credentials");
      expect(await challengeRows(person.id)).toEqual([]);
    });

    it("five wrong codes end the challenge, even for the right code afterwards", async () => {
      const { person, secret } = await enrolled();
      const challenge = await challengeFor(person);
      const wrong = totp(secret) === "000000" ? "111111" : "000000";
      for (let i = 0; i < 4; i++) {
        expectProblem(
          await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge, code: wrong }),
          401,
          "two_factor_code_invalid",
        );
      }
      expect((await challengeRows(person.id))[0]?.attempts).toBe(4);
      expectProblem(await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge, code: wrong }), 410, "token_invalid");
      const client = ctx.anonymous();
      expectProblem(await client.post("/api/auth/sign-in/two-factor", { challenge, code: totp(secret) }), 410, "token_invalid");
      expect(client.cookie).toBeUndefined();
      expect(await challengeRows(person.id)).toEqual([]);
      expect(await auditActions(person.id)).toEqual(expect.arrayContaining(["auth.two_factor_failed"]));
      // A recovery code does not revive it either.
      expectProblem(await client.post("/api/auth/sign-in/two-factor", { challenge, code: "aaaa-bbbb-cccc-dddd" }), 410, "token_invalid");
    });

    it("an expired challenge is refused", async () => {
      const { person, secret } = await enrolled();
      const challenge = await challengeFor(person);
      await ctx.db
        .updateTable("two_factor_challenge")
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where("token_hash", "=", hashToken(challenge))
        .execute();
      const client = ctx.anonymous();
      expectProblem(await client.post("/api/auth/sign-in/two-factor", { challenge, code: totp(secret) }), 410, "token_invalid");
      expect(client.cookie).toBeUndefined();
      expectProblem(
        await client.post("/api/auth/sign-in/two-factor", { challenge: "a".repeat(32), code: totp(secret) }),
        410,
        "token_invalid",
      );
    });

    it("a TOTP code is accepted once: a replay, or an older code, is refused", async () => {
      const { person, secret } = await enrolled();
      const code = totp(secret);
      expect((await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge: await challengeFor(person), code })).status).toBe(
        200,
      );
      const replay = ctx.anonymous();
      expectProblem(
        await replay.post("/api/auth/sign-in/two-factor", { challenge: await challengeFor(person), code }),
        401,
        "two_factor_code_invalid",
      );
      expect(replay.cookie).toBeUndefined();
      // The previous step's code is within the drift window, but older than the accepted one.
      const older = totpAt(secret, -1);
      if (older !== code) {
        expectProblem(
          await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge: await challengeFor(person), code: older }),
          401,
          "two_factor_code_invalid",
        );
      }
      // A code two steps away is outside the drift window.
      await letTimePass(person.id);
      const far = totpAt(secret, 3);
      if (far !== code && far !== totpAt(secret, 1) && far !== totpAt(secret, -1)) {
        expectProblem(
          await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge: await challengeFor(person), code: far }),
          401,
          "two_factor_code_invalid",
        );
      }
    });

    it("a recovery code signs in once, in any case and with or without dashes", async () => {
      const { person, recoveryCodes } = await enrolled();
      const code = recoveryCodes[3] ?? "";
      const client = ctx.anonymous();
      const res = await client.post<Me>("/api/auth/sign-in/two-factor", {
        challenge: await challengeFor(person),
        code: ` ${code.toUpperCase().replaceAll("-", " ")} `,
      });
      expect(res.status).toBe(200);
      expect((await client.get("/api/me")).status).toBe(200);
      const used = (await recoveryRows(person.id)).filter((r) => r.used_at !== null);
      expect(used.map((r) => r.code_hash)).toEqual([sha256Hex(code.replaceAll("-", ""))]);
      expect(await securityMails(person.email)).toEqual([translate("en", "notifications.recovery_code_used")]);
      expectProblem(
        await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge: await challengeFor(person), code }),
        401,
        "two_factor_code_invalid",
      );
      // Another person's recovery code does not work for this account.
      const other = await enrolled();
      expectProblem(
        await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge: await challengeFor(person), code: other.recoveryCodes[0] }),
        401,
        "two_factor_code_invalid",
      );
    });

    it("wrong codes count as failed sign-ins of the account, and a right password does not reset the count", async () => {
      const { person, secret } = await enrolled();
      const wrong = totp(secret) === "000000" ? "111111" : "000000";
      for (let round = 0; round < 2; round++) {
        const challenge = await challengeFor(person);
        for (let i = 0; i < 4; i++) await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge, code: wrong });
      }
      const challenge = await challengeFor(person);
      for (let i = 0; i < 2; i++) {
        expectProblem(
          await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge, code: wrong }),
          401,
          "two_factor_code_invalid",
        );
      }
      // Ten failures: the live challenge and the password step are both locked, even when right.
      expectProblem(await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge, code: totp(secret) }), 429, "rate_limited");
      expectProblem(
        await ctx.anonymous().post("/api/auth/sign-in", { email: person.email, password: person.password }),
        429,
        "rate_limited",
      );
    });

    it("the wrong code that ends a challenge counts too: ten wrong codes in all, however many challenges they are spread over", async () => {
      const { person, secret } = await enrolled();
      const wrong = totp(secret) === "000000" ? "111111" : "000000";
      for (let round = 0; round < 2; round++) {
        const challenge = await challengeFor(person);
        for (let i = 0; i < 4; i++)
          expectProblem(
            await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge, code: wrong }),
            401,
            "two_factor_code_invalid",
          );
        // The fifth ends the challenge.
        expectProblem(await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge, code: wrong }), 410, "token_invalid");
      }
      // Ten wrong codes: the account is locked, its right password included, so no third challenge opens.
      expectProblem(
        await ctx.anonymous().post("/api/auth/sign-in", { email: person.email, password: person.password }),
        429,
        "rate_limited",
      );
    });

    it("ends challenges of a disabled account", async () => {
      const { person, secret } = await enrolled();
      const challenge = await challengeFor(person);
      await ctx.db.updateTable("person").set({ disabled_at: new Date() }).where("id", "=", person.id).execute();
      expectProblem(await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge, code: totp(secret) }), 410, "token_invalid");
    });
  });

  describe("re-authentication", () => {
    it("accepts a TOTP code instead of the password, once", async () => {
      const { person, client, secret } = await enrolled();
      await makeStale(client);
      expectProblem(
        await client.post("/api/me/two-factor/recovery-codes", { password: person.password }),
        403,
        "reauthentication_required",
      );
      const wrong = totp(secret) === "000000" ? "111111" : "000000";
      expectProblem(await client.post("/api/auth/reauthenticate", { code: wrong }), 401, "two_factor_code_invalid");
      const code = totp(secret);
      const res = await client.post<{ recentAuthUntil: string }>("/api/auth/reauthenticate", { code });
      expect(res.status).toBe(200);
      expect(new Date(res.body.recentAuthUntil).getTime()).toBeGreaterThan(Date.now() + 14 * MINUTE);
      expect((await client.post("/api/me/two-factor/recovery-codes", { password: person.password })).status).toBe(200);
      // The same code does not work twice.
      await makeStale(client);
      expectProblem(await client.post("/api/auth/reauthenticate", { code }), 401, "two_factor_code_invalid");
      // The password still works.
      expect((await client.post("/api/auth/reauthenticate", { password: person.password })).status).toBe(200);
    });

    it("refuses a code from someone without two-factor authentication, and a body with both or neither", async () => {
      const { client } = await signedIn();
      expectProblem(await client.post("/api/auth/reauthenticate", { code: "123456" }), 401, "two_factor_code_invalid");
      expectProblem(await client.post("/api/auth/reauthenticate", {}), 400, "validation_failed");
      expectProblem(await client.post("/api/auth/reauthenticate", { password: "x", code: "123456" }), 400, "validation_failed");
      expectProblem(await client.post("/api/auth/reauthenticate", { code: "12345" }), 400, "validation_failed");
      expectProblem(await ctx.anonymous().post("/api/auth/reauthenticate", { code: "123456" }), 401, "unauthenticated");
    });

    it("limits wrong codes like wrong passwords", async () => {
      const { client, secret } = await enrolled();
      const wrong = totp(secret) === "000000" ? "111111" : "000000";
      for (let i = 0; i < 10; i++)
        expectProblem(await client.post("/api/auth/reauthenticate", { code: wrong }), 401, "two_factor_code_invalid");
      expectProblem(await client.post("/api/auth/reauthenticate", { code: totp(secret) }), 429, "rate_limited");
    });
  });

  describe("managing", () => {
    it("disables with a recovery code: codes deleted, secret forgotten, sign-in needs only the password again", async () => {
      const { person, client, recoveryCodes, secret } = await enrolled();
      const wrong = totp(secret) === "000000" ? "111111" : "000000";
      expectProblem(await client.post("/api/me/two-factor/disable", { code: wrong }), 401, "two_factor_code_invalid");
      expect((await personRow(person.id)).totp_enabled_at).not.toBeNull();
      const pending = await challengeFor(person);
      expect((await client.post("/api/me/two-factor/disable", { code: recoveryCodes[0] })).status).toBe(204);
      expect(await personRow(person.id)).toMatchObject({ totp_key: null, totp_enabled_at: null, totp_last_counter: null });
      expect(await recoveryRows(person.id)).toEqual([]);
      expect((await client.get<Me>("/api/me")).body.person.twoFactorEnabled).toBe(false);
      expect(await auditActions(person.id)).toContain("auth.two_factor_disabled");
      expect(await securityMails(person.email)).toEqual([translate("en", "notifications.two_factor_disabled")]);
      expectProblem(
        await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge: pending, code: totp(secret) }),
        410,
        "token_invalid",
      );
      const res = await signInOverHttp(ctx.anonymous(), person.email, person.password);
      expect(res.body.person?.id).toBe(person.id);
    });

    it("disables with a TOTP code", async () => {
      const { person, client, secret } = await enrolled();
      expect((await client.post("/api/me/two-factor/disable", { code: totp(secret) })).status).toBe(204);
      expect((await personRow(person.id)).totp_enabled_at).toBeNull();
    });

    it("regenerates the recovery codes: the old ones stop working, the new ones work", async () => {
      const { person, client, recoveryCodes } = await enrolled();
      const res = await client.post<{ recoveryCodes: string[] }>("/api/me/two-factor/recovery-codes", { password: person.password });
      expect(res.status).toBe(200);
      expect(res.body.recoveryCodes).toHaveLength(10);
      expect(res.body.recoveryCodes.some((c) => recoveryCodes.includes(c))).toBe(false);
      expect((await recoveryRows(person.id)).length).toBe(10);
      expect(await auditActions(person.id)).toContain("auth.recovery_codes_regenerated");
      expectProblem(
        await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge: await challengeFor(person), code: recoveryCodes[0] }),
        401,
        "two_factor_code_invalid",
      );
      const ok = await ctx
        .anonymous()
        .post("/api/auth/sign-in/two-factor", { challenge: await challengeFor(person), code: res.body.recoveryCodes[0] });
      expect(ok.status).toBe(200);
    });

    it("needs a recent authentication for setup, enable, disable and new recovery codes; nothing changes without", async () => {
      const { person, client, secret, recoveryCodes } = await enrolled();
      const fresh = await signedIn();
      await makeStale(client);
      await makeStale(fresh.client);
      const before = await snapshotCounts(ctx);
      const rows = [await personRow(person.id), await personRow(fresh.person.id)];
      const codes = await recoveryRows(person.id);
      expectProblem(await fresh.client.post("/api/me/two-factor/setup"), 403, "reauthentication_required");
      expectProblem(await fresh.client.post("/api/me/two-factor/enable", { code: "123456" }), 403, "reauthentication_required");
      expectProblem(await client.post("/api/me/two-factor/disable", { code: totp(secret) }), 403, "reauthentication_required");
      expectProblem(await client.post("/api/me/two-factor/disable", { code: recoveryCodes[0] }), 403, "reauthentication_required");
      expectProblem(
        await client.post("/api/me/two-factor/recovery-codes", { password: person.password }),
        403,
        "reauthentication_required",
      );
      expect([await personRow(person.id), await personRow(fresh.person.id)]).toEqual(rows);
      expect(await recoveryRows(person.id)).toEqual(codes);
      expect(await snapshotCounts(ctx)).toEqual(before);
    });

    it("refuses bad input with 400 and changes nothing", async () => {
      const { person, client, secret } = await enrolled();
      const fresh = await signedIn();
      await fresh.client.post("/api/me/two-factor/setup");
      const before = await snapshotCounts(ctx);
      const rows = [await personRow(person.id), await personRow(fresh.person.id)];
      const codes = await recoveryRows(person.id);
      const challenges = await challengeRows(person.id);
      for (const body of [
        {},
        { code: "12345" },
        { code: "1234567" },
        { code: "abcdef" },
        { code: 123456 },
        { code: "123456", extra: true },
      ]) {
        expectProblem(await fresh.client.post("/api/me/two-factor/enable", body), 400, "validation_failed");
      }
      for (const body of [{}, { code: "" }, { code: "not a code" }, { code: "x".repeat(41) }]) {
        expectProblem(await client.post("/api/me/two-factor/disable", body), 400, "validation_failed");
      }
      for (const body of [
        {},
        { challenge: "short", code: totp(secret) },
        { challenge: "a".repeat(32) },
        { challenge: "a".repeat(32), code: "1" },
      ]) {
        expectProblem(await ctx.anonymous().post("/api/auth/sign-in/two-factor", body), 400, "validation_failed");
      }
      const km = await fresh.client.post<{ errors: { path: string; message: string }[] }>(
        "/api/me/two-factor/enable",
        { code: "12" },
        { "x-samakki-language": "km" },
      );
      expect(km.body.errors).toEqual([{ path: "code", message: "សូមបញ្ចូលលេខកូដ ៦ ខ្ទង់ពីកម្មវិធីផ្ទៀងផ្ទាត់របស់អ្នក។" }]);
      expect([await personRow(person.id), await personRow(fresh.person.id)]).toEqual(rows);
      expect(await recoveryRows(person.id)).toEqual(codes);
      expect(await challengeRows(person.id)).toEqual(challenges);
      expect(await snapshotCounts(ctx)).toEqual(before);
    });

    it("needs a session", async () => {
      const anonymous = ctx.anonymous();
      expectProblem(await anonymous.post("/api/me/two-factor/setup"), 401, "unauthenticated");
      expectProblem(await anonymous.post("/api/me/two-factor/enable", { code: "123456" }), 401, "unauthenticated");
      expectProblem(await anonymous.post("/api/me/two-factor/disable", { code: "123456" }), 401, "unauthenticated");
      expectProblem(
        await anonymous.post("/api/me/two-factor/recovery-codes", { password: "a password of someone" }),
        401,
        "unauthenticated",
      );
    });
  });

  describe("password reset", () => {
    it("keeps two-factor authentication on and ends challenges opened with the old password", async () => {
      const { person, secret } = await enrolled();
      const oldChallenge = await challengeFor(person);
      expect((await ctx.anonymous().post("/api/auth/password-reset", { email: person.email })).status).toBe(202);
      await processPasswordResetRequests(ctx.deps);
      const token = await tokenFromNewestEmail(ctx, person.email, "password_reset");
      const password = "a fresh passphrase after the reset";
      expect((await ctx.anonymous().post("/api/auth/password-reset/confirm", { token, password })).status).toBe(204);
      expect((await personRow(person.id)).totp_enabled_at).not.toBeNull();
      expect((await recoveryRows(person.id)).length).toBe(10);
      expectProblem(
        await ctx.anonymous().post("/api/auth/sign-in/two-factor", { challenge: oldChallenge, code: totp(secret) }),
        410,
        "token_invalid",
      );

      const client = ctx.anonymous();
      const res = await client.post("/api/auth/sign-in", { email: person.email, password });
      expect(res.status).toBe(200);
      const { challenge } = res.json(TwoFactorChallenge).twoFactor;
      expect(client.cookie).toBeUndefined();
      const done = await client.post<Me>("/api/auth/sign-in/two-factor", { challenge, code: totp(secret) });
      expect(done.status).toBe(200);
      expect(done.body.person.twoFactorEnabled).toBe(true);
    });
  });
});
