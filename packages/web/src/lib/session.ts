import type { Me } from "@samakki/shared/auth";
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { api, isApiError } from "./api-client.ts";
// zod/mini: every page asks these first, the sign-in page too (first-screen-schemas.ts).
import { Me as MeSchema, SetupStatus } from "./first-screen-schemas.ts";
import { maybeSignedIn } from "./signed-in-hint.ts";

/** The signed-in person, or null when signed out (a 401 is an answer here, not an error). */
export const meQuery = queryOptions({
  queryKey: ["me"],
  queryFn: async (): Promise<Me | null> => {
    if (!maybeSignedIn()) return null;
    try {
      return await api.get("/api/me", MeSchema);
    } catch (error) {
      if (isApiError(error) && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

export const setupQuery = queryOptions({
  queryKey: ["setup"],
  queryFn: () => api.get("/api/setup", SetupStatus),
  staleTime: Number.POSITIVE_INFINITY,
});

export function useMe() {
  return useQuery(meQuery);
}

export function useSetupStatus() {
  return useQuery(setupQuery);
}

/** Signs out and forgets everything cached for the person. */
export function useSignOut() {
  const client = useQueryClient();
  return useCallback(async () => {
    try {
      await api.post("/api/auth/sign-out");
    } catch (error) {
      if (!isApiError(error) || error.status !== 401) throw error;
    }
    client.clear();
    client.setQueryData(meQuery.queryKey, null);
  }, [client]);
}
