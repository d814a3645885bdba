import {
  InvitePersonInput,
  Organisation,
  OrganisationInvitation,
  OrganisationPerson,
  UpdateOrganisationInput,
  UpdatePersonInput,
} from "@samakki/shared/organisations";
import { z } from "zod";
import { organisationParams, pathId } from "../../lib/params.ts";
import { policies, requireRecentAuth } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../lib/route.ts";
import { currentPerson } from "../../lib/service-context.ts";
import { invitePerson, listPendingPersonInvitations, revokeInvitation } from "../invitations/invitations.service.ts";
import * as organisations from "./organisations.service.ts";

const tags = ["Organisations"];
const orgParam = organisationParams;
const personParams = organisationParams.extend({ personId: pathId });
const person = currentPerson;
const orgId = (c: { req: { param(name: "organisationId"): string } }) => c.req.param("organisationId").toLowerCase();

export const organisationRoutes = createRouter()
  .openapi(
    defineRoute(policies.organisationMember(), {
      method: "get",
      path: "/api/organisations/{organisationId}",
      tags,
      summary: "An organisation's profile (its people, and people of coalitions it belongs to)",
      request: { params: orgParam },
      responses: { 200: jsonResponse(Organisation) },
    }),
    async (c) => c.json(await organisations.getOrganisation(c.get("deps").db, orgId(c), person(c).id), 200),
  )
  .openapi(
    defineRoute(policies.organisationAdmin(), {
      method: "patch",
      path: "/api/organisations/{organisationId}",
      tags,
      summary: "Edit the profile (organisation admins)",
      request: { params: orgParam, ...jsonBody(UpdateOrganisationInput) },
      responses: { 200: jsonResponse(Organisation) },
    }),
    async (c) => c.json(await organisations.updateOrganisation(c.get("deps"), person(c), orgId(c), c.req.valid("json")), 200),
  )
  .openapi(
    defineRoute(policies.organisationMember(), {
      method: "get",
      path: "/api/organisations/{organisationId}/people",
      tags,
      summary:
        "The organisation's people, roles and representatives; email addresses for its own people and the coordinators of its coalitions. Not listed to other members once it is suspended or has left.",
      request: { params: orgParam },
      responses: { 200: jsonResponse(z.array(OrganisationPerson)) },
    }),
    async (c) => c.json(await organisations.listPeople(c.get("deps").db, orgId(c), person(c).id), 200),
  )
  .openapi(
    defineRoute(
      policies.organisationAdmin(),
      {
        method: "patch",
        path: "/api/organisations/{organisationId}/people/{personId}",
        tags,
        summary: "Change a person's role or representative flag (organisation admins; recent authentication)",
        request: { params: personParams, ...jsonBody(UpdatePersonInput) },
        responses: { 204: noContent },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => {
      await organisations.updatePerson(c.get("deps"), person(c), orgId(c), c.req.valid("param").personId, c.req.valid("json"));
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.organisationAdmin(), {
      method: "delete",
      path: "/api/organisations/{organisationId}/people/{personId}",
      tags,
      summary: "Remove a person from the organisation, never the last admin (organisation admins)",
      request: { params: personParams },
      responses: { 204: noContent },
    }),
    async (c) => {
      await organisations.removePerson(c.get("deps"), person(c), orgId(c), c.req.valid("param").personId);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.organisationAdmin(), {
      method: "get",
      path: "/api/organisations/{organisationId}/invitations",
      tags,
      summary: "Pending invitations of people (organisation admins)",
      request: { params: orgParam },
      responses: { 200: jsonResponse(z.array(OrganisationInvitation)) },
    }),
    async (c) => {
      const rows = await listPendingPersonInvitations(c.get("deps").db, orgId(c));
      return c.json(
        rows.map((r) => ({
          id: r.id,
          email: r.email,
          displayName: r.display_name,
          language: r.language,
          role: r.role,
          expiresAt: r.expires_at.toISOString(),
          createdAt: r.created_at.toISOString(),
        })),
        200,
      );
    },
  )
  .openapi(
    defineRoute(policies.organisationAdmin(), {
      method: "post",
      path: "/api/organisations/{organisationId}/invitations",
      tags,
      summary: "Invite a person by email; the link is valid 7 days, once (organisation admins)",
      request: { params: orgParam, ...jsonBody(InvitePersonInput) },
      responses: { 201: jsonResponse(OrganisationInvitation, "Invited") },
    }),
    async (c) => c.json(await invitePerson(c.get("deps"), person(c), orgId(c), c.req.valid("json")), 201),
  )
  .openapi(
    defineRoute(policies.organisationAdmin(), {
      method: "delete",
      path: "/api/organisations/{organisationId}/invitations/{invitationId}",
      tags,
      summary: "Revoke a pending invitation (organisation admins)",
      request: { params: organisationParams.extend({ invitationId: pathId }) },
      responses: { 204: noContent },
    }),
    async (c) => {
      await revokeInvitation(c.get("deps"), person(c), { organisationId: orgId(c) }, c.req.valid("param").invitationId);
      return c.body(null, 204);
    },
  );
