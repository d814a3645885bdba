import { CoalitionMember } from "@samakki/shared/coalitions";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../../lib/api-client.ts";

/** Same key and shape as the members page, so both share one cached answer. */
export const memberSummaryQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "members"],
    queryFn: () => api.get(`/api/coalitions/${encodeURIComponent(coalitionId)}/members`, z.array(CoalitionMember)),
  });
