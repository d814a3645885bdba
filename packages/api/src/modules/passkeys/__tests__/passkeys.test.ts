import type { Passkey } from "@samakki/shared/auth";
import { translate } from "@samakki/shared/i18n/index";
import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, ORIGIN, type TestClient, type TestContext } from "../../../../test/app.ts";
import { createPerson, DEFAULT_PASSWORD, signInAs } from "../../../../test/factories/index.ts";
import { expectCountChanges, snapshotCounts } from "../../../../test/permissions.ts";
import { SoftAuthenticator } from "./authenticator.ts";

type Options = { challenge: string; rp: { id?: string }; rpId?: string };

let ctx: TestContext;
beforeAll(async () => {
  ctx = await buildTestApp();
});

function expectProblem(res: { status: number; body: unknown }, status: number, code: string) {
  expect({ status: res.status, code: Problem.parse(res.body).code }).toEqual({ status, code });
}

async function register(client: TestClient, authenticator: SoftAuthenticator, name = "Laptop", origin = ORIGIN) {
  const options = await client.post<Options>("/api/me/passkeys/registration-options");
  expect(options.status).toBe(200);
  return client.post<Passkey>("/api/me/passkeys", {
    name,
    response: authenticator.register(options.body, origin),
    password: DEFAULT_PASSWORD,
  });
}

async function assertion(client: TestClient, authenticator: SoftAuthenticator, origin = ORIGIN, tamper = false) {
  const options = await client.post<Options>("/api/me/passkeys/authentication-options");
  expect(options.status).toBe(200);
  return { options: options.body, response: authenticator.assert(options.body, origin, { tamper }) };
}

/** The security notices emailed to the person (texts, oldest first). */
const securityMails = async (email: string) =>
  (
    await ctx.db
      .selectFrom("outbox_email")
      .where("to_address", "=", email)
      .where("template", "=", "notification")
      .select("text")
      .orderBy("created_at")
      .execute()
  ).map((r) => r.text);

const passkeyRows = (personId: string) => ctx.db.selectFrom("passkey").where("person_id", "=", personId).selectAll().execute();

async function withOldAuth(personId: string) {
  await ctx.db
    .updateTable("session")
    .set({ recent_auth_at: new Date(Date.now() - 60 * 60 * 1000) })
    .where("person_id", "=", personId)
    .execute();
}

