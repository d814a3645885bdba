import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, ORIGIN, type TestContext } from "../../../../test/app.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { hashToken } from "../../../lib/crypto.ts";
import { cookieToken, expectProblem, outboxFor, tokenFromNewestEmail } from "../../auth/__tests__/helpers.ts";

const input = {
  coalitionName: "Cambodian Civil Society Alliance",
  timeZone: "Asia/Phnom_Penh",
  organisationName: "Licadho",
  displayName: "Chan Dara",
  email: "chan.dara@example.org",
  password: "another long and unusual passphrase",
};

describe("first-run setup: refusals, then the session and email it creates", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("refuses a common password, a short one, unknown time zones and CSRF, changing nothing", async () => {
    const before = await snapshotCounts(ctx);
    expectProblem(await ctx.anonymous().post("/api/setup", { ...input, password: "password1234" }), 400, "password_too_weak");
    expectProblem(await ctx.anonymous().post("/api/setup", { ...input, password: "elevenchars" }), 400, "validation_failed");
    expectProblem(await ctx.anonymous().post("/api/setup", { ...input, timeZone: "Mars/Olympus" }), 400, "validation_failed");
    expectProblem(await ctx.anonymous().post("/api/setup", { ...input, language: "fr" }), 400, "validation_failed");
    expectProblem(await ctx.anonymous().request("POST", "/api/setup", input, { origin: "https://evil.example" }), 403, "csrf_rejected");
    const plain = await ctx.app.request("/api/setup", {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "text/plain" },
      body: JSON.stringify(input),
    });
    expect(plain.status).toBe(415);
    expect(await snapshotCounts(ctx)).toEqual(before);
    expect((await ctx.anonymous().get("/api/setup")).body).toEqual({ needed: true });
  });

  it("signs the coordinator in with a secure session cookie and sends a verification link", async () => {
    const client = ctx.anonymous();
    const res = await client.post<{ coalitionId: string }>("/api/setup", input);
    expect(res.status).toBe(201);
    const attributes = (res.headers.get("set-cookie") ?? "").split(";").map((a) => a.trim().toLowerCase());
    expect(attributes[0]?.startsWith("__host-samakki_session=")).toBe(true);
    expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
    const session = await ctx.db
      .selectFrom("session")
      .where("id", "=", hashToken(cookieToken(client)))
      .selectAll()
      .executeTakeFirst();
    expect(session).toBeDefined();

    const me = await client.get<{ person: { emailVerified: boolean; language: string } }>("/api/me");
    expect(me.body.person).toMatchObject({ emailVerified: false, language: "en" });
    expect((await outboxFor(ctx, input.email)).map((e) => e.template)).toEqual(["email_verification"]);
    const token = await tokenFromNewestEmail(ctx, input.email, "email_verification");
    expect((await ctx.anonymous().post("/api/auth/verify-email", { token })).status).toBe(204);
    expect((await client.get<{ person: { emailVerified: boolean } }>("/api/me")).body.person.emailVerified).toBe(true);

    const audit = await ctx.db.selectFrom("audit_event").where("action", "=", "coalition.setup").select("coalition_id").execute();
    expect(audit).toEqual([{ coalition_id: res.body.coalitionId }]);
  });
});

describe("first-run setup under a race", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp();
  });

  it("creates exactly one coalition when several setups arrive at once", async () => {
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        ctx.anonymous().post("/api/setup", { ...input, coalitionName: `Alliance ${i}`, email: `racer${i}@example.org` }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.json(Problem).code).toBe("setup_already_done");
    const counts = await snapshotCounts(ctx);
    expect({ coalition: counts.coalition, person: counts.person, coordinator: counts.coordinator, session: counts.session }).toEqual({
      coalition: 1,
      person: 1,
      coordinator: 1,
      session: 1,
    });
  });
});
