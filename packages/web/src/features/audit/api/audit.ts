import { AuditPage } from "@samakki/shared/audit";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api, withQuery } from "../../../lib/api-client.ts";

export type AuditFilters = { action: string; actorId: string };

export const auditQuery = (coalitionId: string, filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: ["coalition", coalitionId, "audit", filters],
    queryFn: ({ pageParam }) =>
      api.get(
        withQuery(`/api/coalitions/${encodeURIComponent(coalitionId)}/audit`, {
          action: filters.action,
          actorId: filters.actorId,
          cursor: pageParam,
          limit: 50,
        }),
        AuditPage,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** Every action the API records (one list, in packages/shared): the filter offers all of them. */
export { AUDIT_ACTIONS } from "@samakki/shared/audit";
/** People who may appear as actors: everyone of the member organisations (the members feature's cached list). */
export { peopleQuery } from "../../coalition-members/api/members.ts";

const DeadEmails = z.object({
  count: z.number().int(),
  items: z.array(
    z.object({
      id: z.string(),
      to: z.string(),
      template: z.string(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

/** Emails the outbox gave up on after its retries: coordinators must know who did not get what. */
export const deadEmailsQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "outbox", "dead"],
    queryFn: () => api.get(`/api/coalitions/${encodeURIComponent(coalitionId)}/outbox/dead`, DeadEmails),
  });
