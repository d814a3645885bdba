import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createPerson, signInAs, unique } from "../../../../test/factories/index.ts";
import { expectCountChanges, snapshotCounts } from "../../../../test/permissions.ts";
import { hashToken } from "../../../lib/crypto.ts";
import { MINUTE } from "../../../lib/time.ts";
import { processPasswordResetRequests } from "../email-links.service.ts";
import { argon2Hasher } from "../passwords.ts";
import { cookieToken, expectProblem, outboxFor, sessionRows, signInOverHttp, tokenFromNewestEmail, withoutRequestId } from "./helpers.ts";

const NEW_PASSWORD = "a brand new and long passphrase";

describe("recent authentication and password change", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  async function signedIn() {
    const person = await createPerson(ctx);
    const client = ctx.anonymous();
    await signInOverHttp(client, person.email, person.password);
    return { person, client, id: hashToken(cookieToken(client)) };
  }
  const makeStale = (id: string) =>
    ctx.db
      .updateTable("session")
      .set({ recent_auth_at: new Date(Date.now() - 16 * MINUTE) })
      .where("id", "=", id)
      .execute();

  it("changes the password: ends every session, signs this device in again with a new token", async () => {
    const { person, client, id } = await signedIn();
    const phone = await signInAs(ctx, person);
    const oldToken = cookieToken(client);
    const res = await client.post("/api/me/password", { currentPassword: person.password, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(204);
    expect(cookieToken(client)).not.toBe(oldToken);
    expect((await client.get("/api/me")).status).toBe(200);
    expectProblem(await phone.get("/api/me"), 401, "unauthenticated");
    expectProblem(await ctx.anonymous().get("/api/me", { cookie: `__Host-samakki_session=${oldToken}` }), 401, "unauthenticated");
    const rows = await sessionRows(ctx, person.id);
    expect(rows.map((r) => r.id)).toEqual([hashToken(cookieToken(client))]);
    expect(rows.some((r) => r.id === id)).toBe(false);
    expect((await signInOverHttp(ctx.anonymous(), person.email, person.password)).status).toBe(401);
    expect((await signInOverHttp(ctx.anonymous(), person.email, NEW_PASSWORD)).status).toBe(200);
  });

  it("refuses bad input, common passwords and a wrong current password without changing anything", async () => {
    const { person, client } = await signedIn();
    const hash = async () =>
      (await ctx.db.selectFrom("person").where("id", "=", person.id).select("password_hash").executeTakeFirstOrThrow()).password_hash;
    const before = { counts: await snapshotCounts(ctx), hash: await hash() };

    const short = await client.post("/api/me/password", { currentPassword: person.password, newPassword: "short pass" });
    expectProblem(short, 400, "validation_failed");
    expect(short.json(Problem).errors?.map((e) => e.path)).toEqual(["newPassword"]);
    expectProblem(
      await client.post("/api/me/password", { currentPassword: person.password, newPassword: "x".repeat(257) }),
      400,
      "validation_failed",
    );
    expectProblem(
      await client.post("/api/me/password", { currentPassword: person.password, newPassword: NEW_PASSWORD, extra: true }),
      400,
      "validation_failed",
    );
    for (const common of ["password1234", "passwordpassword", "1qaz2wsx3edc", "Password1234!"]) {
      expectProblem(
        await client.post("/api/me/password", { currentPassword: person.password, newPassword: common }),
        400,
        "password_too_weak",
      );
    }
    expectProblem(
      await client.post("/api/me/password", { currentPassword: "not my password", newPassword: NEW_PASSWORD }),
      401,
      "wrong_password",
    );
    expectProblem(
      await ctx.anonymous().post("/api/me/password", { currentPassword: person.password, newPassword: NEW_PASSWORD }),
      401,
      "unauthenticated",
    );

    // The wrong current password is the one row written: it counts against the re-authentication limit (docs/security.md §6).
    await expectCountChanges(ctx, before.counts, { rate_limit: 1 });
    expect(await hash()).toBe(before.hash);
    expect((await client.get("/api/me")).status).toBe(200);
  });

  it("needs a recent authentication: 403 reauthentication_required after 15 minutes, then works after reauthenticating", async () => {
    const { person, client, id } = await signedIn();
    await makeStale(id);
    const before = await snapshotCounts(ctx);
    expectProblem(
      await client.post("/api/me/password", { currentPassword: person.password, newPassword: NEW_PASSWORD }),
      403,
      "reauthentication_required",
    );
    expectProblem(
      await client.post("/api/me/email", { email: `${unique("new")}@example.org`, password: person.password }),
      403,
      "reauthentication_required",
    );
    expect((await client.get<{ recentAuthUntil: string | null }>("/api/me")).body.recentAuthUntil).toBeNull();
    expect(await snapshotCounts(ctx)).toEqual(before);

    expectProblem(await client.post("/api/auth/reauthenticate", { password: "not my password" }), 401, "wrong_password");
    expectProblem(
      await client.post("/api/me/password", { currentPassword: person.password, newPassword: NEW_PASSWORD }),
      403,
      "reauthentication_required",
    );
    expectProblem(await client.post("/api/auth/reauthenticate", { password: "" }), 400, "validation_failed");

    const re = await client.post<{ recentAuthUntil: string }>("/api/auth/reauthenticate", { password: person.password });
    expect(re.status).toBe(200);
    const until = new Date(re.body.recentAuthUntil).getTime();
    expect(until).toBeGreaterThan(Date.now() + 14 * MINUTE);
    expect(until).toBeLessThanOrEqual(Date.now() + 15 * MINUTE);
    expect((await client.get<{ recentAuthUntil: string | null }>("/api/me")).body.recentAuthUntil).not.toBeNull();
    expect((await client.post("/api/me/password", { currentPassword: person.password, newPassword: NEW_PASSWORD })).status).toBe(204);
  });

  it("reauthenticate needs a session", async () => {
    expectProblem(await ctx.anonymous().post("/api/auth/reauthenticate", { password: "whatever it is" }), 401, "unauthenticated");
  });

  it("limits wrong passwords when reauthenticating, even a right one after the limit", async () => {
    const { person, client, id } = await signedIn();
    await makeStale(id);
    for (let i = 0; i < 10; i++)
      expectProblem(await client.post("/api/auth/reauthenticate", { password: `guess ${i}` }), 401, "wrong_password");
    expectProblem(await client.post("/api/auth/reauthenticate", { password: person.password }), 429, "rate_limited");
    expectProblem(
      await client.post("/api/me/password", { currentPassword: person.password, newPassword: NEW_PASSWORD }),
      403,
      "reauthentication_required",
    );
  });

  it("limits guesses of the current password when changing it", async () => {
    const { person, client } = await signedIn();
    for (let i = 0; i < 10; i++)
      expectProblem(
        await client.post("/api/me/password", { currentPassword: `guess ${i}`, newPassword: NEW_PASSWORD }),
        401,
        "wrong_password",
      );
    expectProblem(
      await client.post("/api/me/password", { currentPassword: person.password, newPassword: NEW_PASSWORD }),
      429,
      "rate_limited",
    );
    expect((await signInOverHttp(ctx.anonymous(), person.email, person.password)).status).toBe(200);
  });
});

describe("password reset", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  async function requestReset(email: string) {
    const res = await ctx.anonymous().post("/api/auth/password-reset", { email });
    expect(res.status).toBe(202);
    // The request only queues; the background job decides whether to send a link.
    await processPasswordResetRequests(ctx.deps);
    return res;
  }

  it("the link opens the page in the person's language: a Khmer account's email says lang=km", async () => {
    const khmer = await createPerson(ctx, { language: "km" });
    await requestReset(khmer.email);
    const [email] = (await outboxFor(ctx, khmer.email)).filter((e) => e.template === "password_reset");
    expect(email?.language).toBe("km");
    expect(email?.text).toMatch(/\/reset-password\?token=[a-z0-9]+&lang=km\b/);
    const english = await createPerson(ctx, { language: "en" });
    await requestReset(english.email);
    expect((await outboxFor(ctx, english.email)).at(-1)?.text).toMatch(/\/reset-password\?token=[a-z0-9]+&lang=en\b/);
  });

  it("answers 202 for known and unknown emails alike; only a known one gets an email", async () => {
    const person = await createPerson(ctx);
    const unknownEmail = `${unique("nobody")}@example.org`;
    const outboxBefore = (await snapshotCounts(ctx)).outbox_email ?? 0;
    const known = await requestReset(person.email.toUpperCase());
    const unknown = await requestReset(unknownEmail);
    expect(unknown.text).toBe(known.text);
    expect([...unknown.headers.keys()].sort()).toEqual([...known.headers.keys()].sort());
    expect(await outboxFor(ctx, unknownEmail)).toEqual([]);
    const emails = await outboxFor(ctx, person.email);
    expect(emails.map((e) => e.template)).toEqual(["password_reset"]);
    expect((await snapshotCounts(ctx)).outbox_email).toBe(outboxBefore + 1);
    // The token is stored hashed only.
    const token = await tokenFromNewestEmail(ctx, person.email, "password_reset");
    const stored = await ctx.db.selectFrom("auth_token").where("person_id", "=", person.id).selectAll().execute();
    expect(stored.map((t) => t.token_hash)).toEqual([hashToken(token)]);
  });

  it("sends nothing to a disabled person, with the same answer", async () => {
    const person = await createPerson(ctx);
    await ctx.db.updateTable("person").set({ disabled_at: new Date() }).where("id", "=", person.id).execute();
    await requestReset(person.email);
    expect(await outboxFor(ctx, person.email)).toEqual([]);
  });

  it("refuses invalid input with 400 and changes nothing", async () => {
    const before = await snapshotCounts(ctx);
    expectProblem(await ctx.anonymous().post("/api/auth/password-reset", { email: "nope" }), 400, "validation_failed");
    expectProblem(
      await ctx.anonymous().post("/api/auth/password-reset", { email: "a@example.org", admin: true }),
      400,
      "validation_failed",
    );
    expectProblem(
      await ctx.anonymous().post("/api/auth/password-reset/confirm", { token: "short", password: NEW_PASSWORD }),
      400,
      "validation_failed",
    );
    expectProblem(await ctx.anonymous().post("/api/auth/password-reset/confirm", { password: NEW_PASSWORD }), 400, "validation_failed");
    expect(await snapshotCounts(ctx)).toEqual(before);
  });

  it("sets a new password once, ends every session, and the link cannot be used again", async () => {
    const person = await createPerson(ctx);
    const laptop = await signInAs(ctx, person);
    await requestReset(person.email);
    const token = await tokenFromNewestEmail(ctx, person.email, "password_reset");
    const confirm = (password: string) => ctx.anonymous().post("/api/auth/password-reset/confirm", { token, password });

    // Weak passwords are refused without using the link up.
    const short = await confirm("elevenchars");
    expectProblem(short, 400, "validation_failed");
    expect(short.json(Problem).errors?.map((e) => e.path)).toEqual(["password"]);
    expectProblem(await confirm("password1234"), 400, "password_too_weak");
    expect((await laptop.get("/api/me")).status).toBe(200);

    expect((await confirm(NEW_PASSWORD)).status).toBe(204);
    expectProblem(await laptop.get("/api/me"), 401, "unauthenticated");
    expect(await sessionRows(ctx, person.id)).toEqual([]);
    expect((await signInOverHttp(ctx.anonymous(), person.email, person.password)).status).toBe(401);
    expect((await signInOverHttp(ctx.anonymous(), person.email, NEW_PASSWORD)).status).toBe(200);

    const again = await ctx.anonymous().post("/api/auth/password-reset/confirm", { token, password: "yet another long passphrase" });
    expectProblem(again, 410, "token_invalid");
    expect((await signInOverHttp(ctx.anonymous(), person.email, NEW_PASSWORD)).status).toBe(200);
  });

  it("expires after an hour", async () => {
    const person = await createPerson(ctx);
    await requestReset(person.email);
    const token = await tokenFromNewestEmail(ctx, person.email, "password_reset");
    const expiresAt = (
      await ctx.db.selectFrom("auth_token").where("token_hash", "=", hashToken(token)).select("expires_at").executeTakeFirstOrThrow()
    ).expires_at;
    expect(Math.abs(expiresAt.getTime() - Date.now() - 60 * MINUTE)).toBeLessThan(MINUTE);
    await ctx.db
      .updateTable("auth_token")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("token_hash", "=", hashToken(token))
      .execute();
    expectProblem(await ctx.anonymous().post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD }), 410, "token_invalid");
    expect((await signInOverHttp(ctx.anonymous(), person.email, person.password)).status).toBe(200);
  });

  it("keeps only the newest link valid, and refuses an unknown token the same way", async () => {
    const person = await createPerson(ctx);
    await requestReset(person.email);
    const first = await tokenFromNewestEmail(ctx, person.email, "password_reset");
    await requestReset(person.email);
    const second = await tokenFromNewestEmail(ctx, person.email, "password_reset");
    expect(second).not.toBe(first);
    const stale = await ctx.anonymous().post("/api/auth/password-reset/confirm", { token: first, password: NEW_PASSWORD });
    const unknown = await ctx.anonymous().post("/api/auth/password-reset/confirm", { token: "a".repeat(32), password: NEW_PASSWORD });
    expectProblem(stale, 410, "token_invalid");
    expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(stale.body));
    expect((await ctx.anonymous().post("/api/auth/password-reset/confirm", { token: second, password: NEW_PASSWORD })).status).toBe(204);
  });

  it("a reset token does not verify an email, nor the other way round", async () => {
    const person = await createPerson(ctx);
    await requestReset(person.email);
    const token = await tokenFromNewestEmail(ctx, person.email, "password_reset");
    expectProblem(await ctx.anonymous().post("/api/auth/verify-email", { token }), 410, "token_invalid");
    expect((await ctx.anonymous().post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD })).status).toBe(204);
  });

  it("sends at most 5 links per address per 15 minutes, silently", async () => {
    const person = await createPerson(ctx);
    for (let i = 0; i < 7; i++) await requestReset(person.email);
    expect((await outboxFor(ctx, person.email)).length).toBe(5);
  });
});

describe("the production password hasher", () => {
  // The tests' app hashes with cheaper parameters (test/passwords.ts); the server's deps use this one.
  it("stores argon2id with m=19456 KiB, t=2, p=1, and verifies only the right password", async () => {
    const stored = await argon2Hasher.hash("correct horse battery staple");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await argon2Hasher.verify(stored, "correct horse battery staple")).toBe(true);
    expect(await argon2Hasher.verify(stored, "correct horse battery stapler")).toBe(false);
    expect(await argon2Hasher.verify("not a hash", "anything")).toBe(false);
  });
});
