import type { Me } from "@samakki/shared/auth";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createCoalition, createOrganisation, createPerson, createWorld, signInAs, unique } from "../../../../test/factories/index.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { hashToken } from "../../../lib/crypto.ts";
import { HOUR } from "../../../lib/time.ts";
import { expectProblem, outboxFor, signInOverHttp, tokenFromNewestEmail } from "./helpers.ts";

describe("the signed-in person (/api/me)", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("shows the person with their own coalitions and organisations only", async () => {
    const world = await createWorld(ctx);
    const me = await world.clients.adminA.get<Me>("/api/me");
    expect(me.status).toBe(200);
    expect(me.body.person).toMatchObject({
      id: world.people.adminA.id,
      email: world.people.adminA.email,
      emailVerified: true,
      language: "en",
    });
    expect(me.body.coalitions.map((c) => c.id)).toEqual([world.coalition.id]);
    expect(me.body.coalitions[0]).toMatchObject({ isCoordinator: false, organisations: [expect.objectContaining({ id: world.orgA.id })] });
    expect(me.body.organisations).toEqual([expect.objectContaining({ id: world.orgA.id, role: "admin" })]);
    // The coordinator sees their coalition as coordinator; the outsider only their own coalition.
    expect((await world.clients.coordinator.get<Me>("/api/me")).body.coalitions).toEqual([
      expect.objectContaining({ id: world.coalition.id, isCoordinator: true }),
    ]);
    expect((await world.clients.outsider.get<Me>("/api/me")).body.coalitions.map((c) => c.id)).toEqual([world.other.id]);
    // A suspended organisation's coalition is not listed.
    expect((await world.clients.suspended.get<Me>("/api/me")).body.coalitions).toEqual([]);
    expectProblem(await ctx.anonymous().get("/api/me"), 401, "unauthenticated");
  });

  it("changes the display name and language", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const res = await client.patch<Me>("/api/me", { displayName: "  Dara Kim  ", language: "km" });
    expect(res.status).toBe(200);
    expect(res.body.person).toMatchObject({ displayName: "Dara Kim", language: "km" });
    const row = await ctx.db
      .selectFrom("person")
      .where("id", "=", person.id)
      .select(["display_name", "language"])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ display_name: "Dara Kim", language: "km" });
    expect((await client.patch<Me>("/api/me", { language: "en" })).body.person).toMatchObject({ displayName: "Dara Kim", language: "en" });
  });

  it("refuses invalid profile changes with 400 and changes nothing", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const before = await snapshotCounts(ctx);
    const row = () => ctx.db.selectFrom("person").where("id", "=", person.id).selectAll().executeTakeFirstOrThrow();
    const original = await row();
    for (const body of [{}, { displayName: "   " }, { language: "fr" }, { email: "x@example.org" }, { displayName: "x".repeat(121) }]) {
      expectProblem(await client.patch("/api/me", body), 400, "validation_failed");
    }
    const empty = await client.patch<{ errors: { message: string }[] }>("/api/me", {});
    expect(empty.body.errors[0]?.message).toBe("There is nothing to change.");
    expectProblem(await ctx.anonymous().patch("/api/me", { displayName: "Hacker" }), 401, "unauthenticated");
    expect(await row()).toEqual(original);
    expect(await snapshotCounts(ctx)).toEqual(before);
  });
});

