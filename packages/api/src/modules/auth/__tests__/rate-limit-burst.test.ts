import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { TwoFactorChallenge } from "@samakki/shared/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, ORIGIN, type TestContext } from "../../../../test/app.ts";
import { holdAppClock } from "../../../../test/clock.ts";
import { createPerson, signInAs, unique } from "../../../../test/factories/index.ts";
import { processPasswordResetRequests } from "../email-links.service.ts";
import { totpCodeAt } from "./helpers.ts";

/**
 * Issue 7, item 3: every attempt is counted atomically before its secret is checked, so a burst
 * of parallel requests cannot exceed a limit. The requests go over a real HTTP server and warm
 * keep-alive connections (fetch keeps them open), like an attacker's script would send them.
 */
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

describe("rate limits under parallel bursts", () => {
  let ctx: TestContext;
  let server: ServerType;
  let base = "";
  /** argon2 verifications run by the app, i.e. password guesses actually evaluated. */
  let verifications = 0;
  /** The app's clock stands still here, so the valid codes are known and a wrong one stays wrong. */
  let clockAt: Date;

  beforeAll(async () => {
    ctx = await buildTestApp();
    clockAt = holdAppClock(ctx.deps);
    const hasher = ctx.deps.passwords;
    ctx.deps.passwords = {
      ...hasher,
      verify: async (hash, password) => {
        verifications++;
        return hasher.verify(hash, password);
      },
    };
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: ctx.app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /**
   * Every request here comes from 127.0.0.1: start each test with that address's counters fresh,
   * so one test's failures do not limit the next. Then open (and keep open) as many connections as
   * the burst will use, and wake the database pool.
   */
  async function warm(n: number) {
    await ctx.db.deleteFrom("rate_limit").where("key", "like", "%:address:%").execute();
    await Promise.all(Array.from({ length: n }, () => fetch(`${base}/healthz`).then((r) => r.text())));
  }

  async function post(path: string, body: unknown, cookie?: string): Promise<number> {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json", "user-agent": UA, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    await res.text();
    return res.status;
  }

  async function burst(n: number, send: (i: number) => Promise<number>) {
    await warm(n);
    const before = verifications;
    const statuses = await Promise.all(Array.from({ length: n }, (_, i) => send(i)));
    return { statuses, evaluated: verifications - before, answered: statuses.filter((s) => s !== 429).length };
  }

  async function withTwoFactor(personId: string) {
    await ctx.db
      .updateTable("person")
      .set({ totp_key: SECRET, totp_enabled_at: new Date(), totp_last_counter: null })
      .where("id", "=", personId)
      .execute();
  }
  /** A code that none of the steps the server accepts (its held clock, ±1 step) would take. */
  const wrongTotp = () => {
    const valid = [-1, 0, 1].map((steps) => totpCodeAt(SECRET, clockAt, steps));
    return ["000000", "111111", "222222", "333333"].find((code) => !valid.includes(code)) ?? "444444";
  };

  it("60 wrong passwords at once for one account: at most 10 are checked, and the right password afterwards is refused", async () => {
    const person = await createPerson(ctx);
    const { statuses, evaluated } = await burst(60, (i) =>
      post("/api/auth/sign-in", { email: person.email, password: `wrong password ${i}` }),
    );
    expect(evaluated).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(50);
    expect(await post("/api/auth/sign-in", { email: person.email, password: person.password })).toBe(429);
  });

  it("130 wrong passwords at once from one address over many accounts: at most 100 are checked", async () => {
    const prefix = unique("spray");
    const { evaluated, answered } = await burst(130, (i) =>
      post("/api/auth/sign-in", { email: `${prefix}-${i % 20}@example.org`, password: `guess ${i}` }),
    );
    expect(evaluated).toBeLessThanOrEqual(100);
    expect(answered).toBeLessThanOrEqual(100);
  });

  it("40 wrong re-authentications at once: at most 10 are checked, and the right password afterwards is refused", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const { evaluated, answered } = await burst(40, (i) => post("/api/auth/reauthenticate", { password: `wrong ${i}` }, client.cookie));
    expect(evaluated).toBeLessThanOrEqual(10);
    expect(answered).toBeLessThanOrEqual(10);
    expect(await post("/api/auth/reauthenticate", { password: person.password }, client.cookie)).toBe(429);
  });

  it("74 wrong TOTP codes at once: at most 10 are checked", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    await withTwoFactor(person.id);
    const { answered } = await burst(74, () => post("/api/auth/reauthenticate", { code: wrongTotp() }, client.cookie));
    expect(answered).toBeLessThanOrEqual(10);
  });

  it("wrong recovery codes at once (turning two-factor authentication off): at most 10 are checked", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    await withTwoFactor(person.id);
    const { answered } = await burst(40, () => post("/api/me/two-factor/disable", { code: "aaaa-bbbb-cccc-dddd" }, client.cookie));
    expect(answered).toBeLessThanOrEqual(10);
  });

  it("wrong codes for one sign-in challenge at once: at most 5 are checked", async () => {
    const person = await createPerson(ctx);
    await withTwoFactor(person.id);
    await warm(1);
    const res = await fetch(`${base}/api/auth/sign-in`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json", "user-agent": UA },
      body: JSON.stringify({ email: person.email, password: person.password }),
    });
    const { twoFactor } = TwoFactorChallenge.parse(await res.json());
    const { statuses } = await burst(30, () => post("/api/auth/sign-in/two-factor", { challenge: twoFactor.challenge, code: wrongTotp() }));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
  });

  it("password-reset requests at once for one address: at most 5 links are sent", async () => {
    const person = await createPerson(ctx);
    await burst(30, () => post("/api/auth/password-reset", { email: person.email }));
    await processPasswordResetRequests(ctx.deps);
    const links = await ctx.db
      .selectFrom("outbox_email")
      .where("to_address", "=", person.email)
      .where("template", "=", "password_reset")
      .select("id")
      .execute();
    expect(links.length).toBeGreaterThan(0);
    expect(links.length).toBeLessThanOrEqual(5);
  });

  it("email-change requests at once: at most 5 are handled", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const { answered } = await burst(30, (i) =>
      post("/api/me/email", { email: `${unique(`moved${i}`)}@example.org`, password: person.password }, client.cookie),
    );
    expect(answered).toBeLessThanOrEqual(5);
  });

  it("invitation acceptances with guessed links at once from one address: at most 100 are looked up", async () => {
    const { answered } = await burst(130, (i) => post(`/api/invitations/${"a".repeat(30)}${i}/accept`, {}));
    expect(answered).toBeLessThanOrEqual(100);
  });
});
