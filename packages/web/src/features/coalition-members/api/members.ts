import {
  type AppointCoordinatorInput,
  type ChangeMemberStatusInput,
  CoalitionMember,
  Coordinator,
  type InviteOrganisationInput,
  PendingInvitation,
} from "@samakki/shared/coalitions";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../../lib/api-client.ts";

const base = (coalitionId: string) => `/api/coalitions/${encodeURIComponent(coalitionId)}`;

export const membersQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "members"],
    queryFn: () => api.get(`${base(coalitionId)}/members`, z.array(CoalitionMember)),
  });

const Pending = z.array(PendingInvitation.extend({ expired: z.boolean() }));
export const pendingInvitationsQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "invitations"],
    queryFn: () => api.get(`${base(coalitionId)}/invitations`, Pending),
  });

export const coordinatorsQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "coordinators"],
    queryFn: () => api.get(`${base(coalitionId)}/coordinators`, z.array(Coordinator)),
  });

export const peopleQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: ["coalition", coalitionId, "people"],
    queryFn: () => api.get(`${base(coalitionId)}/people`, z.array(Coordinator)),
  });

const Invited = z.object({ organisationId: z.uuid(), invitationId: z.uuid() });

export function inviteOrganisation(coalitionId: string, input: z.input<typeof InviteOrganisationInput>) {
  return api.postFor(`${base(coalitionId)}/members`, input, Invited);
}

export function changeMemberStatus(coalitionId: string, organisationId: string, status: z.input<typeof ChangeMemberStatusInput>["status"]) {
  return api.patch(`${base(coalitionId)}/members/${organisationId}`, { status });
}

export function revokeOrganisationInvitation(coalitionId: string, invitationId: string) {
  return api.delete(`${base(coalitionId)}/invitations/${invitationId}`);
}

export function appointCoordinator(coalitionId: string, personId: string) {
  const body: z.input<typeof AppointCoordinatorInput> = { personId };
  return api.post(`${base(coalitionId)}/coordinators`, body);
}

export function removeCoordinator(coalitionId: string, personId: string) {
  return api.delete(`${base(coalitionId)}/coordinators/${personId}`);
}