describe("email verification and email change", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  async function unverified() {
    const person = await createPerson(ctx);
    await ctx.db.updateTable("person").set({ email_verified_at: null }).where("id", "=", person.id).execute();
    return { person, client: await signInAs(ctx, person) };
  }

  it("sends a verification link on request and verifies the address with it, once", async () => {
    const { person, client } = await unverified();
    expect((await client.post("/api/me/email/verification")).status).toBe(202);
    const token = await tokenFromNewestEmail(ctx, person.email, "email_verification");
    expect((await ctx.anonymous().post("/api/auth/verify-email", { token })).status).toBe(204);
    expect((await client.get<Me>("/api/me")).body.person.emailVerified).toBe(true);
    expectProblem(await ctx.anonymous().post("/api/auth/verify-email", { token }), 410, "token_invalid");
    // Once verified, asking again sends nothing.
    const count = (await outboxFor(ctx, person.email)).length;
    expect((await client.post("/api/me/email/verification")).status).toBe(202);
    expect((await outboxFor(ctx, person.email)).length).toBe(count);
    expectProblem(await ctx.anonymous().post("/api/me/email/verification"), 401, "unauthenticated");
  });

  it("refuses invalid, unknown and expired verification tokens", async () => {
    const { person, client } = await unverified();
    const before = await snapshotCounts(ctx);
    expectProblem(await ctx.anonymous().post("/api/auth/verify-email", { token: "short" }), 400, "validation_failed");
    expectProblem(await ctx.anonymous().post("/api/auth/verify-email", {}), 400, "validation_failed");
    expectProblem(await ctx.anonymous().post("/api/auth/verify-email", { token: "a".repeat(32) }), 410, "token_invalid");
    expect(await snapshotCounts(ctx)).toEqual(before);

    await client.post("/api/me/email/verification");
    const token = await tokenFromNewestEmail(ctx, person.email, "email_verification");
    await ctx.db
      .updateTable("auth_token")
      .set({ expires_at: new Date(Date.now() - HOUR) })
      .where("token_hash", "=", hashToken(token))
      .execute();
    expectProblem(await ctx.anonymous().post("/api/auth/verify-email", { token }), 410, "token_invalid");
    expect((await client.get<Me>("/api/me")).body.person.emailVerified).toBe(false);
  });

  it("changes the email only once the link sent to the new address is followed", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const newEmail = `${unique("moved")}@example.org`;
    expect((await client.post("/api/me/email", { email: newEmail.toUpperCase(), password: person.password })).status).toBe(202);
    // Nothing changes yet: the old address still signs in, the new one does not.
    expect((await client.get<Me>("/api/me")).body.person.email).toBe(person.email);
    expect(await outboxFor(ctx, person.email)).toEqual([]);
    expect((await signInOverHttp(ctx.anonymous(), newEmail, person.password)).status).toBe(401);

    const token = await tokenFromNewestEmail(ctx, newEmail, "email_verification");
    expect((await ctx.anonymous().post("/api/auth/verify-email", { token })).status).toBe(204);
    expect((await client.get<Me>("/api/me")).body.person).toMatchObject({ email: newEmail, emailVerified: true });
    expect((await signInOverHttp(ctx.anonymous(), newEmail, person.password)).status).toBe(200);
    expect((await signInOverHttp(ctx.anonymous(), person.email, person.password)).status).toBe(401);
    const audit = await ctx.db
      .selectFrom("audit_event")
      .where("target_id", "=", person.id)
      .where("action", "=", "person.email_change")
      .selectAll()
      .execute();
    expect(audit.length).toBe(1);
  });

  it("refuses an invalid new email or a missing proof with 400, and changes nothing", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const before = await snapshotCounts(ctx);
    const fresh = `${unique("x")}@example.org`;
    expectProblem(await client.post("/api/me/email", { email: "not an email", password: person.password }), 400, "validation_failed");
    expectProblem(await client.post("/api/me/email", { email: fresh, password: person.password, also: 1 }), 400, "validation_failed");
    expectProblem(await client.post("/api/me/email", { email: fresh }), 400, "validation_failed");
    expectProblem(await ctx.anonymous().post("/api/me/email", { email: fresh, password: person.password }), 401, "unauthenticated");
    expect(await snapshotCounts(ctx)).toEqual(before);
  });

  it("refuses the verification link of a person disabled since it was sent", async () => {
    const { person, client } = await unverified();
    const newEmail = `${unique("disabled")}@example.org`;
    await client.post("/api/me/email", { email: newEmail, password: person.password });
    const token = await tokenFromNewestEmail(ctx, newEmail, "email_verification");
    await ctx.db.updateTable("person").set({ disabled_at: new Date() }).where("id", "=", person.id).execute();
    expectProblem(await ctx.anonymous().post("/api/auth/verify-email", { token }), 410, "token_invalid");
    const row = await ctx.db
      .selectFrom("person")
      .where("id", "=", person.id)
      .select(["email", "email_verified_at"])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ email: person.email, email_verified_at: null });
  });

  it("refuses a verification link for an address someone took in the meantime", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const newEmail = `${unique("contested")}@example.org`;
    await client.post("/api/me/email", { email: newEmail, password: person.password });
    const token = await tokenFromNewestEmail(ctx, newEmail, "email_verification");
    await createPerson(ctx, { email: newEmail });
    expectProblem(await ctx.anonymous().post("/api/auth/verify-email", { token }), 409, "email_taken");
    expect((await client.get<Me>("/api/me")).body.person.email).toBe(person.email);
  });

  it("lists a coalition only through an active or observer membership, from the next request on", async () => {
    const coalition = await createCoalition(ctx);
    const org = await createOrganisation(ctx, coalition.id, { status: "suspended" });
    const person = await createPerson(ctx);
    await ctx.db
      .insertInto("membership")
      .values({ organisation_id: org.id, person_id: person.id, role: "member", representative: false })
      .execute();
    const client = await signInAs(ctx, person);
    expect((await client.get<Me>("/api/me")).body.coalitions).toEqual([]);
    await ctx.db.updateTable("coalition_member").set({ status: "active" }).where("organisation_id", "=", org.id).execute();
    expect((await client.get<Me>("/api/me")).body.coalitions.map((c) => c.id)).toEqual([coalition.id]);
  });
});
