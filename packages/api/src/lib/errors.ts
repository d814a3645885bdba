import type { ErrorCode, FieldError } from "@samakki/shared/problem";

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  // A signed-in person's own password, asked again (a step-up): no email in the question.
  wrong_password: 401,
  forbidden: 403,
  csrf_rejected: 403,
  reauthentication_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  slug_taken: 409,
  organisation_name_taken: 409,
  already_member: 409,
  setup_already_done: 409,
  invitation_email_mismatch: 409,
  last_admin: 409,
  last_coordinator: 409,
  precondition_failed: 422,
  // An If-Match that no longer matches: someone else's edit came first (lib/if-match.ts).
  edit_conflict: 412,
  // An Idempotency-Key sent again with another request, or while its first request is still answered (modules/idempotency).
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  vote_not_closed: 409,
  invitation_invalid: 410,
  token_invalid: 410,
  password_too_weak: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  two_factor_code_invalid: 401,
  two_factor_already_enabled: 409,
  two_factor_not_enabled: 409,
  two_factor_setup_required: 409,
  two_factor_required: 403,
  passkey_invalid: 400,
  service_unavailable: 503,
  database_busy: 503,
  internal: 500,
};

/** A domain error: a stable code (translated into a problem+json body) and an internal message for logs. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fieldErrors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message?: string, options: { fieldErrors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(message ?? code);
    this.name = "AppError";
    this.code = code;
    this.status = STATUS[code];
    this.fieldErrors = options.fieldErrors;
    this.headers = options.headers;
  }
}

export const notFound = (what = "resource") => new AppError("not_found", `${what} not found`);
export const conflict = (why = "conflict") => new AppError("conflict", why);
export const preconditionFailed = (why: string) => new AppError("precondition_failed", why);
export const validationFailed = (fieldErrors: FieldError[]) => new AppError("validation_failed", "invalid input", { fieldErrors });
