import type { Context, MiddlewareHandler } from "hono";
import { findCoalitionAccess, findOrganisationAccess } from "../modules/access/access.repository.ts";
import { isOperator } from "../modules/operators/operators.repository.ts";
import type { AppEnv } from "./context.ts";
import { AppError, notFound } from "./errors.ts";
import { pathId } from "./params.ts";
import { isDirectLocalRequest } from "./request-meta.ts";
import { MINUTE } from "./time.ts";

/**
 * Every route declares exactly one policy (docs/security.md §9). The policy
 * middlewares carry a tag so a test can walk the app's routes and find any route without one.
 */
const POLICY = Symbol("policy");
type PolicyName =
  | "public"
  | "signedIn"
  | "coalitionMember"
  | "coordinator"
  | "organisationMember"
  | "organisationAdmin"
  | "operator"
  | "devOnly";

/**
 * What a policy, or another rule of a route, does with a request before the route runs: it throws
 * (a 401, 403 or 404 AppError) to refuse it, and may set what the route reads (the coalition).
 * Undefined when it lets every request through (`public`). defineRoute (route.ts) runs a route's
 * checks one after the other in a single middleware; each is also a middleware of its own, for a
 * route declared without defineRoute (static.routes.ts, tests).
 */
export type Check = (c: Context<AppEnv>) => void | Promise<void>;
const CHECK = Symbol("check");

type Checked = MiddlewareHandler<AppEnv> & { [CHECK]: Check | undefined };
type Tagged = Checked & { [POLICY]: PolicyName };
export type PolicyMiddleware = Tagged;
export type RuleMiddleware = Checked;

/** The check as a middleware: the check, then the route. */
function checked(check: Check | undefined): Checked {
  const middleware: MiddlewareHandler<AppEnv> = check
    ? async (c, next) => {
        await check(c);
        await next();
      }
    : (_c, next) => next();
  return Object.assign(middleware, { [CHECK]: check });
}

function tag(name: PolicyName, check: Check | undefined): Tagged {
  return Object.assign(checked(check), { [POLICY]: name });
}

/** The check a policy or rule middleware of this file runs; undefined for one that lets everything through. */
export function checkOf(middleware: Checked): Check | undefined {
  return middleware[CHECK];
}

/** Names `handler` with a policy, for the walk of policy-coverage.test.ts and the OpenAPI document. */
export function withPolicy<H extends MiddlewareHandler<AppEnv>>(name: PolicyName, handler: H): H & { [POLICY]: PolicyName } {
  return Object.assign(handler, { [POLICY]: name });
}

/**
 * The policy a route handler carries. Hono wraps the handlers of a sub-app that has its own
 * error handler when mounting it with `app.route()`, keeping the original under "__COMPOSED_HANDLER".
 */
export function policyOf(handler: unknown): PolicyName | undefined {
  if (typeof handler !== "function") return undefined;
  const tagged = (handler as Partial<Tagged>)[POLICY];
  if (tagged) return tagged;
  const inner: unknown = (handler as { __COMPOSED_HANDLER?: unknown }).__COMPOSED_HANDLER;
  return inner && inner !== handler ? policyOf(inner) : undefined;
}

function requirePerson(c: Parameters<MiddlewareHandler<AppEnv>>[0]) {
  const person = c.get("person");
  if (!person) throw new AppError("unauthenticated");
  return person;
}

/**
 * The person's access to the coalition, as the session's read fetched it for this very person and
 * coalition (sessions.service.ts), else from the database.
 */
async function coalitionAccess(c: Parameters<MiddlewareHandler<AppEnv>>[0], personId: string, coalitionId: string) {
  const prefetched = c.get("prefetchedAccess");
  if (prefetched && prefetched.personId === personId && prefetched.coalitionId === coalitionId) return prefetched.access;
  return findCoalitionAccess(c.get("deps").db, personId, coalitionId);
}

/** A malformed id is indistinguishable from a missing resource. */
function idFromPath(c: Parameters<MiddlewareHandler<AppEnv>>[0], name: string): string {
  const parsed = pathId.safeParse(c.req.param(name));
  if (!parsed.success) throw notFound(name);
  return parsed.data;
}

