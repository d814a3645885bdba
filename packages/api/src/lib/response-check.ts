import type { RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";
import { problemResponse } from "./problem.ts";
import { requestLog } from "./request-log.ts";

export type ResponseIssue = { path: string; message: string };

type Schema = z.ZodType;
type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

const pathOf = (path: readonly PropertyKey[]) => (path.length === 0 ? "(body)" : path.map(String).join("."));

/**
 * The keys of `input` that `output` lost, at any depth. `output` is `input` parsed by the schema:
 * a `z.object` drops the keys it does not declare, so a key the body has and the parsed value lacks
 * is a key the schema does not know. Arrays are compared item by item.
 */
function lostKeys(input: unknown, output: unknown, path: PropertyKey[], issues: ResponseIssue[]): void {
  if (Array.isArray(input) && Array.isArray(output)) {
    const length = Math.min(input.length, output.length);
    for (let i = 0; i < length; i++) lostKeys(input[i], output[i], [...path, i], issues);
    return;
  }
  if (!isObject(input) || !isObject(output)) return;
  for (const key of Object.keys(input)) {
    if (Object.hasOwn(output, key)) lostKeys(input[key], output[key], [...path, key], issues);
    else issues.push({ path: pathOf([...path, key]), message: "unknown key (not in the response schema)" });
  }
}

/**
 * Checks a JSON body against a response schema with every object strict: the schema's own issues
 * (a missing field, a wrong type), and any key the schema does not declare.
 *
 * Why compare instead of rebuilding the schema with `z.strictObject`: rebuilding means walking every
 * kind of zod schema (unions, pipes, lazy, defaults, records…) and getting each one right. Parsing
 * with the declared schema as it is and comparing the result with the body needs no such walk: a
 * `z.object` strips unknown keys, so whatever the parse dropped is an extra key. A schema that keeps
 * unknown keys on purpose (`z.looseObject`, `z.record`) keeps them in its output, so they pass.
 */
export function checkResponseBody(schema: Schema, body: unknown): ResponseIssue[] {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message }));
  const issues: ResponseIssue[] = [];
  lostKeys(body, parsed.data, [], issues);
  return issues;
}

type Responses = RouteConfig["responses"];

/** The zod schema a route declares for this status and media type, `null` when it declares the status without that content. */
function declaredSchema(responses: Responses, status: number, mediaType: string): Schema | null | undefined {
  const declared = responses[status] ?? responses[String(status)];
  if (!declared || !("description" in declared)) return undefined;
  const content = declared.content?.[mediaType];
  return content && "schema" in content && content.schema instanceof z.ZodType ? content.schema : null;
}

/** Whether answers are checked against their schemas: in tests and development only. */
export function answersChecked(c: Context<AppEnv>): boolean {
  const env = c.get("deps")?.config.env;
  return env === "test" || env === "development";
}

/**
 * In tests and development, every JSON answer of a route is checked against the response schema the
 * route declares for its status (@hono/zod-openapi checks them at type level only), objects strict:
 * an extra column in a response fails loudly (a 500 and a log line naming the route, the status and
 * the issues) instead of leaking quietly. A JSON success answer with a status the route does not
 * declare (or declares without a JSON body) fails too; an error is checked only against a schema the
 * route declares for its status (the problem responses of `defineRoute`), not otherwise (a 429, a 500). Never in
 * production (answersChecked): parsing every answer twice costs CPU there.
 *
 * The check of one route's answer, run by its guard once the route has answered (route.ts).
 */
export function responseCheck(method: string, path: string, responses: Responses): (c: Context<AppEnv>) => Promise<void> {
  const route = `${method.toUpperCase()} ${path}`;
  return async (c) => {
    const env = c.get("deps")?.config.env;
    const res = c.res;
    const mediaType = res.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (mediaType !== "application/json" && mediaType !== "application/problem+json") return;
    const schema = declaredSchema(responses, res.status, mediaType);
    // An error the route declares without a body schema (a 410 described in words), or does not declare (a 429, a 500).
    if (!schema && res.status >= 300) return;
    let issues: ResponseIssue[];
    if (!schema) {
      issues = [{ path: "(body)", message: `status ${res.status} with ${mediaType} is not a declared response of this route` }];
    } else {
      let body: unknown;
      try {
        body = await res.clone().json();
      } catch {
        body = undefined;
      }
      issues = body === undefined ? [{ path: "(body)", message: "not JSON" }] : checkResponseBody(schema, body);
    }
    if (issues.length === 0) return;
    const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    requestLog(c)?.error({ route, status: res.status, issues }, "response does not match its schema");
    // The test logger is silent: without this line a test would only see a 500 and not why.
    if (env === "test") console.error(`response does not match its schema: ${route} (${res.status}): ${summary}`);
    // Replaced rather than thrown: onError would log a second, generic line.
    c.res = problemResponse(c, new AppError("internal", "response does not match its schema"));
  };
}
