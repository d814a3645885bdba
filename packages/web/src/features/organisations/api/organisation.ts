import type { SecondName } from "@samakki/shared/names";
import { Organisation, OrganisationInvitation, OrganisationPerson } from "@samakki/shared/organisations";
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

export type ProfileInput = {
  name?: string;
  shortName?: string;
  secondName?: SecondName | null;
  description?: string;
  website?: string;
  contactEmail?: string;
};

export function updateOrganisation(id: string, input: ProfileInput) {
  return api.patchFor(base(id), input, Organisation);
}

export function invitePerson(id: string, input: { email: string; role: "admin" | "member"; displayName?: string; language?: "en" | "km" }) {
  return api.postFor(`${base(id)}/invitations`, input, OrganisationInvitation);
}

export function revokePersonInvitation(id: string, invitationId: string) {
  return api.delete(`${base(id)}/invitations/${invitationId}`);
}

export function updatePerson(id: string, personId: string, input: { role?: "admin" | "member"; representative?: boolean }) {
  return api.patch(`${base(id)}/people/${personId}`, input);
}

export function removePerson(id: string, personId: string) {
  return api.delete(`${base(id)}/people/${personId}`);
}