export const policies = {
  public: () => tag("public", undefined),

  signedIn: () =>
    tag("signedIn", (c) => {
      requirePerson(c);
    }),

  /** A person who coordinates the coalition or belongs to one of its active or observer organisations. Others get 404. */
  coalitionMember: (param = "coalitionId") =>
    tag("coalitionMember", async (c) => {
      const person = requirePerson(c);
      const access = await coalitionAccess(c, person.id, idFromPath(c, param));
      if (!access || (!access.isCoordinator && access.organisationIds.length === 0)) throw notFound("coalition");
      c.set("coalition", access);
    }),

  /** Coordinators only; members of the coalition get 403, everyone else 404. */
  coordinator: (param = "coalitionId") =>
    tag("coordinator", async (c) => {
      const person = requirePerson(c);
      const access = await coalitionAccess(c, person.id, idFromPath(c, param));
      if (!access || (!access.isCoordinator && access.organisationIds.length === 0)) throw notFound("coalition");
      if (!access.isCoordinator) throw new AppError("forbidden", "coordinators only");
      c.set("coalition", access);
    }),

  /** Anyone who can see the organisation: its people, and people of coalitions it belongs to. */
  organisationMember: (param = "organisationId") =>
    tag("organisationMember", async (c) => {
      const person = requirePerson(c);
      const access = await findOrganisationAccess(c.get("deps").db, person.id, idFromPath(c, param));
      if (!access.visible) throw notFound("organisation");
    }),

  /** The organisation's admins; others who can see it get 403, everyone else 404. */
  organisationAdmin: (param = "organisationId") =>
    tag("organisationAdmin", async (c) => {
      const person = requirePerson(c);
      const access = await findOrganisationAccess(c.get("deps").db, person.id, idFromPath(c, param));
      if (!access.visible) throw notFound("organisation");
      if (access.role !== "admin") throw new AppError("forbidden", "organisation admins only");
    }),

  /**
   * Instance operators (`instance_operator`, granted from the command line): they create coalitions
   * and schedule their deletion, and see coalitions from outside only (names, counts, status).
   * Signed-in people who are not operators get 403. Routes with a {coalitionId} look it up in the service (404).
   */
  operator: () =>
    tag("operator", async (c) => {
      const person = requirePerson(c);
      if (!(await isOperator(c.get("deps").db, person.id))) throw new AppError("forbidden", "instance operators only");
    }),

  /**
   * Exists only with the dev mailbox, outside production, and for direct requests from this
   * machine (no forwarding header, a local Host): the mailbox holds sign-in and invitation links,
   * so a server reachable from the network, through a proxy or by DNS rebinding must not show
   * it. Otherwise 404, as if it did not exist.
   */
  devOnly: () =>
    tag("devOnly", (c) => {
      const { config, devMailbox } = c.get("deps");
      if (!devMailbox || config.env === "production" || !isDirectLocalRequest(c)) throw notFound("route");
    }),
};

export const RECENT_AUTH_WINDOW_MS = 15 * MINUTE;

/** Sensitive actions need the password re-entered within the last 15 minutes (docs/security.md §5). */
export const requireRecentAuth = checked((c) => {
  const session = c.get("session");
  if (!session) throw new AppError("unauthenticated");
  if (!session.recentAuthAt || Date.now() - session.recentAuthAt.getTime() > RECENT_AUTH_WINDOW_MS) {
    throw new AppError("reauthentication_required");
  }
});

/**
 * Paths a person who must set up two-factor authentication can still use: their account and
 * 2FA setup (TOTP, recovery codes, passkeys), sessions, sign-in/out and /me. Everything else
 * answers 403 `two_factor_required` until they have a second factor (docs/security.md §4).
 */
const TWO_FACTOR_SETUP_PATHS = /^\/api\/(auth\/|me$|me\/(two-factor|passkeys|sessions)(\/|$))/;

export function allowedWithoutRequiredTwoFactor(path: string): boolean {
  return TWO_FACTOR_SETUP_PATHS.test(path);
}

/**
 * Coordinators and representatives in a coalition that requires two-factor authentication
 * (coalition.require_two_factor) are refused until they have TOTP or a passkey. Added by
 * defineRoute after the policy of every signed-in route outside the setup paths.
 */
export const requireTwoFactorWhenDemanded = checked((c) => {
  // Read with the session, in the same query (sessions.repository.ts): no query of its own.
  const twoFactor = c.get("session")?.twoFactor;
  if (twoFactor?.required && !twoFactor.satisfied) throw new AppError("two_factor_required");
});
