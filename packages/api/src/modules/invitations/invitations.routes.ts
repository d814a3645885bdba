import { AcceptInvitationInput, InvitationPreview } from "@samakki/shared/coalitions";
import { z } from "zod";
import { policies } from "../../lib/policy.ts";
import { clientAddress } from "../../lib/request-meta.ts";
import { createRouter, defineRoute, errorResponse, jsonBody, jsonResponse } from "../../lib/route.ts";
import { setSessionCookie } from "../auth/sessions.service.ts";
import { acceptInvitation, previewInvitation } from "./invitations.service.ts";

const tags = ["Invitations"];
const params = z.object({ token: z.string().min(10).max(100) });

export const invitationRoutes = createRouter()
  .openapi(
    defineRoute(policies.public(), {
      method: "get",
      path: "/api/invitations/{token}",
      tags,
      summary: "What an invitation link invites to (410 when expired, revoked or used)",
      request: { params },
      responses: { 200: jsonResponse(InvitationPreview), 410: errorResponse("Not valid any more") },
    }),
    async (c) => c.json(await previewInvitation(c.get("deps").db, c.req.valid("param").token), 200),
  )
  .openapi(
    defineRoute(policies.public(), {
      method: "post",
      path: "/api/invitations/{token}/accept",
      tags,
      summary: "Accept an invitation: signed in with the invited email, or creating the account",
      request: { params, ...jsonBody(AcceptInvitationInput) },
      responses: {
        200: jsonResponse(z.object({ organisationId: z.uuid(), coalitionId: z.uuid().nullable(), accountCreated: z.boolean() })),
        410: errorResponse("Not valid any more"),
      },
    }),
    async (c) => {
      const result = await acceptInvitation(
        c.get("deps"),
        c.req.valid("param").token,
        c.get("person"),
        c.req.valid("json"),
        c.req.header("user-agent") ?? "",
        clientAddress(c),
      );
      if (result.session) setSessionCookie(c, result.session.token, result.session.absoluteExpiresAt);
      return c.json(
        { organisationId: result.organisationId, coalitionId: result.coalitionId, accountCreated: result.session !== null },
        200,
      );
    },
  );
