import { Me } from "@samakki/shared/auth";
import { Problem } from "@samakki/shared/problem";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, ORIGIN, type TestClient, type TestContext } from "../../../../test/app.ts";
import { createWorld, DEFAULT_PASSWORD, signInAs } from "../../../../test/factories/index.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { ballotsOf, cast, draftAndOpen } from "../../statements/__tests__/helpers.ts";
import { SoftAuthenticator } from "./authenticator.ts";

type World = Awaited<ReturnType<typeof createWorld>>;
type Options = { challenge: string; rp: { id?: string } };

let ctx: TestContext;
beforeAll(async () => {
  ctx = await buildTestApp();
});

function expectProblem(res: { status: number; body: unknown }, status: number, code: string) {
  expect({ status: res.status, code: Problem.parse(res.body).code }).toEqual({ status, code });
}

const requireTwoFactor = (coalitionId: string, value = true) =>
  ctx.db.updateTable("coalition").set({ require_two_factor: value }).where("id", "=", coalitionId).execute();

const enableTotp = (personId: string) =>
  ctx.db
    .updateTable("person")
    .set({ totp_key: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", totp_enabled_at: new Date() })
    .where("id", "=", personId)
    .execute();

/** Register a passkey over HTTP, as a gated person setting up their second factor would. */
async function addPasskey(client: TestClient) {
  const options = await client.post<Options>("/api/me/passkeys/registration-options");
  expect(options.status).toBe(200);
  const res = await client.post("/api/me/passkeys", {
    name: "Phone",
    response: new SoftAuthenticator().register(options.body, ORIGIN),
    password: DEFAULT_PASSWORD,
  });
  expect(res.status, res.text).toBe(201);
}

describe("a coalition that requires two-factor authentication", () => {
  it("sends a coordinator without a second factor to set one up: coordinator actions refuse, setup and /me work", async () => {
    const w = await createWorld(ctx);
    await requireTwoFactor(w.coalition.id);
    const client = w.clients.coordinator;
    const before = await snapshotCounts(ctx);
    expectProblem(await client.get(`/api/coalitions/${w.coalition.id}`), 403, "two_factor_required");
    expectProblem(await client.patch(`/api/coalitions/${w.coalition.id}`, { name: "Renamed coalition" }), 403, "two_factor_required");
    expectProblem(
      await client.post(`/api/coalitions/${w.coalition.id}/members`, { name: "New org", email: "new@example.org" }),
      403,
      "two_factor_required",
    );
    expectProblem(await client.get(`/api/organisations/${w.secretariat.id}`), 403, "two_factor_required");
    expect(await snapshotCounts(ctx)).toEqual(before);

    const me = await client.get("/api/me");
    expect(me.status).toBe(200);
    // /api/me carries the requirement (the web app's gate reads it there), as its own endpoint answers it.
    expect(me.json(Me).twoFactorRequirement).toEqual({ required: true, satisfied: false });
    expect((await client.get("/api/me/two-factor/requirement")).body).toEqual({ required: true, satisfied: false });
    // Signing in answers it too: the app's gate knows at once.
    const signedIn = await ctx.anonymous().post("/api/auth/sign-in", { email: w.people.coordinator.email, password: DEFAULT_PASSWORD });
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(signedIn.json(Me).twoFactorRequirement).toEqual({ required: true, satisfied: false });
    expect((await client.get("/api/me/sessions")).status).toBe(200);
    expect((await client.post("/api/me/two-factor/setup")).status).toBe(200);
    expect((await client.get("/api/me/passkeys")).status).toBe(200);
  });

  it("lets them through once they have TOTP", async () => {
    const w = await createWorld(ctx);
    await requireTwoFactor(w.coalition.id);
    expectProblem(await w.clients.coordinator.get(`/api/coalitions/${w.coalition.id}`), 403, "two_factor_required");
    await enableTotp(w.people.coordinator.id);
    expect((await w.clients.coordinator.get(`/api/coalitions/${w.coalition.id}`)).status).toBe(200);
    expect((await w.clients.coordinator.get("/api/me/two-factor/requirement")).body).toEqual({ required: true, satisfied: true });
    expect((await w.clients.coordinator.get("/api/me")).json(Me).twoFactorRequirement).toEqual({ required: true, satisfied: true });
  });

  it("lets them through once they have a passkey (registered while gated)", async () => {
    const w = await createWorld(ctx);
    await requireTwoFactor(w.coalition.id);
    const res = await w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}`, { description: "changed" });
    expectProblem(res, 403, "two_factor_required");
    await addPasskey(w.clients.coordinator);
    expect((await w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}`, { description: "changed" })).status).toBe(200);
  });

  it("refuses a representative's ballot without a second factor and accepts it with one", async () => {
    const w = await createWorld(ctx);
    const { url, voteId } = await draftAndOpen(w);
    await requireTwoFactor(w.coalition.id);
    expectProblem(await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" }), 403, "two_factor_required");
    expect(await ballotsOf(ctx, voteId)).toHaveLength(0);
    await addPasskey(w.clients.adminA);
    expect((await cast(w.clients.adminA, url, { organisationId: w.orgA.id, choice: "endorse" })).status).toBe(201);
    expect(await ballotsOf(ctx, voteId)).toHaveLength(1);
  });

  it("does not affect members who neither coordinate nor represent, nor people of coalitions without the setting", async () => {
    const w = await createWorld(ctx);
    // Only the other coalition requires it: this coalition's coordinator and representatives are unaffected.
    await requireTwoFactor(w.other.id);
    expect((await w.clients.coordinator.get(`/api/coalitions/${w.coalition.id}`)).status).toBe(200);
    expect((await w.clients.adminA.get(`/api/coalitions/${w.coalition.id}`)).status).toBe(200);
    expectProblem(await w.clients.outsider.get(`/api/coalitions/${w.other.id}`), 403, "two_factor_required");
    // This coalition requires it: a plain member is unaffected, a representative is gated.
    await requireTwoFactor(w.other.id, false);
    await requireTwoFactor(w.coalition.id);
    expect((await w.clients.memberA.get(`/api/coalitions/${w.coalition.id}`)).status).toBe(200);
    expect((await w.clients.memberA.get("/api/me/two-factor/requirement")).body).toEqual({ required: false, satisfied: false });
    expect((await w.clients.memberA.get("/api/me")).json(Me).twoFactorRequirement).toEqual({ required: false, satisfied: false });
    expect((await w.clients.adminA.get("/api/me")).json(Me).twoFactorRequirement).toEqual({ required: true, satisfied: false });
    expectProblem(await w.clients.adminA.get(`/api/coalitions/${w.coalition.id}`), 403, "two_factor_required");
    expect((await w.clients.outsider.get(`/api/coalitions/${w.other.id}`)).status).toBe(200);
    // A suspended organisation's representative is not covered (they cannot act in the coalition anyway).
    expect((await w.clients.suspended.get("/api/me/two-factor/requirement")).body).toMatchObject({ required: false });
  });
});

