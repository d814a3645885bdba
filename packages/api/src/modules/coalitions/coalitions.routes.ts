import {
  AppointCoordinatorInput,
  ChangeMemberStatusInput,
  Coalition,
  CoalitionMember,
  Coordinator,
  InviteOrganisationInput,
  PendingInvitation,
  UpdateCoalitionInput,
} from "@samakki/shared/coalitions";
import { z } from "zod";
import { coalitionParams, pathId } from "../../lib/params.ts";
import { policies, requireRecentAuth } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../lib/route.ts";
import { currentPerson } from "../../lib/service-context.ts";
import { inviteOrganisation, listPendingOrganisationInvitations, revokeInvitation } from "../invitations/invitations.service.ts";
import * as coalitions from "./coalitions.service.ts";

const tags = ["Coalitions"];
const person = currentPerson;

export const coalitionRoutes = createRouter()
  .openapi(
    defineRoute(policies.coalitionMember(), {
      method: "get",
      path: "/api/coalitions/{coalitionId}",
      tags,
      summary: "A coalition you belong to",
      request: { params: coalitionParams },
      responses: { 200: jsonResponse(Coalition) },
    }),
    async (c) => c.json(await coalitions.getCoalition(c.get("deps").db, c.get("coalition").coalitionId), 200),
  )
  .openapi(
    defineRoute(policies.coordinator(), {
      method: "patch",
      path: "/api/coalitions/{coalitionId}",
      tags,
      summary: "Edit the coalition (coordinators)",
      request: { params: coalitionParams, ...jsonBody(UpdateCoalitionInput) },
      responses: { 200: jsonResponse(Coalition) },
    }),
    async (c) =>
      c.json(await coalitions.updateCoalition(c.get("deps"), person(c), c.get("coalition").coalitionId, c.req.valid("json")), 200),
  )
  .openapi(
    defineRoute(policies.coalitionMember(), {
      method: "get",
      path: "/api/coalitions/{coalitionId}/members",
      tags,
      summary: "Member organisations and their status",
      request: { params: coalitionParams },
      responses: { 200: jsonResponse(z.array(CoalitionMember)) },
    }),
    async (c) => c.json(await coalitions.listMembers(c.get("deps").db, c.get("coalition").coalitionId), 200),
  )
  .openapi(
    defineRoute(policies.coordinator(), {
      method: "post",
      path: "/api/coalitions/{coalitionId}/members",
      tags,
      summary: "Invite an organisation by email to its contact (coordinators)",
      request: { params: coalitionParams, ...jsonBody(InviteOrganisationInput) },
      responses: { 201: jsonResponse(z.object({ organisationId: z.uuid(), invitationId: z.uuid() }), "Invited") },
    }),
    async (c) => c.json(await inviteOrganisation(c.get("deps"), person(c), c.get("coalition").coalitionId, c.req.valid("json")), 201),
  )
  .openapi(
    defineRoute(policies.coordinator(), {
      method: "patch",
      path: "/api/coalitions/{coalitionId}/members/{organisationId}",
      tags,
      summary: "Set a member organisation's status: active, observer, suspended or left (coordinators)",
      request: { params: coalitionParams.extend({ organisationId: pathId }), ...jsonBody(ChangeMemberStatusInput) },
      responses: { 204: noContent },
    }),
    async (c) => {
      const organisationId = c.req.valid("param").organisationId;
      await coalitions.changeMemberStatus(
        c.get("deps"),
        person(c),
        c.get("coalition").coalitionId,
        organisationId,
        c.req.valid("json").status,
      );
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.coordinator(), {
      method: "get",
      path: "/api/coalitions/{coalitionId}/invitations",
      tags,
      summary: "Organisation invitations not yet accepted (coordinators)",
      request: { params: coalitionParams },
      responses: { 200: jsonResponse(z.array(PendingInvitation.extend({ expired: z.boolean() }))) },
    }),
    async (c) => {
      const rows = await listPendingOrganisationInvitations(c.get("deps").db, c.get("coalition").coalitionId);
      const now = Date.now();
      return c.json(
        rows.map((r) => ({
          id: r.id,
          email: r.email,
          organisationName: r.organisation_name,
          role: r.role,
          expiresAt: r.expires_at.toISOString(),
          createdAt: r.created_at.toISOString(),
          expired: r.expires_at.getTime() <= now,
        })),
        200,
      );
    },
  )
  .openapi(
    defineRoute(policies.coordinator(), {
      method: "delete",
      path: "/api/coalitions/{coalitionId}/invitations/{invitationId}",
      tags,
      summary: "Revoke an organisation invitation (coordinators)",
      request: { params: coalitionParams.extend({ invitationId: pathId }) },
      responses: { 204: noContent },
    }),
    async (c) => {
      await revokeInvitation(c.get("deps"), person(c), { coalitionId: c.get("coalition").coalitionId }, c.req.valid("param").invitationId);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.coalitionMember(), {
      method: "get",
      path: "/api/coalitions/{coalitionId}/coordinators",
      tags,
      summary: "The coalition's coordinators; their email addresses for coordinators and people of the same organisation",
      request: { params: coalitionParams },
      responses: { 200: jsonResponse(z.array(Coordinator)) },
    }),
    async (c) => {
      const access = c.get("coalition");
      const viewer = { personId: person(c).id, isCoordinator: access.isCoordinator };
      return c.json(await coalitions.listCoordinators(c.get("deps").db, access.coalitionId, viewer), 200);
    },
  )
  .openapi(
    defineRoute(policies.coordinator(), {
      method: "get",
      path: "/api/coalitions/{coalitionId}/people",
      tags,
      summary: "People of the member organisations, who can be appointed coordinator (coordinators)",
      request: { params: coalitionParams },
      responses: { 200: jsonResponse(z.array(Coordinator)) },
    }),
    async (c) => c.json(await coalitions.listCoalitionPeople(c.get("deps").db, c.get("coalition").coalitionId), 200),
  )
  .openapi(
    defineRoute(policies.coalitionMember(), {
      method: "get",
      path: "/api/coalitions/{coalitionId}/directory",
      tags,
      summary: "Names of the people of the coalition (and its coordinators), for mentions; no emails",
      request: { params: coalitionParams },
      responses: { 200: jsonResponse(z.array(z.object({ personId: z.uuid(), displayName: z.string() }))) },
    }),
    async (c) => c.json(await coalitions.listDirectory(c.get("deps").db, c.get("coalition").coalitionId), 200),
  )
  .openapi(
    defineRoute(
      policies.coordinator(),
      {
        method: "post",
        path: "/api/coalitions/{coalitionId}/coordinators",
        tags,
        summary: "Appoint a coordinator (coordinators; recent authentication)",
        request: { params: coalitionParams, ...jsonBody(AppointCoordinatorInput) },
        responses: { 204: noContent },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => {
      await coalitions.appointCoordinator(c.get("deps"), person(c), c.get("coalition").coalitionId, c.req.valid("json").personId);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(
      policies.coordinator(),
      {
        method: "delete",
        path: "/api/coalitions/{coalitionId}/coordinators/{personId}",
        tags,
        summary: "Remove a coordinator, never the last one (coordinators; recent authentication)",
        request: { params: coalitionParams.extend({ personId: pathId }) },
        responses: { 204: noContent },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => {
      await coalitions.removeCoordinator(c.get("deps"), person(c), c.get("coalition").coalitionId, c.req.valid("param").personId);
      return c.body(null, 204);
    },
  );
