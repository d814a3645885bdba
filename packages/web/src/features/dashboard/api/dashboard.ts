import { Dashboard } from "@samakki/shared/dashboard";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";

/** The day's work in one request (GET /api/coalitions/:id/dashboard). */
export const dashboardQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "dashboard"],
    queryFn: () => api.get(`/api/coalitions/${encodeURIComponent(coalitionId)}/dashboard`, Dashboard),
  });
