import { z } from "zod";

/** Stable, program-readable error codes. Each has a title and detail in the catalogs under `errors.<code>`. */
export const ErrorCode = z.enum([
  "validation_failed",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  "precondition_failed",
  "vote_not_closed",
  "rate_limited",
  "reauthentication_required",
  "invalid_credentials",
  "unsupported_media_type",
  "csrf_rejected",
  "setup_already_done",
  "invitation_invalid",
  "invitation_email_mismatch",
  "token_invalid",
  "last_admin",
  "last_coordinator",
  "email_taken",
  "slug_taken",
  "organisation_name_taken",
  "password_too_weak",
  "payload_too_large",
  "two_factor_code_invalid",
  "two_factor_already_enabled",
  "two_factor_not_enabled",
  "two_factor_setup_required",
  "two_factor_required",
  "passkey_invalid",
  "internal",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldError = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldError>;

/** RFC 9457 problem details, as every API error is sent. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: ErrorCode,
  requestId: z.string().optional(),
  errors: z.array(FieldError).optional(),
});
export type Problem = z.infer<typeof Problem>;
