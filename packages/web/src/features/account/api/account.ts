import { queryOptions } from "@tanstack/react-query";
import { meQuery } from "../../../lib/session.ts";

/**
 * Whether the person must set up a second factor (a coalition requires it), as /api/me answers it
 * (`twoFactorRequirement`): read by the two-factor gate on the first screen, without a request of
 * its own. Invalidating it asks /api/me again.
 */
export const twoFactorRequirementQuery = queryOptions({
  ...meQuery,
  select: (me) => me?.twoFactorRequirement ?? null,
});
