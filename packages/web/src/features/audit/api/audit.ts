import { AuditEvent } from "@samakki/shared/audit";
import { Coordinator } from "@samakki/shared/coalitions";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api, withQuery } from "../../../lib/api-client.ts";

const AuditPage = z.object({ items: z.array(AuditEvent), nextCursor: z.string().nullable() });

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

/** People who may appear as actors: everyone of the member organisations. */
export const auditPeopleQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "people"],
    queryFn: () => api.get(`/api/coalitions/${encodeURIComponent(coalitionId)}/people`, z.array(Coordinator)),
  });

/** Actions the API records today; the filter offers these, and unknown ones still display raw. */
export const AUDIT_ACTIONS = [
  "coalition.setup",
  "coalition.update",
  "coalition.organisation_invited",
  "coalition.invitation_accepted",
  "coalition.member_status",
  "coalition.coordinator_appointed",
  "coalition.coordinator_removed",
  "invitation.revoked",
  "organisation.update",
  "organisation.person_invited",
  "organisation.invitation_accepted",
  "organisation.person_updated",
  "organisation.person_removed",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "auth.password_change",
  "auth.password_reset",
  "auth.password_reset_requested",
  "person.email_change",
  "session.revoke",
  "session.revoke_others",
] as const;

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
