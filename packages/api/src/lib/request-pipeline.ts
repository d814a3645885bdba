import type { Context, MiddlewareHandler, Next } from "hono";
import { loadSession } from "../modules/auth/sessions.service.ts";
import { observeRequest } from "../modules/metrics/metrics.middleware.ts";
import { metricsEnabled } from "../modules/metrics/metrics.service.ts";
import { readBody } from "./body.ts";
import { compressAnswer } from "./compression.ts";
import type { AppDeps, AppEnv } from "./context.ts";
import { guardInput } from "./input-guard.ts";
import { onError } from "./problem.ts";
import { closeRequest, openRequest } from "./request-log.ts";
import { refuseCrossSite } from "./security.ts";

/**
 * Everything the app does around its routes, in one middleware, in this order:
 *
 *   1. the request id, the dependencies and the language (request-log.ts);
 *   2. under /api: the body, read whole or held to its limit (body.ts), the CSRF check
 *      (security.ts), the session (sessions.service.ts), and the signed-in person's language (no
 *      other path reads a session: the web app's files, the public pages and the dev mailbox
 *      answer the same to everyone);
 *   3. the input guard: no NUL, lone surrogate or bad escape in the path, query or JSON body
 *      (input-guard.ts);
 *   4. the route;
 *   5. compression (compression.ts);
 *   6. the security headers, the request id header and the log line (request-log.ts);
 *   7. the request's duration, when metrics are on (metrics.middleware.ts).
 *
 * A step of 1 to 3 refuses a request by throwing, and the answer is then the app's problem
 * response (problem.ts), as a route's own error is: steps 5 to 7 run on every answer.
 *
 * Why one middleware and not one each: every Hono middleware is an async function plus a step of
 * Hono's compose, and each allocated about 1 KB per request (V8's sampling heap profiler, including
 * what the young generation collects: `GET /healthz` took 21 KB against a minimal Hono app's 8 KB
 * with one middleware per step). The steps that have nothing to wait for return no promise, so a
 * GET without a session cookie awaits nothing but the route. docs/architecture.md §5.
 */
export function requestPipeline(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const metrics = metricsEnabled(deps.config);
  return async (c, next) => {
    const started = performance.now();
    openRequest(c, deps);
    try {
      await admit(c, next);
    } catch (error) {
      answerError(c, error);
    }
    try {
      const compressing = compressAnswer(c);
      if (compressing) await compressing;
    } catch (error) {
      answerError(c, error);
    }
    closeRequest(c, deps, started);
    if (metrics) observeRequest(c, started);
  };
}

/** True for `prefix` itself and the paths under it, as Hono's `prefix/*` matches. */
const under = (path: string, prefix: string) => path.startsWith(prefix) && (path.length === prefix.length || path[prefix.length] === "/");

/** Steps 2 to 4. */
function admit(c: Context<AppEnv>, next: Next): Promise<void> {
  const path = c.req.path;
  // The body first: the limit holds whatever follows, and a body cut off answers before anything runs.
  if (under(path, "/api")) return readBody(c, () => admitApi(c, next)) as Promise<void>;
  return guardThenRoute(c, next);
}

async function admitApi(c: Context<AppEnv>, next: Next): Promise<void> {
  refuseCrossSite(c);
  await loadSession(c);
  const person = c.get("person");
  // The signed-in person's language wins over the browser's, unless the client says which it shows.
  if (person && !c.req.header("x-samakki-language")) c.set("lang", person.language);
  await guardThenRoute(c, next);
}

function guardThenRoute(c: Context<AppEnv>, next: Next): Promise<void> {
  const guarding = guardInput(c);
  return guarding ? guarding.then(next) : next();
}

/**
 * The problem answer for an error a step threw, as Hono's compose gives it for a middleware's:
 * the app's error handler, assigned to `c.res` (which keeps headers already set, such as a cookie
 * being cleared). Anything thrown that is not an Error goes on up, as there.
 */
function answerError(c: Context<AppEnv>, error: unknown): void {
  if (!(error instanceof Error)) throw error;
  c.error = error;
  c.res = onError(error, c);
}
