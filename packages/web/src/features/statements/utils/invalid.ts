import { ApiError } from "../../../lib/api-client.ts";
import type { Translate } from "../../../lib/i18n.tsx";

/**
 * A validation failure found before sending, shaped like the API's, so `useForm` shows it the
 * same way (summary, errors beside the fields, focus on the first) and slow networks are spared a round trip.
 */
export function invalid(t: Translate, errors: Record<string, string>): ApiError {
  return new ApiError({
    type: "about:blank",
    title: t("errors.validation_failed.title"),
    status: 400,
    code: "validation_failed",
    errors: Object.entries(errors).map(([path, message]) => ({ path, message })),
  });
}
