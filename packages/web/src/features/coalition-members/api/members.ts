import {
  type AppointCoordinatorInput,
  type ChangeMemberStatusInput,
  Coalition,
  CoalitionMember,
  Coordinator,
  type InviteOrganisationInput,
  PendingInvitation,
  type UpdateCoalitionInput,
} from "@samakki/shared/coalitions";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../../lib/api-client.ts";

const base = (coalitionId: string) => `/api/coalitions/${encodeURIComponent(coalitionId)}`;

/**
 * Every cached answer about one coalition starts with this key (its members, invitations,
 * coordinators, people, settings, and other features' answers such as the dashboard and the
 * statements), so a change to its membership refreshes them together.
 */
export const coalitionKey = (coalitionId: string) => ["coalition", coalitionId] as const;

/** The coalition's settings (the two-factor requirement). */
export const coalitionSettingsQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: [...coalitionKey(coalitionId), "settings"],
    queryFn: () => api.get(base(coalitionId), Coalition),
  });

export function updateCoalitionSettings(coalitionId: string, input: z.input<typeof UpdateCoalitionInput>) {
  return api.patchFor(base(coalitionId), input, Coalition);
}

/** The coalition's member organisations (the members page, and the organisation pickers of campaigns and tasks). */
export const membersQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: [...coalitionKey(coalitionId), "members"],
    queryFn: () => api.get(`${base(coalitionId)}/members`, z.array(CoalitionMember)),
  });

const Pending = z.array(PendingInvitation.extend({ expired: z.boolean() }));
export const pendingInvitationsQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: [...coalitionKey(coalitionId), "invitations"],
    queryFn: () => api.get(`${base(coalitionId)}/invitations`, Pending),
  });

export const coordinatorsQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: [...coalitionKey(coalitionId), "coordinators"],
    queryFn: () => api.get(`${base(coalitionId)}/coordinators`, z.array(Coordinator)),
  });

/** Everyone of the member organisations (appointing coordinators; the audit log's actor filter). */
export const peopleQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: [...coalitionKey(coalitionId), "people"],
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
