import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import { TwoFactorRequirement } from "../../../lib/signed-in-schemas.ts";

/**
 * Whether the person must set up a second factor (a coalition requires it): read by the two-factor
 * gate on the first screen, so it is all this module holds; the account page's requests are in settings.ts.
 */
export const twoFactorRequirementQuery = queryOptions({
  queryKey: ["me", "two-factor-requirement"],
  queryFn: () => api.get("/api/me/two-factor/requirement", TwoFactorRequirement),
  staleTime: 60_000,
});
