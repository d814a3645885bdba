import { CoalitionDeletion, type CreateCoalitionInput, CreatedCoalition, OperatorCoalition } from "@samakki/shared/operators";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../../lib/api-client.ts";

/** Whether the signed-in person is an instance operator (the menu shows the operator page only then). */
export const isOperatorQuery = queryOptions({
  queryKey: ["me", "operator"],
  queryFn: () => api.get("/api/me/operator", z.object({ operator: z.boolean() })),
  staleTime: 5 * 60_000,
});

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

/** A coalition's scheduled deletion, as its members see it. */
export const coalitionDeletionQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "deletion"],
    queryFn: () => api.get(`/api/coalitions/${encodeURIComponent(coalitionId)}/deletion`, CoalitionDeletion),
    staleTime: 5 * 60_000,
  });
