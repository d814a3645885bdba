import type { SessionInfo } from "@samakki/shared/auth";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { createPerson, signInAs } from "../../../../test/factories/index.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { hashToken } from "../../../lib/crypto.ts";
import { DAY, MINUTE } from "../../../lib/time.ts";
import { cookieToken, expectProblem, sessionRows, signInOverHttp } from "./helpers.ts";

describe("sessions", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  async function signedIn() {
    const person = await createPerson(ctx);
    const client = ctx.anonymous();
    expect((await signInOverHttp(client, person.email, person.password)).status).toBe(200);
    const id = hashToken(cookieToken(client));
    return { person, client, id };
  }

  const moveSession = (id: string, values: { expires_at?: Date; absolute_expires_at?: Date; last_used_at?: Date; recent_auth_at?: Date }) =>
    ctx.db.updateTable("session").set(values).where("id", "=", id).execute();
  const findSession = (id: string) => ctx.db.selectFrom("session").where("id", "=", id).selectAll().executeTakeFirst();

  it("answers 401 problem+json without a session, and with a forged or overlong token", async () => {
    expectProblem(await ctx.anonymous().get("/api/me"), 401, "unauthenticated");
    const forged = await ctx.anonymous().get("/api/me", { cookie: `__Host-samakki_session=${"a".repeat(32)}` });
    expectProblem(forged, 401, "unauthenticated");
    // A rejected cookie is cleared, and the web app's hint with it.
    const cleared = forged.headers.getSetCookie();
    expect(cleared).toHaveLength(2);
    expect(cleared[0]).toMatch(/^__Host-samakki_session=;.*Max-Age=0/i);
    expect(cleared[1]).toMatch(/^__Host-samakki_signed_in=;.*Max-Age=0/i);
    expectProblem(await ctx.anonymous().get("/api/me", { cookie: `__Host-samakki_session=${"a".repeat(5000)}` }), 401, "unauthenticated");
    // Without the __Host- prefix the cookie is ignored (it could have been set by a subdomain).
    const { client } = await signedIn();
    expectProblem(await ctx.anonymous().get("/api/me", { cookie: `samakki_session=${cookieToken(client)}` }), 401, "unauthenticated");
  });

  it("ends a session after its idle timeout and deletes the row", async () => {
    const { client, id } = await signedIn();
    await moveSession(id, { expires_at: new Date(Date.now() - 1000) });
    expectProblem(await client.get("/api/me"), 401, "unauthenticated");
    expect(await findSession(id)).toBeUndefined();
  });

  it("ends a session at its absolute lifetime even while in use, and deletes the row", async () => {
    const { client, id } = await signedIn();
    await moveSession(id, {
      absolute_expires_at: new Date(Date.now() - 1000),
      expires_at: new Date(Date.now() + DAY),
      last_used_at: new Date(),
    });
    expectProblem(await client.get("/api/me"), 401, "unauthenticated");
    expect(await findSession(id)).toBeUndefined();
  });

  it("extends the idle timeout when the session is used, never past the absolute lifetime", async () => {
    const { client, id } = await signedIn();
    const absolute = (await findSession(id))?.absolute_expires_at;
    expect(absolute && absolute.getTime() - Date.now()).toBeGreaterThan(29 * DAY);
    await moveSession(id, { last_used_at: new Date(Date.now() - 10 * MINUTE), expires_at: new Date(Date.now() + MINUTE) });
    expect((await client.get("/api/me")).status).toBe(200);
    const touched = await findSession(id);
    expect(touched?.expires_at.getTime()).toBeGreaterThan(Date.now() + 7 * DAY - MINUTE);
    expect(touched?.last_used_at.getTime()).toBeGreaterThan(Date.now() - MINUTE);
    expect(touched?.absolute_expires_at.getTime()).toBe(absolute?.getTime());

    // Near the absolute end, the idle extension stops at it.
    const end = new Date(Date.now() + DAY);
    await moveSession(id, { last_used_at: new Date(Date.now() - 10 * MINUTE), absolute_expires_at: end });
    expect((await client.get("/api/me")).status).toBe(200);
    expect((await findSession(id))?.expires_at.getTime()).toBe(end.getTime());
  });

  it("sign-out deletes the session on the server and clears the cookie", async () => {
    const { client, id } = await signedIn();
    const token = cookieToken(client);
    const res = await client.post("/api/auth/sign-out");
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().map((c) => /^([^=]+)=;.*Max-Age=0/i.exec(c)?.[1])).toEqual([
      "__Host-samakki_session",
      "__Host-samakki_signed_in",
    ]);
    expect(await findSession(id)).toBeUndefined();
    // Replaying the old token (e.g. a copied cookie) no longer works.
    expectProblem(await ctx.anonymous().get("/api/me", { cookie: `__Host-samakki_session=${token}` }), 401, "unauthenticated");
    expectProblem(await ctx.anonymous().post("/api/auth/sign-out"), 401, "unauthenticated");
  });

  it("lists the person's own sessions only, marking the current one", async () => {
    const { person, client } = await signedIn();
    const phone = ctx.anonymous();
    await signInOverHttp(phone, person.email, person.password, {
      "user-agent": "Mozilla/5.0 (Android 15; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0",
    });
    await signedIn(); // someone else
    const res = await client.get<SessionInfo[]>("/api/me/sessions");
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(2);
    expect(res.body.filter((s) => s.current).length).toBe(1);
    expect(res.body.map((s) => s.device).sort()).toEqual(["Chrome · Linux", "Firefox · Android"]);
    const publicIds = (await sessionRows(ctx, person.id)).map((r) => r.public_id).sort();
    expect(res.body.map((s) => s.id).sort()).toEqual(publicIds);
    // Nothing in the list is the token or its hash.
    expect(res.text).not.toContain(cookieToken(client));
    expect(res.text).not.toContain(hashToken(cookieToken(client)));
    expectProblem(await ctx.anonymous().get("/api/me/sessions"), 401, "unauthenticated");
  });

  it("ends one chosen session (e.g. a seized phone); another person's session answers 404 and survives", async () => {
    const { person, client } = await signedIn();
    const phone = ctx.anonymous();
    await signInOverHttp(phone, person.email, person.password);
    const other = await signedIn();
    const list = await client.get<SessionInfo[]>("/api/me/sessions");
    const phoneSession = list.body.find((s) => !s.current);
    expect(phoneSession).toBeDefined();
    const otherPublicId = (await sessionRows(ctx, other.person.id))[0]?.public_id ?? "";

    const before = await snapshotCounts(ctx);
    expectProblem(await client.delete(`/api/me/sessions/${otherPublicId}`), 404, "not_found");
    expectProblem(await client.delete("/api/me/sessions/not-a-uuid"), 404, "not_found");
    expectProblem(await client.delete("/api/me/sessions/00000000-0000-4000-8000-000000000000"), 404, "not_found");
    expectProblem(await ctx.anonymous().delete(`/api/me/sessions/${otherPublicId}`), 401, "unauthenticated");
    expect(await snapshotCounts(ctx)).toEqual(before);
    expect((await other.client.get("/api/me")).status).toBe(200);

    expect((await client.delete(`/api/me/sessions/${phoneSession?.id}`)).status).toBe(204);
    expectProblem(await phone.get("/api/me"), 401, "unauthenticated");
    expect((await client.get("/api/me")).status).toBe(200);
  });

  it("ending the current session from the list signs this device out", async () => {
    const { client, id } = await signedIn();
    const current = (await client.get<SessionInfo[]>("/api/me/sessions")).body.find((s) => s.current);
    const res = await client.delete(`/api/me/sessions/${current?.id}`);
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/Max-Age=0/i);
    expect(await findSession(id)).toBeUndefined();
  });

  it("revoke-others ends every other session of the person and keeps this one and other people's", async () => {
    const { person, client, id } = await signedIn();
    const laptop = ctx.anonymous();
    const phone = ctx.anonymous();
    await signInOverHttp(laptop, person.email, person.password);
    await signInOverHttp(phone, person.email, person.password);
    const other = await signedIn();
    expect((await client.post("/api/me/sessions/revoke-others")).status).toBe(204);
    expectProblem(await laptop.get("/api/me"), 401, "unauthenticated");
    expectProblem(await phone.get("/api/me"), 401, "unauthenticated");
    expect((await client.get("/api/me")).status).toBe(200);
    expect((await sessionRows(ctx, person.id)).map((r) => r.id)).toEqual([id]);
    expect((await other.client.get("/api/me")).status).toBe(200);
    expectProblem(await ctx.anonymous().post("/api/me/sessions/revoke-others"), 401, "unauthenticated");
  });

  it("disabling a person ends all their sessions at the next request", async () => {
    const person = await createPerson(ctx);
    const a = await signInAs(ctx, person);
    const b = await signInAs(ctx, person);
    await ctx.db.updateTable("person").set({ disabled_at: new Date() }).where("id", "=", person.id).execute();
    expectProblem(await a.get("/api/me"), 401, "unauthenticated");
    expectProblem(await b.post("/api/auth/sign-out"), 401, "unauthenticated");
    expect(await sessionRows(ctx, person.id)).toEqual([]);
  });
});
