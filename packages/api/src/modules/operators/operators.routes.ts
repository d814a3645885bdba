import { CoalitionDeletion, CreateCoalitionInput, CreatedCoalition, OperatorCoalition } from "@samakki/shared/operators";
import { z } from "zod";
import { pathId } from "../../lib/params.ts";
import { policies, requireRecentAuth } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../lib/route.ts";
import { currentPerson } from "../../lib/service-context.ts";
import * as operators from "./operators.service.ts";

const tags = ["Operators"];
// The operator policy does not read the coalition id, so the path schema checks it (404 when malformed).
const coalitionParam = z.object({ coalitionId: pathId });
const actor = (c: Parameters<typeof currentPerson>[0]) => {
  const person = currentPerson(c);
  return { id: person.id, displayName: person.displayName };
};

export const operatorRoutes = createRouter()
  .openapi(
    defineRoute(policies.signedIn(), {
      method: "get",
      path: "/api/me/operator",
      tags,
      summary: "Whether you are an instance operator",
      responses: { 200: jsonResponse(z.object({ operator: z.boolean() })) },
    }),
    async (c) => c.json({ operator: await operators.isOperator(c.get("deps").db, currentPerson(c).id) }, 200),
  )
  .openapi(
    defineRoute(policies.operator(), {
      method: "get",
      path: "/api/operator/coalitions",
      tags,
      summary: "Every coalition of the instance: names, status and counts only (operators)",
      responses: { 200: jsonResponse(z.array(OperatorCoalition)) },
    }),
    async (c) => c.json(await operators.listCoalitions(c.get("deps").db), 200),
  )
  .openapi(
    defineRoute(policies.operator(), {
      method: "post",
      path: "/api/operator/coalitions",
      tags,
      summary: "Create a coalition and invite its first coordinator by email (operators)",
      request: jsonBody(CreateCoalitionInput),
      responses: { 201: jsonResponse(CreatedCoalition, "Created") },
    }),
    async (c) => {
      const { coalitionId, organisationId, invitationId } = await operators.createCoalition(c.get("deps"), actor(c), c.req.valid("json"));
      return c.json({ coalitionId, organisationId, invitationId }, 201);
    },
  )
  .openapi(
    defineRoute(
      policies.operator(),
      {
        method: "post",
        path: "/api/operator/coalitions/{coalitionId}/deletion",
        tags,
        summary: "Schedule the coalition's deletion after a 30-day grace period (operators; recent authentication)",
        request: { params: coalitionParam },
        responses: { 200: jsonResponse(z.object({ dueAt: z.iso.datetime({ offset: true }) })) },
      },
      { recentAuth: requireRecentAuth },
    ),
    async (c) => {
      const { coalitionId } = c.req.valid("param");
      return c.json(await operators.scheduleDeletion(c.get("deps"), actor(c), coalitionId), 200);
    },
  )
  .openapi(
    defineRoute(policies.operator(), {
      method: "delete",
      path: "/api/operator/coalitions/{coalitionId}/deletion",
      tags,
      summary: "Cancel a scheduled deletion during its grace period (operators)",
      request: { params: coalitionParam },
      responses: { 204: noContent },
    }),
    async (c) => {
      await operators.cancelDeletion(c.get("deps"), actor(c), c.req.valid("param").coalitionId);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.coalitionMember(), {
      method: "get",
      path: "/api/coalitions/{coalitionId}/deletion",
      tags,
      summary: "When the coalition is scheduled to be deleted (null: it is not)",
      request: { params: coalitionParam },
      responses: { 200: jsonResponse(CoalitionDeletion) },
    }),
    async (c) => c.json(await operators.deletionOf(c.get("deps").db, c.get("coalition").coalitionId), 200),
  );
