/**
 * Plain values the shared schemas are built from, with no zod: the web app's first screen reads
 * them without loading the schemas (packages/web/src/lib/first-screen-schemas.ts validates its
 * answers with zod/mini), since a bundler ships a module it imports whole.
 */

/** Stable, program-readable error codes (problem.ts). Each has a title and detail in the catalogs under `errors.<code>`. */
export const ERROR_CODES = [
  "validation_failed",
  "unauthenticated",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "precondition_failed",
  "edit_conflict",
  "idempotency_key_reused",
  "idempotency_in_progress",
  "vote_not_closed",
  "rate_limited",
  "reauthentication_required",
  "invalid_credentials",
  "wrong_password",
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
  "already_member",
  "password_too_weak",
  "payload_too_large",
  "two_factor_code_invalid",
  "two_factor_already_enabled",
  "two_factor_not_enabled",
  "two_factor_setup_required",
  "two_factor_required",
  "passkey_invalid",
  "service_unavailable",
  "database_busy",
  "internal",
] as const;

export const NOTIFY_EMAIL = ["immediate", "daily", "off"] as const;
export const ORG_ROLES = ["admin", "member"] as const;
/** The second factors an account can answer a sign-in challenge with (TOTP includes its recovery codes). */
export const SECOND_FACTOR_METHODS = ["totp", "passkey"] as const;
/** The time zone of a coalition that has not chosen one, and of dates shown outside any coalition. */
export const DEFAULT_TIME_ZONE = "Asia/Phnom_Penh";

/** A task's statuses and priorities (tasks.ts); the dashboard's zod/mini schemas read them too. */
export const TASK_STATUSES = ["todo", "in_progress", "blocked", "done", "cancelled"] as const;
export const TASK_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
