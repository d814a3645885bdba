import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createPerson, unique } from "../../../../test/factories/index.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { hashToken } from "../../../lib/crypto.ts";
import { COOKIE_NAME, cookieToken, expectProblem, outboxFor, sessionRows, signInOverHttp, withoutRequestId } from "./helpers.ts";

async function rateLimitRows(ctx: TestContext) {
  const row = await ctx.db
    .selectFrom("rate_limit")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("sign-in", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("signs in with a new session cookie, __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/", async () => {
    const person = await createPerson(ctx);
    const client = ctx.anonymous();
    const res = await signInOverHttp(client, person.email.toUpperCase(), person.password);
    expect(res.status).toBe(200);
    expect(res.body.person).toMatchObject({ id: person.id, email: person.email });
    const cookies = res.headers.getSetCookie();
    const setCookie = cookies.find((c) => c.startsWith(`${COOKIE_NAME}=`)) ?? "";
    const hint = cookies.find((c) => c.startsWith("__Host-samakki_signed_in=")) ?? "";
    const attributes = setCookie.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
    expect(attributes.some((a) => a.startsWith("domain="))).toBe(false);
    // Beside it, the hint the web app reads (docs/security.md §2): no secret, not HttpOnly, the same life.
    const hintAttributes = hint.split(";").map((a) => a.trim().toLowerCase());
    expect(hintAttributes[0]).toBe("__host-samakki_signed_in=1");
    expect(hintAttributes).toEqual(expect.arrayContaining(["secure", "samesite=lax", "path=/"]));
    expect(hintAttributes).not.toContain("httponly");
    const expires = (list: string[]) => list.find((a) => a.startsWith("expires="));
    expect(expires(hintAttributes)).toBe(expires(attributes));
    expect(res.headers.get("cache-control")).toBe("no-store");
    // 20 random bytes, base32 without padding.
    expect(cookieToken(client)).toMatch(/^[a-z2-7]{32}$/);
    expect((await client.get("/api/me")).status).toBe(200);
  });

  it("stores only the SHA-256 of the token, and gives a new token at every sign-in", async () => {
    const person = await createPerson(ctx);
    const first = ctx.anonymous();
    const second = ctx.anonymous();
    await signInOverHttp(first, person.email, person.password);
    await signInOverHttp(second, person.email, person.password);
    const tokens = [cookieToken(first), cookieToken(second)];
    expect(tokens[0]).not.toBe(tokens[1]);
    const rows = await sessionRows(ctx, person.id);
    expect(rows.map((r) => r.id).sort()).toEqual(tokens.map(hashToken).sort());
    for (const row of rows) {
      for (const token of tokens) expect(JSON.stringify(row)).not.toContain(token);
    }
    // Signing in again from a signed-in client replaces its token (no fixation).
    const before = cookieToken(first);
    await signInOverHttp(first, person.email, person.password);
    expect(cookieToken(first)).not.toBe(before);
  });

  it("refuses invalid input with 400 problem+json and changes nothing", async () => {
    const before = await snapshotCounts(ctx);
    const limits = await rateLimitRows(ctx);
    const client = ctx.anonymous();
    const res = await client.post("/api/auth/sign-in", { email: "not-an-email", password: "", remember: true });
    expectProblem(res, 400, "validation_failed");
    const paths = res
      .json(Problem)
      .errors?.map((e) => e.path)
      .sort();
    expect(paths).toEqual(["email", "password", "remember"]);
    expect((await client.post("/api/auth/sign-in", { email: "a@example.org", password: "x".repeat(257) })).status).toBe(400);
    expect((await client.post("/api/auth/sign-in", [])).status).toBe(400);
    expect(client.cookie).toBeUndefined();
    expect(await snapshotCounts(ctx)).toEqual(before);
    expect(await rateLimitRows(ctx)).toBe(limits);
  });

  it("answers an unknown email exactly like a known email with a wrong password", async () => {
    const person = await createPerson(ctx);
    const known = await ctx.anonymous().post("/api/auth/sign-in", { email: person.email, password: "wrong password, sorry" });
    const unknown = await ctx
      .anonymous()
      .post("/api/auth/sign-in", { email: `${unique("nobody")}@example.org`, password: "wrong password, sorry" });
    expectProblem(known, 401, "invalid_credentials");
    expect(unknown.status).toBe(known.status);
    expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(known.body));
    expect([...unknown.headers.keys()].sort()).toEqual([...known.headers.keys()].sort());
    expect(known.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a disabled person with the same answer as a wrong password, and ends their sessions", async () => {
    const person = await createPerson(ctx);
    const client = ctx.anonymous();
    await signInOverHttp(client, person.email, person.password);
    expect((await client.get("/api/me")).status).toBe(200);
    await ctx.db.updateTable("person").set({ disabled_at: new Date() }).where("id", "=", person.id).execute();

    expectProblem(await client.get("/api/me"), 401, "unauthenticated");
    expect(await sessionRows(ctx, person.id)).toEqual([]);
    const refused = await ctx.anonymous().post("/api/auth/sign-in", { email: person.email, password: person.password });
    const wrong = await ctx.anonymous().post("/api/auth/sign-in", { email: `${unique("nobody")}@example.org`, password: person.password });
    expectProblem(refused, 401, "invalid_credentials");
    expect(withoutRequestId(refused.body)).toEqual(withoutRequestId(wrong.body));
    expect(await sessionRows(ctx, person.id)).toEqual([]);
  });

  it("locks an account after 10 failed sign-ins in 15 minutes, even with the right password, and emails the person once", async () => {
    const person = await createPerson(ctx);
    const client = ctx.anonymous();
    for (let i = 1; i <= 10; i++) {
      const res = await client.post("/api/auth/sign-in", { email: person.email, password: `wrong password ${i}` });
      expectProblem(res, 401, "invalid_credentials");
      const lockouts = (await outboxFor(ctx, person.email)).filter((r) => r.template === "lockout");
      expect(lockouts.length).toBe(i === 10 ? 1 : 0);
    }
    const locked = await client.post("/api/auth/sign-in", { email: person.email, password: person.password });
    expectProblem(locked, 429, "rate_limited");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(locked.headers.get("set-cookie")).toBeNull();
    expect(await sessionRows(ctx, person.id)).toEqual([]);
    expectProblem(await client.post("/api/auth/sign-in", { email: person.email, password: "wrong again" }), 429, "rate_limited");
    expect((await outboxFor(ctx, person.email)).filter((r) => r.template === "lockout").length).toBe(1);

    // The window ends: move it back in time instead of waiting 15 minutes.
    await ctx.db
      .updateTable("rate_limit")
      .set({ window_start: new Date(Date.now() - 16 * 60_000) })
      .where("key", "like", "signin:account:%")
      .execute();
    expect((await client.post("/api/auth/sign-in", { email: person.email, password: person.password })).status).toBe(200);
  });

  it("locks unknown emails the same way, so a lockout reveals nothing", async () => {
    const email = `${unique("ghost")}@example.org`;
    for (let i = 0; i < 10; i++) expect((await ctx.anonymous().post("/api/auth/sign-in", { email, password: "guess" })).status).toBe(401);
    expectProblem(await ctx.anonymous().post("/api/auth/sign-in", { email, password: "guess" }), 429, "rate_limited");
    expect(await outboxFor(ctx, email)).toEqual([]);
  });

  it("forgets earlier failures after a successful sign-in", async () => {
    const person = await createPerson(ctx);
    for (let i = 0; i < 9; i++) await ctx.anonymous().post("/api/auth/sign-in", { email: person.email, password: "nope" });
    expect((await signInOverHttp(ctx.anonymous(), person.email, person.password)).status).toBe(200);
    for (let i = 0; i < 9; i++)
      expect((await ctx.anonymous().post("/api/auth/sign-in", { email: person.email, password: "nope" })).status).toBe(401);
    expect((await signInOverHttp(ctx.anonymous(), person.email, person.password)).status).toBe(200);
  });

  it("emails the person about a sign-in from a new device, not from a known one", async () => {
    const person = await createPerson(ctx);
    await signInOverHttp(ctx.anonymous(), person.email, person.password);
    await signInOverHttp(ctx.anonymous(), person.email, person.password);
    expect((await outboxFor(ctx, person.email)).filter((r) => r.template === "new_sign_in")).toEqual([]);
    const firefox = { "user-agent": "Mozilla/5.0 (Android 15; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0" };
    await signInOverHttp(ctx.anonymous(), person.email, person.password, firefox);
    expect((await outboxFor(ctx, person.email)).filter((r) => r.template === "new_sign_in").length).toBe(1);
  });

  it("refuses a sign-in without a same-origin Origin header (CSRF) and changes nothing", async () => {
    const person = await createPerson(ctx);
    const before = await snapshotCounts(ctx);
    const client = ctx.anonymous();
    const res = await client.request(
      "POST",
      "/api/auth/sign-in",
      { email: person.email, password: person.password },
      { origin: "https://evil.example" },
    );
    expectProblem(res, 403, "csrf_rejected");
    expect(client.cookie).toBeUndefined();
    expect(await snapshotCounts(ctx)).toEqual(before);
  });
});

