import { SignupCounts, SignupList } from "@samakki/shared/signups";
import { coalitionParams, pathId } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonResponse, noContent } from "../../lib/route.ts";
import { coalitionCtx } from "../../lib/service-context.ts";
import * as signups from "./signups.service.ts";

const tags = ["Sign-ups"];
const base = "/api/coalitions/{coalitionId}/campaigns/{campaignId}/activities/{activityId}";
const activityParams = coalitionParams.extend({ campaignId: pathId, activityId: pathId });
const signupParams = activityParams.extend({ signupId: pathId });

/** Organisers' side of sign-ups: counts for every member, the list and its actions for the campaign's owners. */
export const signupRoutes = createRouter()
  .openapi(
    defineRoute(policies.coalitionMember(), {
      method: "get",
      path: `${base}/signup-counts`,
      tags,
      summary: "People signed up per march stage (or for the whole activity), confirmed and pending",
      request: { params: activityParams },
      responses: { 200: jsonResponse(SignupCounts) },
    }),
    async (c) => {
      const { campaignId, activityId } = c.req.valid("param");
      return c.json(SignupCounts.parse(await signups.signupCounts(coalitionCtx(c), campaignId, activityId)), 200);
    },
  )
  .openapi(
    defineRoute(policies.coalitionMember(), {
      method: "get",
      path: `${base}/signups`,
      tags,
      summary: "The sign-ups with names and contacts (coordinators and admins of the co-owner organisations)",
      request: { params: activityParams },
      responses: { 200: jsonResponse(SignupList) },
    }),
    async (c) => {
      const { campaignId, activityId } = c.req.valid("param");
      return c.json(SignupList.parse(await signups.listSignups(coalitionCtx(c), campaignId, activityId)), 200);
    },
  )
  .openapi(
    defineRoute(policies.coalitionMember(), {
      method: "post",
      path: `${base}/signups/{signupId}/confirm-by-phone`,
      tags,
      summary: "Confirm a pending sign-up after reaching the person by phone (owners)",
      request: { params: signupParams },
      responses: { 204: noContent },
    }),
    async (c) => {
      const { campaignId, activityId, signupId } = c.req.valid("param");
      await signups.confirmByPhone(coalitionCtx(c), campaignId, activityId, signupId);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(policies.coalitionMember(), {
      method: "delete",
      path: `${base}/signups/{signupId}`,
      tags,
      summary: "Remove a sign-up and its data (owners)",
      request: { params: signupParams },
      responses: { 204: noContent },
    }),
    async (c) => {
      const { campaignId, activityId, signupId } = c.req.valid("param");
      await signups.removeSignup(coalitionCtx(c), campaignId, activityId, signupId);
      return c.body(null, 204);
    },
  );
