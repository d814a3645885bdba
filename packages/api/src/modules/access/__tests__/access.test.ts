import { Problem } from "@samakki/shared/problem";
import { Hono, type MiddlewareHandler } from "hono";
import { sql } from "kysely";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import {
  addMember,
  createCoalition,
  createOrganisation,
  createPerson,
  createWorld,
  makeCoordinator,
} from "../../../../test/factories/index.ts";
import type { AppEnv, CoalitionAccess } from "../../../lib/context.ts";
import { AppError } from "../../../lib/errors.ts";
import { pathId } from "../../../lib/params.ts";
import {
  allowedWithoutRequiredTwoFactor,
  type PolicyMiddleware,
  policies,
  policyOf,
  RECENT_AUTH_WINDOW_MS,
  requireRecentAuth,
  requireTwoFactorWhenDemanded,
} from "../../../lib/policy.ts";
import { createSession, sessionMiddleware } from "../../auth/sessions.service.ts";
import {
  coordinatesOrganisation,
  findCoalitionAccess,
  findOrganisationAccess,
  seesCoalition,
  VISIBLE_STATUSES,
  visibleCoalitionIds,
} from "../access.repository.ts";

/**
 * The access-control core on its own, without the routes: who sees which coalition and
 * organisation (access.repository) and what each policy answers to each kind of person. Fast, so
 * mutation testing (pnpm mutation) can run it for every mutant of policy.ts and access/.
 */

type World = Awaited<ReturnType<typeof createWorld>>;

/** What policies.coalitionMember() answers each kind of person of the world's coalition. */
const COALITION_MEMBER_STATUSES = {
  anonymous: 401,
  coordinator: 200,
  adminA: 200,
  memberA: 200,
  adminB: 200,
  observer: 200,
  suspended: 404,
  invited: 404,
  left: 404,
  outsider: 404,
  loner: 404,
};
type Person = { id: string } | null;

