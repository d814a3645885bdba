import { type CreateCoalitionInput, CreatedCoalition, OperatorCoalition } from "@samakki/shared/operators";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../../lib/api-client.ts";

export const operatorCoalitionsQuery = queryOptions({
  queryKey: ["operator", "coalitions"],
  queryFn: () => api.get("/api/operator/coalitions", z.array(OperatorCoalition)),
});

export function createCoalition(input: z.input<typeof CreateCoalitionInput>) {
  return api.postFor("/api/operator/coalitions", input, CreatedCoalition);
}

const deletionPath = (coalitionId: string) => `/api/operator/coalitions/${encodeURIComponent(coalitionId)}/deletion`;

export function scheduleDeletion(coalitionId: string) {
  return api.postFor(deletionPath(coalitionId), {}, z.object({ dueAt: z.string() }));
}

export function cancelDeletion(coalitionId: string) {
  return api.delete(deletionPath(coalitionId));
}
