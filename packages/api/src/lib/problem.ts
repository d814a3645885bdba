import { type Language, translate } from "@samakki/shared/i18n/index";
import type { ErrorCode, FieldError, Problem } from "@samakki/shared/problem";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isDatabaseBusy, isDatabaseUnavailable } from "../db/errors.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";
import { requestLog } from "./request-log.ts";

/**
 * The problem+json body in the reader's language. Field errors of validation are translated where
 * they are made; those attached to a domain error (e.g. `password_too_weak` on "password") carry
 * the translated detail of their code.
 */
export function problemBody(
  code: ErrorCode,
  status: number,
  lang: Language,
  requestId: string | undefined,
  errors?: FieldError[],
): Problem {
  return {
    type: `/api/docs#error-${code}`,
    title: translate(lang, `errors.${code}.title`),
    status,
    detail: translate(lang, `errors.${code}.detail`),
    code,
    ...(requestId ? { requestId } : {}),
    ...(errors && errors.length > 0
      ? {
          errors:
            code === "validation_failed"
              ? // Services name catalog keys ("validation.before_start"); zod messages arrive translated already.
                errors.map((e) => ({ path: e.path, message: e.message.startsWith("validation.") ? translate(lang, e.message) : e.message }))
              : errors.map((e) => ({ path: e.path, message: translate(lang, `errors.${code}.detail`) })),
        }
      : {}),
  };
}

export function problemResponse(c: Context<AppEnv>, error: AppError): Response {
  // A person's browser outside the API gets a page instead (AppDeps.errorPage).
  const page = c.get("deps")?.errorPage?.(c, error);
  if (page) return page;
  const body = problemBody(error.code, error.status, c.get("lang") ?? "en", c.get("requestId"), error.fieldErrors);
  const headers: Record<string, string> = { "content-type": "application/problem+json", ...error.headers };
  // Through the context, so headers set before the error (e.g. clearing a dead session cookie) are kept.
  return c.newResponse(JSON.stringify(body), error.status as ContentfulStatusCode, headers);
}

/** The one error handler: domain errors become problem+json; anything else is a logged, generic 500. */
export function onError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof AppError) {
    if (error.status >= 500) requestLog(c)?.error({ err: error }, "request failed");
    return problemResponse(c, error);
  }
  if (error instanceof HTTPException) {
    const code: ErrorCode =
      error.status === 413
        ? "payload_too_large"
        : error.status === 404
          ? "not_found"
          : error.status === 401
            ? "unauthenticated"
            : error.status === 403
              ? "forbidden"
              : "validation_failed";
    return problemResponse(c, new AppError(code, error.message));
  }
  // A malformed JSON body surfaces as a SyntaxError from the validator.
  if (error instanceof SyntaxError) {
    return problemResponse(
      c,
      new AppError("validation_failed", error.message, {
        fieldErrors: [{ path: "", message: translate(c.get("lang") ?? "en", "validation.invalid") }],
      }),
    );
  }
  if (isDatabaseUnavailable(error)) {
    requestLog(c)?.error({ err: error }, "database unavailable");
    return problemResponse(c, new AppError("service_unavailable", "database unavailable", { headers: { "retry-after": "5" } }));
  }
  if (isDatabaseBusy(error)) {
    requestLog(c)?.warn({ err: error }, "statement stopped by a timeout");
    return problemResponse(c, new AppError("database_busy", "statement or lock timeout", { headers: { "retry-after": "5" } }));
  }
  requestLog(c)?.error({ err: error }, "unhandled error");
  return problemResponse(c, new AppError("internal", "unhandled"));
}