describe("passkey registration", () => {
  it("registers a passkey with the password in the same request and stores its key, counter and backup flags", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const authenticator = new SoftAuthenticator(true);
    const res = await register(client, authenticator, "  Phone  ");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Phone", deviceType: "multiDevice", backedUp: true, lastUsedAt: null });
    const [row] = await passkeyRows(person.id);
    expect(row).toMatchObject({ credential_id: authenticator.id, backed_up: true, device_type: "multiDevice", transports: ["internal"] });
    expect(Number(row?.counter)).toBe(0);
    const list = await client.get<Passkey[]>("/api/me/passkeys");
    expect(list.body.map((p) => p.name)).toEqual(["Phone"]);
    expect(JSON.stringify(list.body)).not.toContain(row?.public_key);
    const audit = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "auth.passkey_added")
      .where("actor_id", "=", person.id)
      .selectAll()
      .execute();
    expect(audit).toHaveLength(1);
    const mails = await securityMails(person.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain(translate("en", "notifications.passkey_added", { name: "Phone" }));
    // No challenge is left behind.
    expect(await ctx.db.selectFrom("webauthn_challenge").where("person_id", "=", person.id).selectAll().execute()).toEqual([]);
  });

  it("offers the same signature algorithms on every Node: Ed25519, P-256, RSA (no experimental ML-DSA on Node 24)", async () => {
    const client = await signInAs(ctx, await createPerson(ctx));
    const options = await client.post<{ pubKeyCredParams: { alg: number; type: string }[] }>("/api/me/passkeys/registration-options");
    expect(options.status).toBe(200);
    expect(options.body.pubKeyCredParams).toEqual([
      { alg: -8, type: "public-key" },
      { alg: -7, type: "public-key" },
      { alg: -257, type: "public-key" },
    ]);
  });

  it("several passkeys can be registered, renamed, and the same authenticator cannot be registered twice", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const first = new SoftAuthenticator();
    expect((await register(client, first, "Key 1")).status).toBe(201);
    const second = await register(client, new SoftAuthenticator(), "Key 2");
    expect(second.status).toBe(201);
    const options = await client.post<Options & { excludeCredentials: { id: string }[] }>("/api/me/passkeys/registration-options");
    expect(options.body.excludeCredentials.map((c) => c.id)).toContain(first.id);
    const again = await client.post("/api/me/passkeys", {
      name: "Again",
      response: first.register(options.body, ORIGIN),
      password: DEFAULT_PASSWORD,
    });
    expectProblem(again, 409, "conflict");
    const renamed = await client.patch<Passkey>(`/api/me/passkeys/${second.body.id}`, { name: "Office key" });
    expect(renamed.status).toBe(200);
    expect((await client.get<Passkey[]>("/api/me/passkeys")).body.map((p) => p.name)).toEqual(["Key 1", "Office key"]);
  });

  it("refuses without a proof, with a wrong password, a reused challenge or a foreign origin, and stores nothing", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const authenticator = new SoftAuthenticator();
    const other = await signInAs(ctx, await createPerson(ctx));
    const before = await snapshotCounts(ctx);

    let options = await client.post<Options>("/api/me/passkeys/registration-options");
    const noProof = await client.post("/api/me/passkeys", { name: "x", response: authenticator.register(options.body, ORIGIN) });
    expectProblem(noProof, 400, "validation_failed");

    const wrongPassword = await client.post("/api/me/passkeys", {
      name: "x",
      response: authenticator.register(options.body, ORIGIN),
      password: "not the password at all",
    });
    expectProblem(wrongPassword, 401, "wrong_password");

    options = await client.post<Options>("/api/me/passkeys/registration-options");
    const foreign = await client.post("/api/me/passkeys", {
      name: "x",
      response: authenticator.register(options.body, "https://evil.example"),
      password: DEFAULT_PASSWORD,
    });
    expectProblem(foreign, 400, "passkey_invalid");
    // The challenge was used up by the refused answer: the right answer to it is refused now too.
    const reused = await client.post("/api/me/passkeys", {
      name: "x",
      response: authenticator.register(options.body, ORIGIN),
      password: DEFAULT_PASSWORD,
    });
    expectProblem(reused, 400, "passkey_invalid");

    // A challenge given to someone else is not ours to answer.
    const theirs = await other.post<Options>("/api/me/passkeys/registration-options");
    expectProblem(
      await client.post("/api/me/passkeys", {
        name: "x",
        response: authenticator.register(theirs.body, ORIGIN),
        password: DEFAULT_PASSWORD,
      }),
      400,
      "passkey_invalid",
    );

    // An expired challenge.
    options = await client.post<Options>("/api/me/passkeys/registration-options");
    await ctx.db
      .updateTable("webauthn_challenge")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("challenge", "=", options.body.challenge)
      .execute();
    expectProblem(
      await client.post("/api/me/passkeys", {
        name: "x",
        response: authenticator.register(options.body, ORIGIN),
        password: DEFAULT_PASSWORD,
      }),
      400,
      "passkey_invalid",
    );

    expect(await passkeyRows(person.id)).toEqual([]);
    // What is written: the wrong password, counted against the re-authentication limit, and the
    // two challenges that no refused answer used up (they expire on their own).
    await expectCountChanges(ctx, before, { rate_limit: 1, webauthn_challenge: 2 });
  });

  it("answers 401 to anonymous requests", async () => {
    const anonymous = ctx.anonymous();
    expectProblem(await anonymous.get("/api/me/passkeys"), 401, "unauthenticated");
    expectProblem(await anonymous.post("/api/me/passkeys/registration-options"), 401, "unauthenticated");
    expectProblem(await anonymous.post("/api/me/passkeys/authentication-options"), 401, "unauthenticated");
  });
});

