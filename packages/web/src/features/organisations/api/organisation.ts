import {
  type InvitePersonInput,
  Organisation,
  OrganisationInvitation,
  OrganisationPerson,
  type UpdateOrganisationInput,
  type UpdatePersonInput,
} from "@samakki/shared/organisations";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "../../../lib/api-client.ts";

const base = (organisationId: string) => `/api/organisations/${encodeURIComponent(organisationId)}`;

/** Every cached answer about one organisation starts with this key, so a change to its people refreshes them together. */
export const organisationKey = (id: string) => ["organisation", id] as const;

export const organisationQuery = (id: string) =>
  queryOptions({ queryKey: organisationKey(id), queryFn: () => api.get(base(id), Organisation) });

/** The organisation's people (its page, and the person pickers of tasks). */
export const organisationPeopleQuery = (id: string) =>
  queryOptions({
    queryKey: [...organisationKey(id), "people"],
    queryFn: () => api.get(`${base(id)}/people`, z.array(OrganisationPerson)),
  });

export const organisationInvitationsQuery = (id: string) =>
  queryOptions({
    queryKey: [...organisationKey(id), "invitations"],
    queryFn: () => api.get(`${base(id)}/invitations`, z.array(OrganisationInvitation)),
  });

export type ProfileInput = z.input<typeof UpdateOrganisationInput>;

export function updateOrganisation(id: string, input: z.input<typeof UpdateOrganisationInput>) {
  return api.patchFor(base(id), input, Organisation);
}

export function invitePerson(id: string, input: z.input<typeof InvitePersonInput>) {
  return api.postFor(`${base(id)}/invitations`, input, OrganisationInvitation);
}

export function revokePersonInvitation(id: string, invitationId: string) {
  return api.delete(`${base(id)}/invitations/${invitationId}`);
}

export function updatePerson(id: string, personId: string, input: z.input<typeof UpdatePersonInput>) {
  return api.patch(`${base(id)}/people/${personId}`, input);
}

export function removePerson(id: string, personId: string) {
  return api.delete(`${base(id)}/people/${personId}`);
}
