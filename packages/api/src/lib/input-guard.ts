import { translate } from "@samakki/shared/i18n/index";
import type { FieldError } from "@samakki/shared/problem";
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";

/*
 * No input causes a 5xx (docs/security.md §14). PostgreSQL refuses "\u0000" in text, and a
 * lone surrogate (a JSON "\ud800" escape) cannot be encoded as UTF-8 nor passed to
 * encodeURIComponent. Rather than trusting every schema and hand-written route to refuse them,
 * this middleware refuses them once, for every route, before anything reads the input:
 * - in the path: a NUL is a 400 field error on "path"; a malformed percent-encoding (including
 *   an encoded surrogate, which is not valid UTF-8) is a path that does not exist (404);
 * - in the query string: NUL, surrogates or malformed percent-encoding are a 400 on "query.<name>";
 * - in a JSON body: every string and key is checked, the field error names its path; a body that
 *   is not JSON at all is a 400 too, on routes with no body as on the others.
 */

const MAX_FIELD_ERRORS = 20;

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one (code units, no `u` flag). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when the text holds a NUL or an unpaired surrogate. */
export function hasForbiddenCharacters(text: string): boolean {
  return text.includes("\u0000") || LONE_SURROGATE.test(text);
}

class Malformed extends Error {}

/** decodeURIComponent, throwing Malformed on a bad escape or bytes that are not UTF-8. */
function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new Malformed(part);
  }
}

/** The path and query exactly as received (still percent-encoded), from the request URL. */
function splitUrl(url: string): { path: string; query: string } {
  const start = url.indexOf("/", url.indexOf(":") + 3);
  const hash = url.indexOf("#", start);
  const rest = start === -1 ? "/" : url.slice(start, hash === -1 ? undefined : hash);
  const q = rest.indexOf("?");
  return q === -1 ? { path: rest, query: "" } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

function pathProblem(path: string): "malformed" | "forbidden" | undefined {
  for (const segment of path.split("/")) {
    let decoded: string;
    try {
      decoded = decode(segment);
    } catch {
      return "malformed";
    }
    if (hasForbiddenCharacters(decoded)) return "forbidden";
  }
  return undefined;
}

function queryProblems(query: string): string[] {
  const paths: string[] = [];
  for (const pair of query.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    let key: string | undefined;
    try {
      key = decode(rawKey.replace(/\+/g, " "));
      if (hasForbiddenCharacters(key)) key = undefined;
    } catch {
      key = undefined;
    }
    let bad = key === undefined;
    if (!bad) {
      try {
        bad = hasForbiddenCharacters(decode(rawValue.replace(/\+/g, " ")));
      } catch {
        bad = true;
      }
    }
    if (bad) paths.push(key === undefined ? "query" : `query.${key}`);
  }
  return [...new Set(paths)];
}

/**
 * The paths ("a.b.0.c", "" for the top level) of the strings holding forbidden characters in a
 * parsed JSON value. Iterative, so a deeply nested body cannot overflow the stack. A bad key is
 * reported on its parent: echoing it back would return the very characters refused.
 */
function jsonProblems(value: unknown): string[] {
  const found = new Set<string>();
  const stack: Array<[unknown, string]> = [[value, ""]];
  while (stack.length > 0 && found.size < MAX_FIELD_ERRORS) {
    const [current, path] = stack.pop() as [unknown, string];
    if (typeof current === "string") {
      if (hasForbiddenCharacters(current)) found.add(path);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], path ? `${path}.${i}` : String(i)]);
    } else if (current !== null && typeof current === "object") {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        if (hasForbiddenCharacters(key)) found.add(path);
        else stack.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return [...found];
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || type.endsWith("+json");
}

/** NUL, lone surrogates and malformed escapes in the path (404 or a field error) and in the query. */
function checkUrl(url: string, problems: string[]): void {
  const { path, query } = splitUrl(url);
  const inPath = pathProblem(path);
  if (inPath === "malformed") throw new AppError("not_found", "malformed percent-encoding in the path");
  if (inPath === "forbidden") problems.push("path");
  if (query) problems.push(...queryProblems(query));
}

function refuse(c: Context<AppEnv>, problems: readonly string[]): never {
  const message = translate(c.get("lang"), "validation.invalid_characters");
  const fieldErrors: FieldError[] = problems.slice(0, MAX_FIELD_ERRORS).map((p) => ({ path: p, message }));
  throw new AppError("validation_failed", "forbidden characters in the input", { fieldErrors });
}

/**
 * Refuses the request (throws) when its path, query or JSON body holds what no route may receive;
 * after the CSRF check and the body limit, before any route reads its input (request-pipeline.ts).
 * Undefined when there is no body to look at: most requests are checked without a promise.
 */
export function guardInput(c: Context<AppEnv>): Promise<void> | undefined {
  const url = c.req.url;
  const problems: string[] = [];
  // A request's URL is always a parsed one (WHATWG URL: @hono/node-server builds it with `new URL`
  // whenever it holds anything but plain ASCII, as the Request constructor does), so a NUL or a
  // surrogate can only come percent-encoded: without a "%", there is nothing to decode or refuse.
  if (url.includes("%")) checkUrl(url, problems);
  if (problems.length > 0) refuse(c, problems);
  // Only under /api, where the body limit applies (no other route takes a body).
  if (c.req.path.startsWith("/api/") && BODY_METHODS.has(c.req.method) && isJson(c.req.header("content-type"))) return guardJsonBody(c);
  return undefined;
}

/**
 * A JSON body that does not parse is refused here, for every route, as the route's validator would
 * refuse it (problem.ts): a route that takes no body (a vote's cancel, sign-out, watch) has no
 * validator, and would otherwise act on a request whose body is broken. An empty body is no body.
 */
async function guardJsonBody(c: Context<AppEnv>): Promise<void> {
  // Cached by Hono: the route's validator reads the same text afterwards.
  const text = await c.req.text();
  if (text.trim() === "") return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError("validation_failed", "malformed JSON body", {
      fieldErrors: [{ path: "", message: translate(c.get("lang"), "validation.invalid") }],
    });
  }
  const problems = jsonProblems(parsed);
  if (problems.length > 0) refuse(c, problems);
}
