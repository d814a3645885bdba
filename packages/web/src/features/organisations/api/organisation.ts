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

export const organisationQuery = (id: string) =>
  queryOptions({ queryKey: ["organisation", id], queryFn: () => api.get(base(id), Organisation) });

export const organisationPeopleQuery = (id: string) =>
  queryOptions({ queryKey: ["organisation", id, "people"], queryFn: () => api.get(`${base(id)}/people`, z.array(OrganisationPerson)) });

export const organisationInvitationsQuery = (id: string) =>
  queryOptions({
    queryKey: ["organisation", id, "invitations"],
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