describe("passkey authentication", () => {
  it("re-authenticates with a passkey and moves the counter forward", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const authenticator = new SoftAuthenticator();
    expect((await register(client, authenticator)).status).toBe(201);
    await withOldAuth(person.id);
    const { response } = await assertion(client, authenticator);
    const res = await client.post<{ recentAuthUntil: string }>("/api/me/passkeys/reauthenticate", { response });
    expect(res.status).toBe(200);
    const session = await ctx.db
      .selectFrom("session")
      .where("person_id", "=", person.id)
      .select("recent_auth_at")
      .executeTakeFirstOrThrow();
    expect(Date.now() - (session.recent_auth_at?.getTime() ?? 0)).toBeLessThan(60_000);
    const [row] = await passkeyRows(person.id);
    expect(Number(row?.counter)).toBe(authenticator.counter);
    expect(row?.last_used_at).not.toBeNull();
  });

  it("refuses a wrong signature, a reused challenge, a foreign origin, a replayed counter and someone else's passkey", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const authenticator = new SoftAuthenticator();
    expect((await register(client, authenticator)).status).toBe(201);
    await withOldAuth(person.id);
    const recentAuth = async () =>
      (await ctx.db.selectFrom("session").where("person_id", "=", person.id).select("recent_auth_at").executeTakeFirstOrThrow())
        .recent_auth_at;
    const stale = await recentAuth();

    const tampered = await assertion(client, authenticator, ORIGIN, true);
    expectProblem(await client.post("/api/me/passkeys/reauthenticate", { response: tampered.response }), 400, "passkey_invalid");

    const foreign = await assertion(client, authenticator, "https://evil.example");
    expectProblem(await client.post("/api/me/passkeys/reauthenticate", { response: foreign.response }), 400, "passkey_invalid");

    expect((await recentAuth())?.getTime()).toBe(stale?.getTime());

    const good = await assertion(client, authenticator);
    expect((await client.post("/api/me/passkeys/reauthenticate", { response: good.response })).status).toBe(200);
    await withOldAuth(person.id);
    const staleAgain = await recentAuth();
    // The same answer again: its challenge is spent.
    expectProblem(await client.post("/api/me/passkeys/reauthenticate", { response: good.response }), 400, "passkey_invalid");
    // A fresh challenge answered with a counter that did not move (a cloned authenticator).
    authenticator.counter -= 1;
    const cloned = await assertion(client, authenticator);
    expectProblem(await client.post("/api/me/passkeys/reauthenticate", { response: cloned.response }), 400, "passkey_invalid");

    // Another person's passkey answering our challenge.
    const stranger = await createPerson(ctx);
    const strangerClient = await signInAs(ctx, stranger);
    const strangerKey = new SoftAuthenticator();
    expect((await register(strangerClient, strangerKey)).status).toBe(201);
    const options = await client.post<Options>("/api/me/passkeys/authentication-options");
    expectProblem(
      await client.post("/api/me/passkeys/reauthenticate", { response: strangerKey.assert(options.body, ORIGIN) }),
      400,
      "passkey_invalid",
    );
    expect((await recentAuth())?.getTime()).toBe(staleAgain?.getTime());
  });

  it("the same answer sent twice at once is accepted once (the challenge is taken in one statement)", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const authenticator = new SoftAuthenticator();
    expect((await register(client, authenticator)).status).toBe(201);
    const { response } = await assertion(client, authenticator);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => client.post("/api/me/passkeys/reauthenticate", { response }).then((r) => r.status)),
    );
    expect(results.sort()).toEqual([200, 400, 400, 400]);
  });

  it("options for authentication need a passkey", async () => {
    const client = await signInAs(ctx, await createPerson(ctx));
    expectProblem(await client.post("/api/me/passkeys/authentication-options"), 409, "two_factor_not_enabled");
  });
});

describe("passkey removal", () => {
  it("removes a passkey with a passkey proof in the same request", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const first = new SoftAuthenticator();
    const second = new SoftAuthenticator();
    const a = await register(client, first, "A");
    expect((await register(client, second, "B")).status).toBe(201);
    const { response } = await assertion(client, second);
    const res = await client.request("DELETE", `/api/me/passkeys/${a.body.id}`, { passkey: response });
    expect(res.status).toBe(204);
    expect((await passkeyRows(person.id)).map((r) => r.name)).toEqual(["B"]);
    const audit = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "auth.passkey_removed")
      .where("actor_id", "=", person.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect((await securityMails(person.email)).at(-1)).toContain(translate("en", "notifications.passkey_removed", { name: "A" }));
  });

  it("refuses without a proof or with a wrong one, and another person's passkey is not found", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const created = await register(client, new SoftAuthenticator());
    const other = await signInAs(ctx, await createPerson(ctx));
    const before = await snapshotCounts(ctx);
    expectProblem(await client.request("DELETE", `/api/me/passkeys/${created.body.id}`, {}), 400, "validation_failed");
    expectProblem(
      await client.request("DELETE", `/api/me/passkeys/${created.body.id}`, { password: "wrong password here" }),
      401,
      "wrong_password",
    );
    expectProblem(await other.request("DELETE", `/api/me/passkeys/${created.body.id}`, { password: DEFAULT_PASSWORD }), 404, "not_found");
    expectProblem(await other.patch(`/api/me/passkeys/${created.body.id}`, { name: "mine now" }), 404, "not_found");
    expectProblem(await client.request("DELETE", "/api/me/passkeys/not-a-uuid", { password: DEFAULT_PASSWORD }), 404, "not_found");
    expectProblem(
      await ctx.anonymous().request("DELETE", `/api/me/passkeys/${created.body.id}`, { password: DEFAULT_PASSWORD }),
      401,
      "unauthenticated",
    );
    expect(await passkeyRows(person.id)).toHaveLength(1);
    expect(await snapshotCounts(ctx)).toEqual(before);
  });
});

