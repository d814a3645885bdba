import { performance } from "node:perf_hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createPerson, signInAs, unique } from "../../../../test/factories/index.ts";
import { processPasswordResetRequests } from "../auth.service.ts";
import { outboxFor, withoutRequestId } from "./helpers.ts";

/**
 * Issue 7, item 6: no account enumeration, also not by timing. A password-reset request does the
 * same work for every address (one counter, one queued row); a job decides later. An email change
 * to a taken address answers exactly like one to a free address.
 */
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

describe("no enumeration", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("a password reset answers in the same time for known and unknown addresses (median difference under 5 ms over 100 samples)", async () => {
    const SAMPLES = 100;
    const known = await Promise.all(Array.from({ length: SAMPLES + 10 }, () => createPerson(ctx)));
    const unknown = Array.from({ length: SAMPLES + 10 }, () => `${unique("nobody")}@example.org`);
    const timed = async (email: string) => {
      const start = performance.now();
      const res = await ctx.anonymous().post("/api/auth/password-reset", { email });
      const elapsed = performance.now() - start;
      expect(res.status).toBe(202);
      return elapsed;
    };
    // Warm up both paths, then interleave them so drift affects both alike.
    for (let i = 0; i < 10; i++) {
      await timed(known[SAMPLES + i]?.email ?? "");
      await timed(unknown[SAMPLES + i] ?? "");
    }
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      knownTimes.push(await timed(known[i]?.email ?? ""));
      unknownTimes.push(await timed(unknown[i] ?? ""));
    }
    const [k, u] = [median(knownTimes), median(unknownTimes)];
    console.info(
      `password reset median: known ${k.toFixed(2)} ms, unknown ${u.toFixed(2)} ms, difference ${Math.abs(k - u).toFixed(2)} ms`,
    );
    expect(Math.abs(k - u)).toBeLessThan(5);

    // The job then sends the links that are due, and only those.
    await processPasswordResetRequests(ctx.deps, 1000);
    expect((await outboxFor(ctx, known[0]?.email ?? "")).map((e) => e.template)).toEqual(["password_reset"]);
    expect(await outboxFor(ctx, unknown[0] ?? "")).toEqual([]);
  });

  it("an email change to a taken address answers exactly like one to a free address; the taken address's owner is told instead", async () => {
    const person = await createPerson(ctx);
    const owner = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const free = `${unique("free")}@example.org`;
    const toFree = await client.post("/api/me/email", { email: free, password: person.password });
    const toTaken = await client.post("/api/me/email", { email: owner.email.toUpperCase(), password: person.password });
    expect(toFree.status).toBe(202);
    expect(toTaken.status).toBe(toFree.status);
    expect(withoutRequestId(toTaken.body ?? {})).toEqual(withoutRequestId(toFree.body ?? {}));
    expect(toTaken.text).toBe(toFree.text);
    expect([...toTaken.headers.keys()].sort()).toEqual([...toFree.headers.keys()].sort());

    expect((await outboxFor(ctx, free)).map((e) => e.template)).toEqual(["email_verification"]);
    const told = await outboxFor(ctx, owner.email);
    expect(told.map((e) => e.template)).toEqual(["notification"]);
    expect(told[0]?.text).not.toMatch(/token=/);
    // The owner's account is untouched and no link for it exists.
    const tokens = await ctx.db.selectFrom("auth_token").where("email", "=", owner.email).select("id").execute();
    expect(tokens).toEqual([]);
    const row = await ctx.db.selectFrom("person").where("id", "=", person.id).select("email").executeTakeFirstOrThrow();
    expect(row.email).toBe(person.email);
  });
});
