import { Me } from "@samakki/shared/auth";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext, type TestResponse } from "../../../../test/app.ts";
import { createPerson } from "../../../../test/factories/index.ts";
import { expectProblem, outboxFor, signInOverHttp } from "./helpers.ts";

/**
 * Issue 7, item 4: someone who knows an email must not be able to lock the owner out. Failures
 * from unknown devices lock unknown devices only; a browser that signed in before carries a signed
 * device cookie and has a limit of its own (docs/security/lockout.md).
 */
const DEVICE_COOKIE = "__Host-samakki_device";

function deviceCookie(res: TestResponse): string {
  const value = res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${DEVICE_COOKIE}=`))
    ?.split(";")[0];
  if (!value) throw new Error("no device cookie was set");
  return value;
}

describe("lockout and device cookies", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  const attempt = (email: string, password: string, cookie?: string) =>
    ctx.anonymous().post("/api/auth/sign-in", { email, password }, cookie ? { cookie } : {});

  async function lockFromUnknownDevice(email: string) {
    for (let i = 0; i < 10; i++) expectProblem(await attempt(email, `wrong password ${i}`), 401, "invalid_credentials");
    expectProblem(await attempt(email, "still guessing"), 429, "rate_limited");
  }

  it("a successful sign-in leaves a signed device cookie: HttpOnly, Secure, SameSite=Lax, __Host-", async () => {
    const person = await createPerson(ctx);
    const res = await signInOverHttp(ctx.anonymous(), person.email, person.password);
    const header = res.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`)) ?? "";
    const attributes = header.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
    expect(deviceCookie(res)).toMatch(/^__Host-samakki_device=[a-z2-7]{26}\.[A-Za-z0-9_-]{43}$/);
    // Nothing about the account in clear.
    expect(header).not.toContain(person.id);
    expect(header.toLowerCase()).not.toContain(person.email.split("@")[0]);
    // A failed sign-in leaves none.
    expect((await attempt(person.email, "wrong password")).headers.getSetCookie()).toEqual([]);
  });

  it("failures from unknown devices lock unknown devices only: the owner's known device still signs in", async () => {
    const person = await createPerson(ctx);
    const owner = deviceCookie(await signInOverHttp(ctx.anonymous(), person.email, person.password));
    await lockFromUnknownDevice(person.email);
    // The attacker, even with the right password, is refused on an unknown device.
    expectProblem(await attempt(person.email, person.password), 429, "rate_limited");
    expect((await outboxFor(ctx, person.email)).filter((r) => r.template === "lockout").length).toBe(1);

    const res = await attempt(person.email, person.password, owner);
    expect(res.status).toBe(200);
    expect(res.json(Me).person.id).toBe(person.id);
    // …and the owner's sign-in does not hand the attacker a fresh allowance.
    expectProblem(await attempt(person.email, "another guess"), 429, "rate_limited");
  });

  it("a known device's own failures are limited too, per device cookie", async () => {
    const person = await createPerson(ctx);
    const device = deviceCookie(await signInOverHttp(ctx.anonymous(), person.email, person.password));
    for (let i = 0; i < 10; i++) expectProblem(await attempt(person.email, `typo ${i}`, device), 401, "invalid_credentials");
    expectProblem(await attempt(person.email, person.password, device), 429, "rate_limited");
    // Another device of the owner (or a new one) is not locked by this one's failures.
    const other = deviceCookie(await signInOverHttp(ctx.anonymous(), person.email, person.password));
    expect((await attempt(person.email, person.password, other)).status).toBe(200);
  });

  it("a forged device cookie, or another account's, counts as an unknown device", async () => {
    const person = await createPerson(ctx);
    const stranger = await createPerson(ctx);
    const own = deviceCookie(await signInOverHttp(ctx.anonymous(), person.email, person.password));
    const strangers = deviceCookie(await signInOverHttp(ctx.anonymous(), stranger.email, stranger.password));
    await lockFromUnknownDevice(person.email);

    const [name, value = ""] = own.split("=");
    const [nonce = "", mac = ""] = value.split(".");
    const tamperedMac = `${name}=${nonce}.${mac.startsWith("A") ? "B" : "A"}${mac.slice(1)}`;
    const otherNonce = `${name}=${nonce.startsWith("a") ? "b" : "a"}${nonce.slice(1)}.${mac}`;
    for (const cookie of [strangers, tamperedMac, otherNonce, `${DEVICE_COOKIE}=garbage`]) {
      expectProblem(await attempt(person.email, person.password, cookie), 429, "rate_limited");
    }
    expect((await attempt(person.email, person.password, own)).status).toBe(200);
  });
});