describe("passkey as the second step of signing in", () => {
  async function personWithPasskey() {
    const person = await createPerson(ctx);
    const authenticator = new SoftAuthenticator();
    expect((await register(await signInAs(ctx, person), authenticator)).status).toBe(201);
    return { person, authenticator };
  }

  async function passwordStep(person: { email: string; password: string }) {
    const client = ctx.anonymous();
    const res = await client.post<{ twoFactor?: { challenge: string; methods: string[] } }>("/api/auth/sign-in", {
      email: person.email,
      password: person.password,
    });
    expect(res.status).toBe(200);
    const challenge = res.body.twoFactor?.challenge;
    if (!challenge) throw new Error("the password step opened a session: a passkey must count as a second factor");
    return { client, challenge, methods: res.body.twoFactor?.methods };
  }

  const sessionCount = async (personId: string) =>
    (await ctx.db.selectFrom("session").where("person_id", "=", personId).select("id").execute()).length;

  it("a person with only a passkey is asked for it after the password, and signs in with it", async () => {
    const { person, authenticator } = await personWithPasskey();
    const sessionsBefore = await sessionCount(person.id);
    const { client, challenge, methods } = await passwordStep(person);
    expect(methods).toEqual(["passkey"]);
    expect(client.cookie).toBeUndefined();
    const options = await client.post<Options>("/api/auth/sign-in/passkey-options", { challenge });
    expect(options.status).toBe(200);
    const done = await client.post("/api/auth/sign-in/two-factor", { challenge, passkey: authenticator.assert(options.body, ORIGIN) });
    expect(done.status, done.text).toBe(200);
    expect(await sessionCount(person.id)).toBe(sessionsBefore + 1);
    expect((await client.get("/api/me")).status).toBe(200);
    const signIn = await ctx.db
      .selectFrom("audit_event")
      .where("action", "=", "auth.sign_in")
      .where("actor_id", "=", person.id)
      .select("after")
      .executeTakeFirstOrThrow();
    expect(signIn.after).toMatchObject({ secondFactor: "passkey" });
  });

  it("refuses a wrong signature, a foreign origin, a reused challenge and a code from an unfinished TOTP setup", async () => {
    const { person, authenticator } = await personWithPasskey();
    const sessionsBefore = await sessionCount(person.id);
    const { client, challenge } = await passwordStep(person);

    let options = await client.post<Options>("/api/auth/sign-in/passkey-options", { challenge });
    const tampered = authenticator.assert(options.body, ORIGIN, { tamper: true });
    expectProblem(await client.post("/api/auth/sign-in/two-factor", { challenge, passkey: tampered }), 401, "two_factor_code_invalid");

    options = await client.post<Options>("/api/auth/sign-in/passkey-options", { challenge });
    const foreign = authenticator.assert(options.body, "https://evil.example");
    expectProblem(await client.post("/api/auth/sign-in/two-factor", { challenge, passkey: foreign }), 401, "two_factor_code_invalid");
    // The right answer to the WebAuthn challenge the foreign answer used up.
    authenticator.counter += 5;
    expectProblem(
      await client.post("/api/auth/sign-in/two-factor", { challenge, passkey: authenticator.assert(options.body, ORIGIN) }),
      401,
      "two_factor_code_invalid",
    );

    // A pending TOTP secret (setup started, never confirmed) is no second factor.
    await ctx.db.updateTable("person").set({ totp_key: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" }).where("id", "=", person.id).execute();
    const { generateTOTP } = await import("@oslojs/otp");
    const { decodeBase32IgnorePadding } = await import("@oslojs/encoding");
    const code = generateTOTP(decodeBase32IgnorePadding("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"), 30, 6);
    expectProblem(await client.post("/api/auth/sign-in/two-factor", { challenge, code }), 401, "two_factor_code_invalid");
    expect(await sessionCount(person.id)).toBe(sessionsBefore);
    expect(client.cookie).toBeUndefined();

    // The fifth wrong answer ends the challenge.
    options = await client.post<Options>("/api/auth/sign-in/passkey-options", { challenge });
    expectProblem(
      await client.post("/api/auth/sign-in/two-factor", {
        challenge,
        passkey: authenticator.assert(options.body, ORIGIN, { tamper: true }),
      }),
      410,
      "token_invalid",
    );
    expectProblem(await client.post("/api/auth/sign-in/passkey-options", { challenge }), 410, "token_invalid");
  });

  it("refuses options for an unknown challenge and for a person without passkeys", async () => {
    expectProblem(await ctx.anonymous().post("/api/auth/sign-in/passkey-options", { challenge: "a".repeat(32) }), 410, "token_invalid");
    const person = await createPerson(ctx);
    await ctx.db
      .updateTable("person")
      .set({ totp_key: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", totp_enabled_at: new Date() })
      .where("id", "=", person.id)
      .execute();
    const { client, challenge, methods } = await passwordStep(person);
    expect(methods).toEqual(["totp"]);
    expectProblem(await client.post("/api/auth/sign-in/passkey-options", { challenge }), 409, "two_factor_not_enabled");
  });
});