describe("the coalition setting", () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld(ctx);
  });

  it("coordinators turn it on and off; the change is audited and shown with the coalition", async () => {
    await enableTotp(w.people.coordinator.id);
    const on = await w.clients.coordinator.patch<{ requireTwoFactor: boolean }>(`/api/coalitions/${w.coalition.id}`, {
      requireTwoFactor: true,
    });
    expect(on.status).toBe(200);
    expect(on.body.requireTwoFactor).toBe(true);
    const row = await ctx.db
      .selectFrom("coalition")
      .where("id", "=", w.coalition.id)
      .select("require_two_factor")
      .executeTakeFirstOrThrow();
    expect(row.require_two_factor).toBe(true);
    const audit = await ctx.db
      .selectFrom("audit_event")
      .where("coalition_id", "=", w.coalition.id)
      .where("action", "=", "coalition.update")
      .select(["before", "after", "actor_id"])
      .execute();
    expect(audit.at(-1)).toMatchObject({
      actor_id: w.people.coordinator.id,
      before: { requireTwoFactor: false },
      after: { requireTwoFactor: true },
    });
    expect((await w.clients.memberA.get<{ requireTwoFactor: boolean }>(`/api/coalitions/${w.coalition.id}`)).body.requireTwoFactor).toBe(
      true,
    );
    const off = await w.clients.coordinator.patch<{ requireTwoFactor: boolean }>(`/api/coalitions/${w.coalition.id}`, {
      requireTwoFactor: false,
    });
    expect(off.body.requireTwoFactor).toBe(false);
  });

  it("refuses others: members 403, another coalition 404, anonymous 401, and nothing changes", async () => {
    const before = await snapshotCounts(ctx);
    const body = { requireTwoFactor: true };
    expectProblem(await w.clients.adminA.patch(`/api/coalitions/${w.coalition.id}`, body), 403, "forbidden");
    expectProblem(await w.clients.memberA.patch(`/api/coalitions/${w.coalition.id}`, body), 403, "forbidden");
    expectProblem(await w.clients.outsider.patch(`/api/coalitions/${w.coalition.id}`, body), 404, "not_found");
    expectProblem(await w.clients.anonymous.patch(`/api/coalitions/${w.coalition.id}`, body), 401, "unauthenticated");
    expectProblem(
      await w.clients.coordinator.patch(`/api/coalitions/${w.coalition.id}`, { requireTwoFactor: "yes" }),
      400,
      "validation_failed",
    );
    const row = await ctx.db
      .selectFrom("coalition")
      .where("id", "=", w.coalition.id)
      .select("require_two_factor")
      .executeTakeFirstOrThrow();
    expect(row.require_two_factor).toBe(false);
    expect(await snapshotCounts(ctx)).toEqual(before);
  });

  it("the gate answers after the policy: a gated person still gets 404 for another coalition", async () => {
    const other = await createWorld(ctx);
    await requireTwoFactor(other.coalition.id);
    const gated: TestClient = await signInAs(ctx, other.people.coordinator);
    expectProblem(await gated.get(`/api/coalitions/${w.coalition.id}`), 404, "not_found");
  });
});