describe("sign-in limit per source address (TRUST_PROXY)", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp({ trustProxy: true });
  });

  it("refuses every sign-in from an address after 100 failures in 15 minutes, but not from other addresses", async () => {
    const person = await createPerson(ctx);
    // The trusted proxy appends the address it saw; anything before it is whatever the client sent.
    let invented = 0;
    const from = (address: string) => ({ "x-forwarded-for": `10.${invented++ % 250}.0.1, ${address}` });
    // 100 failures over many accounts (each stays under its own limit of 10).
    for (let i = 0; i < 100; i++) {
      const res = await ctx
        .anonymous()
        .post("/api/auth/sign-in", { email: `guess-${i % 20}@example.org`, password: `guess ${i}` }, from("203.0.113.7"));
      expect(res.status).toBe(401);
    }
    expectProblem(await signInOverHttp(ctx.anonymous(), person.email, person.password, from("203.0.113.7")), 429, "rate_limited");
    expect((await signInOverHttp(ctx.anonymous(), person.email, person.password, from("198.51.100.4"))).status).toBe(200);
    // The counters keep no address in clear.
    const keys = await ctx.db.selectFrom("rate_limit").select("key").execute();
    expect(keys.some((k) => k.key.includes("203.0.113.7"))).toBe(false);
  });
});

describe("sign-in behind no trusted proxy", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp({ trustProxy: false });
  });

  it("ignores X-Forwarded-For, so a client cannot spread its failures over invented addresses", async () => {
    const person = await createPerson(ctx);
    for (let i = 0; i < 100; i++) {
      await ctx
        .anonymous()
        .post("/api/auth/sign-in", { email: `guess-${i % 20}@example.org`, password: "guess" }, { "x-forwarded-for": `192.0.2.${i}` });
    }
    expectProblem(
      await signInOverHttp(ctx.anonymous(), person.email, person.password, { "x-forwarded-for": "192.0.2.250" }),
      429,
      "rate_limited",
    );
  });
});
