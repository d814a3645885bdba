import { z } from "zod";
import { ERROR_CODES } from "./constants.ts";

export { ERROR_CODES };

/** Stable, program-readable error codes. Each has a title and detail in the catalogs under `errors.<code>`. */
export const ErrorCode = /* @__PURE__ */ z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldError = /* @__PURE__ */ z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldError>;

/** RFC 9457 problem details, as every API error is sent. */
export const Problem = /* @__PURE__ */ z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: ErrorCode,
  requestId: z.string().optional(),
  errors: z.array(FieldError).optional(),
});
export type Problem = z.infer<typeof Problem>;
