import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";
import { Dashboard } from "../../../lib/signed-in-schemas.ts";

/** The day's work in one request (GET /api/coalitions/:id/dashboard), checked with the zod/mini mirror of the shared schema. */
export const dashboardQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "dashboard"],
    queryFn: () => api.get(`/api/coalitions/${encodeURIComponent(coalitionId)}/dashboard`, Dashboard),
  });
