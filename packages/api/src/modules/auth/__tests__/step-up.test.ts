import type { Me } from "@samakki/shared/auth";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestClient, type TestContext } from "../../../../test/app.ts";
import { holdAppClock } from "../../../../test/clock.ts";
import { createPerson, signInAs, unique } from "../../../../test/factories/index.ts";
import { expectCountChanges, snapshotCounts } from "../../../../test/permissions.ts";
import { hashToken } from "../../../lib/crypto.ts";
import { DAY, HOUR } from "../../../lib/time.ts";
import { processPasswordResetRequests } from "../email-links.service.ts";
import { expectProblem, outboxFor, sessionRows, signInOverHttp, tokenFromNewestEmail, totpCodeAt } from "./helpers.ts";

/**
 * Issue 7, item 5: a stolen session is not a stolen account. Changing the email or the password,
 * regenerating recovery codes and turning two-factor authentication off need the password or a
 * second factor in the same request, even right after a sign-in; an email change tells the old
 * address, with an undo link; no reset link goes to a new address for 24 hours.
 */
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/** The app's clock stands still at this instant, so the code drawn for it stays valid. */
let clockAt: Date;
const totp = () => totpCodeAt(SECRET, clockAt);

describe("step-up in the same request", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
    clockAt = holdAppClock(ctx.deps);
  });

  /** A person with two-factor authentication on and one known recovery code, signed in just now. */
  async function enrolled() {
    const person = await createPerson(ctx);
    const recoveryCode = "abcdefghijklmnop";
    await ctx.db
      .updateTable("person")
      .set({ totp_key: SECRET, totp_enabled_at: new Date(), totp_last_counter: null })
      .where("id", "=", person.id)
      .execute();
    await ctx.db
      .insertInto("recovery_code")
      .values({ person_id: person.id, code_hash: hashToken(recoveryCode), used_at: null })
      .execute();
    // A fresh sign-in: the session counts as recently authenticated.
    const client = await signInAs(ctx, person);
    return { person, client, recoveryCode };
  }

  const personRow = (id: string) =>
    ctx.db.selectFrom("person").where("id", "=", id).select(["email", "password_hash", "totp_enabled_at"]).executeTakeFirstOrThrow();

  it("with only a fresh session cookie, the email, the password, the recovery codes and two-factor authentication cannot be changed", async () => {
    const { person, client } = await enrolled();
    const before = await snapshotCounts(ctx);
    const row = await personRow(person.id);
    const codes = await ctx.db.selectFrom("recovery_code").where("person_id", "=", person.id).selectAll().execute();
    const newEmail = `${unique("thief")}@example.org`;

    // No proof at all.
    expectProblem(await client.post("/api/me/email", { email: newEmail }), 400, "validation_failed");
    expectProblem(await client.post("/api/me/two-factor/recovery-codes", {}), 400, "validation_failed");
    expectProblem(await client.post("/api/me/two-factor/disable", {}), 400, "validation_failed");
    expectProblem(await client.post("/api/me/password", { newPassword: "a new passphrase of the thief" }), 400, "validation_failed");
    // A wrong proof.
    expectProblem(await client.post("/api/me/email", { email: newEmail, password: "not the password" }), 401, "wrong_password");
    expectProblem(await client.post("/api/me/email", { email: newEmail, code: "zzzz-zzzz-zzzz-zzzz" }), 401, "two_factor_code_invalid");
    expectProblem(await client.post("/api/me/two-factor/recovery-codes", { password: "not the password" }), 401, "wrong_password");
    expectProblem(await client.post("/api/me/two-factor/disable", { code: "zzzz-zzzz-zzzz-zzzz" }), 401, "two_factor_code_invalid");
    expectProblem(
      await client.post("/api/me/password", { currentPassword: "not the password", newPassword: "a new passphrase of the thief" }),
      401,
      "wrong_password",
    );

    expect(await personRow(person.id)).toEqual(row);
    expect(await ctx.db.selectFrom("recovery_code").where("person_id", "=", person.id).selectAll().execute()).toEqual(codes);
    expect(await outboxFor(ctx, newEmail)).toEqual([]);
    // The rows written are two limit counters: the person's re-authentication attempts (every wrong
    // proof) and email-change requests (docs/security.md §6).
    await expectCountChanges(ctx, before, { rate_limit: 2 });
  });

  it("accepts the password, a TOTP code or a recovery code (once) as the proof", async () => {
    const { person, client, recoveryCode } = await enrolled();
    expect((await client.post("/api/me/two-factor/recovery-codes", { password: person.password })).status).toBe(200);
    const first = `${unique("a")}@example.org`;
    const code = totp();
    expect((await client.post("/api/me/email", { email: first, code })).status).toBe(202);
    expect((await outboxFor(ctx, first)).map((e) => e.template)).toEqual(["email_verification"]);
    // The regenerated codes replaced the one we knew; the TOTP code above is used up.
    expectProblem(await client.post("/api/me/email", { email: first, code: recoveryCode }), 401, "two_factor_code_invalid");
    expectProblem(await client.post("/api/me/email", { email: first, code }), 401, "two_factor_code_invalid");
  });

  it("an email change tells the old address, whose link undoes it once within 7 days and ends every session", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const laptop = await signInAs(ctx, person);
    const newEmail = `${unique("moved")}@example.org`;
    expect((await client.post("/api/me/email", { email: newEmail, password: person.password })).status).toBe(202);
    // Nothing is said to the old address until the change takes effect.
    expect(await outboxFor(ctx, person.email)).toEqual([]);
    const verify = await tokenFromNewestEmail(ctx, newEmail, "email_verification");
    expect((await ctx.anonymous().post("/api/auth/verify-email", { token: verify })).status).toBe(204);
    expect((await client.get<Me>("/api/me")).body.person.email).toBe(newEmail);

    const notices = await outboxFor(ctx, person.email);
    expect(notices.map((e) => e.template)).toEqual(["notification"]);
    expect(notices[0]?.text).toContain(newEmail);
    expect(notices[0]?.text).toContain("/undo-email-change?token=");
    const undo = await tokenFromNewestEmail(ctx, person.email, "notification");
    const change = await ctx.db.selectFrom("email_change").where("person_id", "=", person.id).selectAll().executeTakeFirstOrThrow();
    expect(change.undo_token_hash).toBe(hashToken(undo));
    expect(Math.abs(change.undo_expires_at.getTime() - Date.now() - 7 * DAY)).toBeLessThan(HOUR);

    expect((await ctx.anonymous().post("/api/auth/undo-email-change", { token: undo })).status).toBe(204);
    expect((await personRow(person.id)).email).toBe(person.email);
    expect(await sessionRows(ctx, person.id)).toEqual([]);
    expectProblem(await client.get("/api/me"), 401, "unauthenticated");
    expectProblem(await laptop.get("/api/me"), 401, "unauthenticated");
    // Single use.
    expectProblem(await ctx.anonymous().post("/api/auth/undo-email-change", { token: undo }), 410, "token_invalid");
    expect((await signInOverHttp(ctx.anonymous(), person.email, person.password)).status).toBe(200);
    expect((await signInOverHttp(ctx.anonymous(), newEmail, person.password)).status).toBe(401);
    const audit = await ctx.db
      .selectFrom("audit_event")
      .where("target_id", "=", person.id)
      .where("action", "=", "person.email_change_undone")
      .select("id")
      .execute();
    expect(audit.length).toBe(1);
  });

  it("an undo link older than 7 days, or unknown, does nothing", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const newEmail = `${unique("moved")}@example.org`;
    await client.post("/api/me/email", { email: newEmail, password: person.password });
    await ctx.anonymous().post("/api/auth/verify-email", { token: await tokenFromNewestEmail(ctx, newEmail, "email_verification") });
    const undo = await tokenFromNewestEmail(ctx, person.email, "notification");
    await ctx.db
      .updateTable("email_change")
      .set({ undo_expires_at: new Date(Date.now() - 1000) })
      .where("person_id", "=", person.id)
      .execute();
    const before = await snapshotCounts(ctx);
    expectProblem(await ctx.anonymous().post("/api/auth/undo-email-change", { token: undo }), 410, "token_invalid");
    expectProblem(await ctx.anonymous().post("/api/auth/undo-email-change", { token: "a".repeat(32) }), 410, "token_invalid");
    expect((await personRow(person.id)).email).toBe(newEmail);
    expect((await client.get("/api/me")).status).toBe(200);
    expect(await snapshotCounts(ctx)).toEqual(before);
  });

  it("sends no password reset to a new address within 24 hours of the change", async () => {
    const person = await createPerson(ctx);
    const client = await signInAs(ctx, person);
    const newEmail = `${unique("moved")}@example.org`;
    await client.post("/api/me/email", { email: newEmail, password: person.password });
    await ctx.anonymous().post("/api/auth/verify-email", { token: await tokenFromNewestEmail(ctx, newEmail, "email_verification") });

    const reset = async () => {
      expect((await ctx.anonymous().post("/api/auth/password-reset", { email: newEmail })).status).toBe(202);
      await processPasswordResetRequests(ctx.deps);
      return (await outboxFor(ctx, newEmail)).filter((e) => e.template === "password_reset").length;
    };
    expect(await reset()).toBe(0);
    await ctx.db
      .updateTable("email_change")
      .set({ created_at: new Date(Date.now() - 25 * HOUR) })
      .where("person_id", "=", person.id)
      .execute();
    expect(await reset()).toBe(1);
  });

  it("a recent re-authentication does not waive the proof", async () => {
    const person = await createPerson(ctx);
    const client: TestClient = await signInAs(ctx, person);
    expect((await client.post("/api/auth/reauthenticate", { password: person.password })).status).toBe(200);
    expectProblem(await client.post("/api/me/email", { email: `${unique("x")}@example.org` }), 400, "validation_failed");
    expectProblem(await client.post("/api/me/two-factor/recovery-codes", {}), 400, "validation_failed");
  });
});
