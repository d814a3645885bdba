import { type AcceptInvitationInput, InvitationPreview } from "@samakki/shared/coalitions";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../../lib/api-client.ts";

export const invitationQuery = (token: string) =>
  queryOptions({
    queryKey: ["invitation", token],
    queryFn: () => api.get(`/api/invitations/${encodeURIComponent(token)}`, InvitationPreview),
    retry: false,
  });

const AcceptResult = z.object({ organisationId: z.uuid(), coalitionId: z.uuid().nullable(), accountCreated: z.boolean() });

export function acceptInvitation(token: string, body: z.input<typeof AcceptInvitationInput>) {
  return api.postFor(`/api/invitations/${encodeURIComponent(token)}/accept`, body, AcceptResult);
}
