import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createPerson, signInAs, unique } from "../../../../test/factories/index.ts";
import { processPasswordResetRequests } from "../email-links.service.ts";
import { outboxFor, withoutRequestId } from "./helpers.ts";

/**
 * Issue 7, item 6: no account enumeration, also not by timing. A password-reset request does the
 * same work for every address (one counter, one queued row); a job decides later. An email change
 * to a taken address answers exactly like one to a free address.
 */
describe("no enumeration", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  // Timing follows from the work done: the request runs the very same statements whoever owns the
  // address, and none of them reads the accounts (a wall-clock comparison would only measure the
  // machine's load; the request's latency is in the benchmarks).
  it("a password reset runs the same statements for known and unknown addresses, none reading accounts, and answers alike", async () => {
    const known = await createPerson(ctx);
    const unknown = `${unique("nobody")}@example.org`;
    const request = async (email: string) => {
      ctx.queries.statements = [];
      const res = await ctx.anonymous().post("/api/auth/password-reset", { email });
      const statements = ctx.queries.statements;
      ctx.queries.statements = null;
      return { status: res.status, body: res.text, statements };
    };
    const forKnown = await request(known.email);
    const forUnknown = await request(unknown);
    expect(forKnown.status).toBe(202);
    expect(forKnown).toEqual(forUnknown);
    expect(forKnown.statements.length).toBeGreaterThan(0);
    for (const statement of forKnown.statements) expect(statement).not.toMatch(/"?\bperson\b"?/);

    // The job then sends the links that are due, and only those.
    await processPasswordResetRequests(ctx.deps, 1000);
    expect((await outboxFor(ctx, known.email)).map((e) => e.template)).toEqual(["password_reset"]);
    expect(await outboxFor(ctx, unknown)).toEqual([]);
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