describe("access control core", () => {
  let ctx: TestContext;
  let w: World;
  /** An organisation invited to the coalition (not yet a member), with its admin; and one that left. */
  let invited: { org: { id: string }; admin: { id: string } };
  let left: { org: { id: string }; admin: { id: string } };
  /** A person with no organisation at all. */
  let loner: { id: string };
  let people: Record<string, Person>;

  beforeAll(async () => {
    ctx = await buildTestApp();
    w = await createWorld(ctx);
    const invitedOrg = await createOrganisation(ctx, w.coalition.id, { status: "invited" });
    const invitedAdmin = await createPerson(ctx);
    await addMember(ctx, invitedOrg.id, invitedAdmin.id, "admin");
    invited = { org: invitedOrg, admin: invitedAdmin };
    const leftOrg = await createOrganisation(ctx, w.coalition.id, { status: "left" });
    const leftAdmin = await createPerson(ctx);
    await addMember(ctx, leftOrg.id, leftAdmin.id, "admin");
    left = { org: leftOrg, admin: leftAdmin };
    loner = await createPerson(ctx);
    people = {
      anonymous: null,
      coordinator: w.people.coordinator,
      adminA: w.people.adminA,
      memberA: w.people.memberA,
      adminB: w.people.adminB,
      observer: w.people.observer,
      suspended: w.people.suspended,
      invited: invited.admin,
      left: left.admin,
      outsider: w.people.outsider,
      loner,
    };
  });

  /** A tiny app: the policy on one route, the person (and session) taken from test headers, errors as problem statuses. */
  function appWith(policy: PolicyMiddleware | MiddlewareHandler<AppEnv>, path: string, extra: Partial<AppEnv["Variables"]> = {}) {
    const app = new Hono<AppEnv>();
    app.onError((error, c) =>
      c.json({ code: error instanceof AppError ? error.code : "internal" }, error instanceof AppError ? (error.status as 400) : 500),
    );
    app.use("*", async (c, next) => {
      c.set("deps", { ...ctx.deps, ...(extra.deps ?? {}) });
      const id = c.req.header("x-person");
      c.set("person", id ? { id, email: "x@example.org", displayName: "X", language: "en", emailVerified: true } : null);
      c.set("session", extra.session ?? null);
      c.set("prefetchedAccess", extra.prefetchedAccess);
      await next();
    });
    app.get(path, policy, (c) => c.json({ coalition: (c.var as { coalition?: CoalitionAccess }).coalition ?? null }));
    return async (url: string, person: Person) => app.request(url, { headers: person ? { "x-person": person.id } : {} });
  }

  async function statuses(policy: PolicyMiddleware, path: string, url: string) {
    const call = appWith(policy, path);
    const out: Record<string, number> = {};
    for (const [name, person] of Object.entries(people)) out[name] = (await call(url, person)).status;
    return out;
  }

  it("coalitionMember: coordinators, active and observer members pass; others get 404, anonymous 401", async () => {
    expect(await statuses(policies.coalitionMember(), "/c/:coalitionId", `/c/${w.coalition.id}`)).toEqual(COALITION_MEMBER_STATUSES);
    // The other coalition: only its coordinator.
    const other = await statuses(policies.coalitionMember(), "/c/:coalitionId", `/c/${w.other.id}`);
    expect(Object.entries(other).filter(([, s]) => s === 200)).toEqual([["outsider", 200]]);
  });

  it("coordinator: only the coalition's coordinators; its members get 403, everyone else 404", async () => {
    expect(await statuses(policies.coordinator(), "/c/:coalitionId", `/c/${w.coalition.id}`)).toEqual({
      anonymous: 401,
      coordinator: 200,
      adminA: 403,
      memberA: 403,
      adminB: 403,
      observer: 403,
      suspended: 404,
      invited: 404,
      left: 404,
      outsider: 404,
      loner: 404,
    });
  });

  it("organisationMember: the organisation's people and the people who see a coalition it is in", async () => {
    expect(await statuses(policies.organisationMember(), "/o/:organisationId", `/o/${w.orgA.id}`)).toEqual({
      anonymous: 401,
      coordinator: 200,
      adminA: 200,
      memberA: 200,
      adminB: 200,
      observer: 200,
      suspended: 404,
      invited: 404,
      left: 404,
      outsider: 404,
      loner: 404,
    });
    // An invited organisation is visible to its own people only.
    const invitedOrg = await statuses(policies.organisationMember(), "/o/:organisationId", `/o/${invited.org.id}`);
    expect(Object.entries(invitedOrg).filter(([, s]) => s === 200)).toEqual([["invited", 200]]);
  });

  it("organisationAdmin: only the organisation's admins; those who see it get 403, everyone else 404", async () => {
    expect(await statuses(policies.organisationAdmin(), "/o/:organisationId", `/o/${w.orgA.id}`)).toEqual({
      anonymous: 401,
      coordinator: 403,
      adminA: 200,
      memberA: 403,
      adminB: 403,
      observer: 403,
      suspended: 404,
      invited: 404,
      left: 404,
      outsider: 404,
      loner: 404,
    });
  });

  it("reads the id from the named path parameter, answers 404 for a malformed id, and accepts upper case", async () => {
    const named = appWith(policies.coalitionMember("cid"), "/x/:cid");
    expect((await named(`/x/${w.coalition.id}`, w.people.memberA)).status).toBe(200);
    const call = appWith(policies.coalitionMember(), "/c/:coalitionId");
    for (const bad of [
      "nope",
      `${w.coalition.id}x`,
      `x${w.coalition.id}`,
      w.coalition.id.replaceAll("-", ""),
      "00000000-0000-0000-0000-000000000000",
    ])
      expect((await call(`/c/${bad}`, w.people.coordinator)).status, bad).toBe(404);
    const upper = await call(`/c/${w.coalition.id.toUpperCase()}`, w.people.memberA);
    expect(upper.status).toBe(200);
    expect(((await upper.json()) as { coalition: CoalitionAccess }).coalition.coalitionId).toBe(w.coalition.id);
    const org = appWith(policies.organisationAdmin("oid"), "/y/:oid");
    expect((await org(`/y/${w.orgA.id.toUpperCase()}`, w.people.adminA)).status).toBe(200);
    expect((await org(`/y/not-a-uuid`, w.people.adminA)).status).toBe(404);
    expect((await appWith(policies.organisationMember("oid"), "/y/:oid")(`/y/${w.orgA.id}`, w.people.memberA)).status).toBe(200);
    expect((await appWith(policies.coordinator("cid"), "/x/:cid")(`/x/${w.coalition.id}`, w.people.coordinator)).status).toBe(200);
  });

  it("the session's read of a coalition route brings the access the policy checks, in the same query, with the same answers", async () => {
    // The real session lookup in front of the policies, on the API's paths.
    const app = new Hono<AppEnv>();
    app.onError((error, c) =>
      c.json({ code: error instanceof AppError ? error.code : "internal" }, error instanceof AppError ? (error.status as 400) : 500),
    );
    app.use("*", async (c, next) => {
      c.set("deps", ctx.deps);
      await next();
    });
    app.use("*", sessionMiddleware);
    const echo = (c: { json: (body: unknown) => Response; var: object }) =>
      c.json({ coalition: (c.var as { coalition?: CoalitionAccess }).coalition ?? null });
    app.get("/api/coalitions/:coalitionId", policies.coalitionMember(), echo);
    app.get("/api/coalitions/:coalitionId/coordination", policies.coordinator(), echo);
    const cookies = new Map<string, string>();
    for (const [name, person] of Object.entries(people))
      if (person) cookies.set(name, `__Host-samakki_session=${(await createSession(ctx.db, ctx.config, person.id, "test")).token}`);
    /** Each person's status, the statements each request ran, and the access the route was given. */
    const table = async (path: string) => {
      const out: Record<string, { status: number; queries: number; access: CoalitionAccess | null }> = {};
      for (const [name, cookie] of cookies) {
        ctx.queries.statements = [];
        const res = await app.request(path, { headers: { cookie } });
        const queries = ctx.queries.statements.length;
        ctx.queries.statements = null;
        out[name] = {
          status: res.status,
          queries,
          access: res.status === 200 ? ((await res.json()) as { coalition: CoalitionAccess }).coalition : null,
        };
      }
      return out;
    };
    const statusOf = (t: Awaited<ReturnType<typeof table>>) => Object.fromEntries(Object.entries(t).map(([n, r]) => [n, r.status]));
    const queriesOf = (t: Awaited<ReturnType<typeof table>>) => new Set(Object.values(t).map((r) => r.queries));

    const member = await table(`/api/coalitions/${w.coalition.id}`);
    const { anonymous: _, ...signedIn } = COALITION_MEMBER_STATUSES;
    expect(statusOf(member)).toEqual(signedIn);
    // One query each: the session and the access together; the policy asked nothing more.
    expect(queriesOf(member)).toEqual(new Set([1]));
    for (const [name, row] of Object.entries(member)) {
      if (row.status !== 200) continue;
      const person = people[name];
      if (person) expect(row.access, name).toEqual(await findCoalitionAccess(ctx.db, person.id, w.coalition.id));
    }
    const coordination = await table(`/api/coalitions/${w.coalition.id}/coordination`);
    expect(Object.entries(statusOf(coordination)).filter(([, s]) => s === 200)).toEqual([["coordinator", 200]]);
    expect(statusOf(coordination).adminA).toBe(403);
    expect(statusOf(coordination).outsider).toBe(404);
    expect(queriesOf(coordination)).toEqual(new Set([1]));
    // Another coalition, upper case, a coalition that does not exist, a malformed id.
    const other = await table(`/api/coalitions/${w.other.id}`);
    expect(Object.entries(statusOf(other)).filter(([, s]) => s === 200)).toEqual([["outsider", 200]]);
    const upper = await table(`/api/coalitions/${w.coalition.id.toUpperCase()}`);
    expect(statusOf(upper)).toEqual(statusOf(member));
    expect(queriesOf(upper)).toEqual(new Set([1]));
    const missing = await table("/api/coalitions/00000000-0000-4000-8000-000000000000");
    expect(new Set(Object.values(statusOf(missing)))).toEqual(new Set([404]));
    expect(queriesOf(missing)).toEqual(new Set([1]));
    expect(new Set(Object.values(statusOf(await table("/api/coalitions/nope"))))).toEqual(new Set([404]));
  });

  it("the policy uses an access read with the session only for the same person and the same coalition", async () => {
    const granted: CoalitionAccess = { coalitionId: w.coalition.id, timeZone: "UTC", isCoordinator: true, organisationIds: [] };
    const path = "/c/:coalitionId";
    const url = `/c/${w.coalition.id}`;
    // For this person and this coalition, it is what the policy goes by (here, a coordinator's access for the loner)...
    const same = appWith(policies.coordinator(), path, {
      prefetchedAccess: { personId: loner.id, coalitionId: w.coalition.id, access: granted },
    });
    expect((await same(url, loner)).status).toBe(200);
    const none = appWith(policies.coalitionMember(), path, {
      prefetchedAccess: { personId: w.people.coordinator.id, coalitionId: w.coalition.id, access: undefined },
    });
    expect((await none(url, w.people.coordinator)).status).toBe(404);
    // ...and never for another person or another coalition: the policy asks the database.
    const otherPerson = appWith(policies.coordinator(), path, {
      prefetchedAccess: { personId: w.people.coordinator.id, coalitionId: w.coalition.id, access: granted },
    });
    expect((await otherPerson(url, loner)).status).toBe(404);
    expect((await otherPerson(url, w.people.adminA)).status).toBe(403);
    const otherCoalition = appWith(policies.coordinator(), path, {
      prefetchedAccess: { personId: loner.id, coalitionId: w.other.id, access: { ...granted, coalitionId: w.other.id } },
    });
    expect((await otherCoalition(url, loner)).status).toBe(404);
  });

  it("gives the route the person's access: coordinator flag and visible organisations", async () => {
    const call = appWith(policies.coalitionMember(), "/c/:coalitionId");
    const access = async (p: Person) =>
      ((await (await call(`/c/${w.coalition.id}`, p)).json()) as { coalition: CoalitionAccess }).coalition;
    expect(await access(w.people.memberA)).toEqual({
      coalitionId: w.coalition.id,
      timeZone: w.coalition.time_zone,
      isCoordinator: false,
      organisationIds: [w.orgA.id],
    });
    expect(await access(w.people.coordinator)).toEqual({
      coalitionId: w.coalition.id,
      timeZone: w.coalition.time_zone,
      isCoordinator: true,
      organisationIds: [w.secretariat.id],
    });
    const coordinatorOnly = appWith(policies.coordinator(), "/c/:coalitionId");
    const res = await coordinatorOnly(`/c/${w.coalition.id}`, w.people.coordinator);
    expect(((await res.json()) as { coalition: CoalitionAccess }).coalition.isCoordinator).toBe(true);
  });

  it("signedIn and public", async () => {
    const signed = appWith(policies.signedIn(), "/s");
    expect((await signed("/s", null)).status).toBe(401);
    expect((await signed("/s", loner)).status).toBe(200);
    const open = appWith(policies.public(), "/p");
    expect((await open("/p", null)).status).toBe(200);
  });

  it("devOnly: 404 without the dev mailbox, in production, or from another machine", async () => {
    const local = { host: "localhost" };
    const call = (extra: Partial<AppEnv["Variables"]>, headers: Record<string, string> = local) => {
      const app = new Hono<AppEnv>();
      app.onError((error, c) => c.json({}, error instanceof AppError ? (error.status as 404) : 500));
      app.use("*", async (c, next) => {
        c.set("deps", { ...ctx.deps, ...(extra.deps ?? {}) });
        await next();
      });
      app.get("/dev", policies.devOnly(), (c) => c.text("ok"));
      return app.request("http://localhost/dev", { headers }, { incoming: { socket: { remoteAddress: "127.0.0.1" } } });
    };
    expect((await call({ deps: { ...ctx.deps, devMailbox: true } })).status).toBe(200);
    expect((await call({ deps: { ...ctx.deps, devMailbox: false } })).status).toBe(404);
    expect((await call({ deps: { ...ctx.deps, devMailbox: true, config: { ...ctx.config, env: "production" } } })).status).toBe(404);
    expect((await call({ deps: { ...ctx.deps, devMailbox: true } }, { host: "localhost", "x-forwarded-for": "203.0.113.9" })).status).toBe(
      404,
    );
  });

  it("requireRecentAuth: within 15 minutes only", async () => {
    const session = (recentAuthAt: Date | null) => ({
      id: "s",
      publicId: "p",
      personId: loner.id,
      createdAt: new Date(),
      recentAuthAt,
      twoFactor: { required: false, satisfied: false },
    });
    const call = async (s: ReturnType<typeof session> | null) => {
      const res = await appWith(requireRecentAuth, "/r", s ? { session: s } : {})("/r", loner);
      return { status: res.status, body: await res.json() };
    };
    expect(await call(null)).toEqual({ status: 401, body: { code: "unauthenticated" } });
    expect(await call(session(null))).toEqual({ status: 403, body: { code: "reauthentication_required" } });
    expect((await call(session(new Date(Date.now() - RECENT_AUTH_WINDOW_MS - 1000)))).status).toBe(403);
    expect((await call(session(new Date(Date.now() - RECENT_AUTH_WINDOW_MS + 5000)))).status).toBe(200);
    expect(RECENT_AUTH_WINDOW_MS).toBe(15 * 60 * 1000);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("requireRecentAuth: exactly 15 minutes after the authentication still counts, one millisecond more does not", async () => {
    vi.useFakeTimers({ now: new Date("2030-01-01T12:00:00.000Z"), toFake: ["Date"] });
    const at = (ms: number) => ({
      id: "s",
      publicId: "p",
      personId: loner.id,
      createdAt: new Date(),
      recentAuthAt: new Date(Date.now() - ms),
      twoFactor: { required: false, satisfied: false },
    });
    const status = async (ms: number) => (await appWith(requireRecentAuth, "/r", { session: at(ms) })("/r", loner)).status;
    expect(await status(RECENT_AUTH_WINDOW_MS)).toBe(200);
    expect(await status(RECENT_AUTH_WINDOW_MS + 1)).toBe(403);
  });

  it("two-factor requirement: only account, sign-in and 2FA setup paths stay open to a person who must set it up", () => {
    for (const open of [
      "/api/auth/sign-out",
      "/api/me",
      "/api/me/two-factor/setup",
      "/api/me/passkeys",
      "/api/me/passkeys/x",
      "/api/me/sessions",
    ])
      expect(allowedWithoutRequiredTwoFactor(open), open).toBe(true);
    for (const closed of [
      "/api/coalitions/x",
      "/api/me/email",
      "/api/me/password",
      "/api/meeting",
      "/api/me/two-factorx",
      "/api/me/sessionsx",
      "/x/api/me",
      "/api/me/passkeysx/1",
      "/api/notifications",
    ])
      expect(allowedWithoutRequiredTwoFactor(closed), closed).toBe(false);
  });

  it("two-factor requirement: a coordinator or representative of a coalition that requires it is refused until they have a factor", async () => {
    const strict = await createCoalition(ctx);
    await ctx.db.updateTable("coalition").set({ require_two_factor: true }).where("id", "=", strict.id).execute();
    const coordinator = await createPerson(ctx);
    await makeCoordinator(ctx, strict.id, coordinator.id);
    const org = await createOrganisation(ctx, strict.id);
    const representative = await createPerson(ctx);
    await addMember(ctx, org.id, representative.id, "member", true);
    const member = await createPerson(ctx);
    await addMember(ctx, org.id, member.id, "member", false);
    const withTotp = await createPerson(ctx);
    await makeCoordinator(ctx, strict.id, withTotp.id);
    await ctx.db
      .updateTable("person")
      .set({ totp_key: "JBSWY3DPEHPK3PXP", totp_enabled_at: new Date() })
      .where("id", "=", withTotp.id)
      .execute();
    // Through the real session lookup, which reads the requirement with the session.
    const app = new Hono<AppEnv>();
    app.onError((error, c) => c.json({ code: error instanceof AppError ? error.code : "internal" }, 403));
    app.use("*", async (c, next) => {
      c.set("deps", ctx.deps);
      await next();
    });
    app.get("/t", sessionMiddleware, requireTwoFactorWhenDemanded, (c) => c.json({}));
    const answer = async (p: Person) => {
      const headers: Record<string, string> = {};
      if (p) headers.cookie = `__Host-samakki_session=${(await createSession(ctx.db, ctx.config, p.id, "test")).token}`;
      const res = await app.request("/t", { headers });
      return res.status === 200 ? 200 : `${res.status} ${Problem.pick({ code: true }).parse(await res.json()).code}`;
    };
    expect(await answer(coordinator)).toBe("403 two_factor_required");
    expect(await answer(representative)).toBe("403 two_factor_required");
    expect(await answer(member)).toBe(200);
    expect(await answer(withTotp)).toBe(200);
    expect(await answer(w.people.coordinator)).toBe(200);
    expect(await answer(null)).toBe(200);
  });

  it("policyOf names each policy, through a composed handler, and nothing else", () => {
    expect(policyOf(policies.public())).toBe("public");
    expect(policyOf(policies.signedIn())).toBe("signedIn");
    expect(policyOf(policies.coalitionMember())).toBe("coalitionMember");
    expect(policyOf(policies.coordinator())).toBe("coordinator");
    expect(policyOf(policies.organisationMember())).toBe("organisationMember");
    expect(policyOf(policies.organisationAdmin())).toBe("organisationAdmin");
    expect(policyOf(policies.devOnly())).toBe("devOnly");
    const composed = Object.assign(() => undefined, { __COMPOSED_HANDLER: policies.coordinator() });
    expect(policyOf(composed)).toBe("coordinator");
    const selfComposed: { (): void; __COMPOSED_HANDLER?: unknown } = () => undefined;
    selfComposed.__COMPOSED_HANDLER = selfComposed;
    expect(policyOf(selfComposed)).toBeUndefined();
    expect(policyOf("coordinator")).toBeUndefined();
  });

  it("access repository: coalition and organisation access, seesCoalition and visibleCoalitionIds agree", async () => {
    expect(VISIBLE_STATUSES).toEqual(["active", "observer"]);
    expect(await findCoalitionAccess(ctx.db, loner.id, "00000000-0000-4000-8000-000000000000")).toBeUndefined();
    for (const [name, person] of Object.entries(people)) {
      if (!person) continue;
      const access = await findCoalitionAccess(ctx.db, person.id, w.coalition.id);
      const sees = Boolean(access && (access.isCoordinator || access.organisationIds.length > 0));
      const row = await sql<{ sees: boolean }>`SELECT ${seesCoalition(person.id, w.coalition.id)} AS sees`.execute(ctx.db);
      expect(Boolean(row.rows[0]?.sees), name).toBe(sees);
      const visible = (await visibleCoalitionIds(ctx.db, person.id).execute()).map((r) => r.coalition_id);
      expect(visible.includes(w.coalition.id), name).toBe(sees);
      expect(sees, name).toBe(["coordinator", "adminA", "memberA", "adminB", "observer"].includes(name));
    }
    expect((await visibleCoalitionIds(ctx.db, w.people.outsider.id).execute()).map((r) => r.coalition_id)).toEqual([w.other.id]);
    expect(await findOrganisationAccess(ctx.db, w.people.adminA.id, w.orgA.id)).toEqual({
      visible: true,
      role: "admin",
      representative: true,
    });
    expect(await findOrganisationAccess(ctx.db, w.people.memberA.id, w.orgA.id)).toEqual({
      visible: true,
      role: "member",
      representative: false,
    });
    expect(await findOrganisationAccess(ctx.db, w.people.adminB.id, w.orgA.id)).toEqual({
      visible: true,
      role: null,
      representative: false,
    });
    expect(await findOrganisationAccess(ctx.db, w.people.outsider.id, w.orgA.id)).toEqual({
      visible: false,
      role: null,
      representative: false,
    });
    expect(await findOrganisationAccess(ctx.db, w.people.adminB.id, invited.org.id)).toEqual({
      visible: false,
      role: null,
      representative: false,
    });
    // A left organisation stays visible to the coalition's people (its history), unlike an invited one.
    expect((await findOrganisationAccess(ctx.db, w.people.adminB.id, left.org.id)).visible).toBe(true);
    expect(await coordinatesOrganisation(ctx.db, w.people.coordinator.id, w.orgA.id)).toBe(true);
    expect(await coordinatesOrganisation(ctx.db, w.people.coordinator.id, invited.org.id)).toBe(true);
    expect(await coordinatesOrganisation(ctx.db, w.people.outsider.id, w.orgA.id)).toBe(false);
    expect(await coordinatesOrganisation(ctx.db, w.people.adminA.id, w.orgA.id)).toBe(false);
  });

  it("pathId: lower-cases a uuid, refuses anything else (the route answers 404)", () => {
    expect(pathId.parse(w.orgA.id.toUpperCase())).toBe(w.orgA.id);
    for (const bad of ["", "x", `${w.orgA.id}0`, ` ${w.orgA.id}`, w.orgA.id.replaceAll("-", "_")])
      expect(pathId.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});
