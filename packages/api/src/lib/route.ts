import { createRoute, OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import { Problem } from "@samakki/shared/problem";
import type { Context, MiddlewareHandler, Next } from "hono";
import type { z } from "zod";
import { IdempotencyKeyHeader, idempotent } from "../modules/idempotency/idempotency.ts";
import type { AppEnv } from "./context.ts";
import { notFound } from "./errors.ts";
import {
  allowedWithoutRequiredTwoFactor,
  type Check,
  checkOf,
  type PolicyMiddleware,
  policyOf,
  type RuleMiddleware,
  requireTwoFactorWhenDemanded,
  withPolicy,
} from "./policy.ts";
import { onError } from "./problem.ts";
import { answersChecked, responseCheck } from "./response-check.ts";
import { validationError } from "./validation.ts";

/** A router whose validation failures become translated problem+json field errors. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        // A malformed id in the path is indistinguishable from a missing resource (404, not 400).
        if (result.target === "param") throw notFound("path parameter");
        throw validationError(result.error, c.get("lang"), result.target === "json" ? "" : result.target);
      }
    },
  });
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * The methods a route of `app` takes at `path` (middleware aside), with HEAD where GET is (Hono
 * answers it): for a 405 and its Allow header when a request's method has no route there (app.ts).
 * Asked only then, so it costs nothing on a request that has its route.
 */
export function allowedMethods(app: ReturnType<typeof createRouter>, path: string): string[] {
  const allowed: string[] = METHODS.filter((method) =>
    app.router.match(method, path)[0].some(([[, route]]) => route.method === method && route.path !== "*" && route.path !== "/*"),
  );
  return allowed.includes("GET") ? ["GET", "HEAD", ...allowed.filter((m) => m !== "GET")] : allowed;
}

/** An error answer of the document: a problem+json body (its `code` says which). */
export const errorResponse = (description: string) =>
  ({ description, content: { "application/problem+json": { schema: Problem } } }) as const;

/** The errors any operation may answer, each a problem+json body with its `code` (lib/errors.ts). */
const problemResponses = {
  400: errorResponse("Invalid input (`validation_failed`, with the fields in `errors`)"),
  401: errorResponse("Not signed in"),
  403: errorResponse("Not allowed"),
  404: errorResponse("Not found (or not visible to you)"),
  409: errorResponse("Conflict"),
  500: errorResponse("Unexpected error (`internal`; quote the answer's `requestId`)"),
  503: errorResponse(
    "The database is busy or out of reach (`database_busy`, `service_unavailable`): try again after the `Retry-After` header's seconds. A write answered so may have been applied",
  ),
} as const;

/** And those of an operation that changes something (POST, PUT, PATCH, DELETE). */
const writeProblemResponses = {
  413: errorResponse("The body is over the size limit (`payload_too_large`)"),
  415: errorResponse("A body not sent as `application/json` (`unsupported_media_type`); a request without a body may send no type"),
  422: errorResponse("What it names is in a state that does not allow this (`precondition_failed`): a closed vote, a published statement"),
  429: errorResponse(
    "Too many requests of this kind (`rate_limited`: invitations, email changes, sign-ins…): try again after the `Retry-After` header's seconds",
  ),
} as const;

const WRITES = new Set(["post", "put", "patch", "delete"]);

/**
 * An operation's id, from its method and path, for the clients generated from the document:
 * `get /api/coalitions/{coalitionId}/tasks/{taskId}` is `getCoalitionsByCoalitionTasksByTask`.
 */
export function operationIdOf(method: string, path: string): string {
  const cap = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  const words = path
    .split("/")
    .filter((segment) => segment !== "" && segment !== "api")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) return `By${cap((param[1] ?? "").replace(/Id$/, ""))}`;
      return segment
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map(cap)
        .join("");
    });
  return `${method.toLowerCase()}${words.join("")}`;
}

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description = "OK") => ({
  description,
  content: { "application/json": { schema } },
});

export const noContent = { description: "Done" } as const;

/**
 * Declare a route with its policy: the policy runs first, then the 2FA requirement of a signed-in
 * route and a recent sign-in where asked, and the OpenAPI document shows the security requirement
 * and the policy name (`x-policy`).
 */
export function defineRoute<const R extends RouteConfig>(
  policy: PolicyMiddleware,
  config: R,
  extra: { recentAuth?: RuleMiddleware; idempotent?: boolean } = {},
): R {
  const name = policyOf(policy);
  if (!name) throw new Error(`route ${config.method} ${config.path}: its policy has no name`);
  // A coalition's 2FA requirement applies to every signed-in route but account and 2FA setup.
  const gated = name !== "public" && name !== "devOnly" && !allowedWithoutRequiredTwoFactor(config.path);
  const responses = { ...problemResponses, ...(WRITES.has(config.method) ? writeProblemResponses : {}), ...config.responses };
  const checks = [
    checkOf(policy),
    gated ? checkOf(requireTwoFactorWhenDemanded) : undefined,
    extra.recentAuth ? checkOf(extra.recentAuth) : undefined,
  ];
  const guard = routeGuard(
    checks.filter((check): check is Check => check !== undefined),
    responseCheck(config.method, config.path, responses),
    extra.idempotent === true,
  );
  if (extra.idempotent && (name === "public" || config.request?.headers))
    throw new Error(`route ${config.method} ${config.path}: an idempotent route is signed-in and declares no headers of its own`);
  return createRoute({
    operationId: operationIdOf(config.method, config.path),
    ...config,
    ...(extra.idempotent ? { request: { ...config.request, headers: IdempotencyKeyHeader } } : {}),
    middleware: [withPolicy(name, guard)],
    security: name === "public" || name === "devOnly" ? [] : [{ session: [] }],
    "x-policy": name,
    ...(extra.recentAuth ? { "x-recent-auth": true } : {}),
    responses,
  }) as unknown as R;
}

/**
 * A route's rules in one middleware: its checks in order (each throws to refuse), the route, then,
 * in tests and development, the check of its answer (response-check.ts), which sees the final
 * answer: the route's, or the problem of a refusal or an error. One middleware rather than one per
 * rule: each Hono middleware allocates about 1 KB per request (request-pipeline.ts). A public
 * route in production awaits nothing here.
 */
function routeGuard(
  checks: readonly Check[],
  checkAnswer: (c: Context<AppEnv>) => Promise<void>,
  once: boolean,
): MiddlewareHandler<AppEnv> {
  return (c, next) => (checks.length === 0 && !answersChecked(c) ? next() : guarded(c, next, checks, checkAnswer, once));
}

async function guarded(
  c: Context<AppEnv>,
  next: Next,
  checks: readonly Check[],
  checkAnswer: (c: Context<AppEnv>) => Promise<void>,
  once: boolean,
) {
  const checking = answersChecked(c);
  try {
    for (const check of checks) await check(c);
    // An idempotent route runs once per Idempotency-Key (modules/idempotency).
    await (once ? idempotent(c, next) : next());
  } catch (error) {
    // A refusal is answered here, as Hono's compose answers a middleware's error, so that its problem is checked too.
    if (!checking || !(error instanceof Error)) throw error;
    c.error = error;
    c.res = onError(error, c);
  }
  if (checking) await checkAnswer(c);
}
