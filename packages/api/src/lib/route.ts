import { createRoute, OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import { Problem } from "@samakki/shared/problem";
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { AppEnv } from "./context.ts";
import { notFound } from "./errors.ts";
import { allowedWithoutRequiredTwoFactor, type PolicyMiddleware, policyOf, requireTwoFactorWhenDemanded } from "./policy.ts";
import { responseCheck } from "./response-check.ts";
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

const problemResponses = {
  400: { description: "Invalid input", content: { "application/problem+json": { schema: Problem } } },
  401: { description: "Not signed in", content: { "application/problem+json": { schema: Problem } } },
  403: { description: "Not allowed", content: { "application/problem+json": { schema: Problem } } },
  404: { description: "Not found (or not visible to you)", content: { "application/problem+json": { schema: Problem } } },
  409: { description: "Conflict", content: { "application/problem+json": { schema: Problem } } },
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description = "OK") => ({
  description,
  content: { "application/json": { schema } },
});

export const noContent = { description: "Done" } as const;

/**
 * Declare a route with its policy: the policy middleware runs first, and the OpenAPI
 * document shows the security requirement and the policy name (`x-policy`).
 */
export function defineRoute<const R extends RouteConfig>(
  policy: PolicyMiddleware,
  config: R,
  extra: { recentAuth?: MiddlewareHandler<AppEnv> } = {},
): R {
  const name = policyOf(policy);
  // A coalition's 2FA requirement applies to every signed-in route but account and 2FA setup.
  const gated = name !== "public" && name !== "devOnly" && !allowedWithoutRequiredTwoFactor(config.path);
  const responses = { ...problemResponses, ...config.responses };
  // First, so that it sees the final answer: the handler's, or the problem of a refusal or an error.
  const checked = responseCheck(config.method, config.path, responses);
  const middleware = [checked, policy, ...(gated ? [requireTwoFactorWhenDemanded] : []), ...(extra.recentAuth ? [extra.recentAuth] : [])];
  return createRoute({
    ...config,
    middleware,
    security: name === "public" || name === "devOnly" ? [] : [{ session: [] }],
    "x-policy": name,
    ...(extra.recentAuth ? { "x-recent-auth": true } : {}),
    responses,
  }) as unknown as R;
}
