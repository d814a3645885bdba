import {
  Activity,
  ActivityInput,
  Campaign,
  CampaignListQuery,
  CampaignSummary,
  CampaignUpdate,
  CampaignUpdateInput,
  Contribution,
  ContributionInput,
  CorrectContributionInput,
  CreateCampaignInput,
  Metric,
  MetricInput,
  SetOrganisationsInput,
  UpdateCampaignInput,
  UpdateMetricInput,
} from "@samakki/shared/campaigns";
import { queryInteger } from "@samakki/shared/common";
import { z } from "zod";
import { Cursor } from "../../lib/cursor.ts";
import { editConflict, IfMatchHeader, revisionResponse, tagged } from "../../lib/if-match.ts";
import { coalitionParams, pathId } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../lib/route.ts";
import { coalitionCtx } from "../../lib/service-context.ts";
import * as activities from "./activities.service.ts";
import * as campaigns from "./campaigns.service.ts";
import * as metrics from "./metrics.service.ts";
import * as updates from "./updates.service.ts";

const tags = ["Campaigns"];
const base = "/api/coalitions/{coalitionId}/campaigns";
const listParams = coalitionParams;
const campaignParams = coalitionParams.extend({ campaignId: pathId });
const activityParams = campaignParams.extend({ activityId: pathId });
const metricParams = campaignParams.extend({ metricId: pathId });
const contributionParams = metricParams.extend({ contributionId: pathId });

const ctx = coalitionCtx;
/** Sent again with its Idempotency-Key, answered again and not done twice (modules/idempotency). */
const once = { idempotent: true };

/** A campaign answered whole, with its revision as the ETag (lib/if-match.ts). */
const campaignResponse = (description?: string) => revisionResponse(Campaign, description);

const member = () => policies.coalitionMember();

export const campaignRoutes = createRouter()
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: base,
      tags,
      summary: "Campaigns of the coalition, most recently changed first; filter by status, organisation involved, text",
      request: { params: listParams, query: CampaignListQuery.extend({ cursor: Cursor.optional() }) },
      responses: { 200: jsonResponse(z.object({ items: z.array(CampaignSummary), nextCursor: z.string().nullable() })) },
    }),
    async (c) => c.json(await campaigns.listCampaigns(ctx(c), c.req.valid("query")), 200),
  )
  .openapi(
    defineRoute(
      member(),
      {
        method: "post",
        path: base,
        tags,
        summary: "Create a campaign with its co-owner organisations (coordinators)",
        request: { params: listParams, ...jsonBody(CreateCampaignInput) },
        responses: { 201: campaignResponse("Created") },
      },
      once,
    ),
    async (c) => {
      const context = ctx(c);
      const created = await campaigns.createCampaign(context, c.req.valid("json"));
      return c.json(tagged(c, await campaigns.getCampaign(context, created.id)), 201);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{campaignId}`,
      tags,
      summary: "A campaign",
      request: { params: campaignParams },
      responses: { 200: campaignResponse() },
    }),
    async (c) => c.json(tagged(c, await campaigns.getCampaign(ctx(c), c.req.valid("param").campaignId)), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "patch",
      path: `${base}/{campaignId}`,
      tags,
      summary: "Edit a campaign or change its status (coordinators and co-owners)",
      request: { params: campaignParams, headers: IfMatchHeader, ...jsonBody(UpdateCampaignInput) },
      responses: { 200: campaignResponse(), 412: editConflict },
    }),
    async (c) => {
      const context = ctx(c);
      const { campaignId } = c.req.valid("param");
      await campaigns.updateCampaign(context, campaignId, c.req.valid("json"), c.req.valid("header")["if-match"]);
      return c.json(tagged(c, await campaigns.getCampaign(context, campaignId)), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "put",
      path: `${base}/{campaignId}/owners`,
      tags,
      summary: "Set the co-owner organisations; at least one remains (coordinators and co-owners)",
      request: { params: campaignParams, ...jsonBody(SetOrganisationsInput) },
      responses: { 200: campaignResponse() },
    }),
    async (c) => {
      const context = ctx(c);
      const { campaignId } = c.req.valid("param");
      await campaigns.setOrganisations(context, campaignId, "owner", c.req.valid("json").organisationIds);
      return c.json(tagged(c, await campaigns.getCampaign(context, campaignId)), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "put",
      path: `${base}/{campaignId}/participants`,
      tags,
      summary: "Set the participating organisations (coordinators and co-owners)",
      request: { params: campaignParams, ...jsonBody(SetOrganisationsInput) },
      responses: { 200: campaignResponse() },
    }),
    async (c) => {
      const context = ctx(c);
      const { campaignId } = c.req.valid("param");
      await campaigns.setOrganisations(context, campaignId, "participant", c.req.valid("json").organisationIds);
      return c.json(tagged(c, await campaigns.getCampaign(context, campaignId)), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{campaignId}/activities`,
      tags,
      summary: "The campaign's timeline",
      request: { params: campaignParams },
      responses: { 200: jsonResponse(z.array(Activity)) },
    }),
    async (c) => c.json(await activities.listActivities(ctx(c), c.req.valid("param").campaignId), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "post",
      path: `${base}/{campaignId}/activities`,
      tags,
      summary: "Add an activity; a march has ordered stages (coordinators and co-owners)",
      request: { params: campaignParams, ...jsonBody(ActivityInput) },
      responses: { 201: jsonResponse(Activity, "Created") },
    }),
    async (c) => c.json(await activities.createActivity(ctx(c), c.req.valid("param").campaignId, c.req.valid("json")), 201),
  )
  .openapi(
    defineRoute(member(), {
      method: "put",
      path: `${base}/{campaignId}/activities/{activityId}`,
      tags,
      summary: "Replace an activity (coordinators and co-owners)",
      request: { params: activityParams, ...jsonBody(ActivityInput) },
      responses: { 200: jsonResponse(Activity) },
    }),
    async (c) => {
      const { campaignId, activityId } = c.req.valid("param");
      return c.json(await activities.updateActivity(ctx(c), campaignId, activityId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "delete",
      path: `${base}/{campaignId}/activities/{activityId}`,
      tags,
      summary: "Delete an activity (coordinators and co-owners)",
      request: { params: activityParams },
      responses: { 204: noContent },
    }),
    async (c) => {
      const { campaignId, activityId } = c.req.valid("param");
      await activities.deleteActivity(ctx(c), campaignId, activityId);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{campaignId}/activities.ics`,
      tags,
      summary: "The activities as an iCalendar file",
      request: { params: campaignParams },
      responses: { 200: { description: "text/calendar", content: { "text/calendar": { schema: z.string() } } } },
    }),
    async (c) => {
      const { campaignId } = c.req.valid("param");
      const body = await activities.activitiesCalendar(ctx(c), campaignId, c.get("deps").config.publicUrl);
      return c.body(body, 200, {
        "content-type": "text/calendar; charset=utf-8",
        "content-disposition": `attachment; filename="campaign-${campaignId}.ics"`,
      });
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{campaignId}/metrics`,
      tags,
      summary: "Metrics with totals, progress and each organisation's share",
      request: { params: campaignParams },
      responses: { 200: jsonResponse(z.array(Metric)) },
    }),
    async (c) => c.json(await metrics.listMetrics(ctx(c), c.req.valid("param").campaignId), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "post",
      path: `${base}/{campaignId}/metrics`,
      tags,
      summary: "Add a metric (coordinators and co-owners)",
      request: { params: campaignParams, ...jsonBody(MetricInput) },
      responses: { 201: jsonResponse(Metric, "Created") },
    }),
    async (c) => c.json(await metrics.createMetric(ctx(c), c.req.valid("param").campaignId, c.req.valid("json")), 201),
  )
  .openapi(
    defineRoute(member(), {
      method: "patch",
      path: `${base}/{campaignId}/metrics/{metricId}`,
      tags,
      summary: "Rename a metric: its name and its second name (coordinators and co-owners)",
      request: { params: metricParams, ...jsonBody(UpdateMetricInput) },
      responses: { 200: jsonResponse(Metric) },
    }),
    async (c) => {
      const { campaignId, metricId } = c.req.valid("param");
      return c.json(await metrics.updateMetric(ctx(c), campaignId, metricId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{campaignId}/metrics/{metricId}/contributions`,
      tags,
      summary: "Reported contributions",
      request: { params: metricParams },
      responses: { 200: jsonResponse(z.array(Contribution)) },
    }),
    async (c) => {
      const { campaignId, metricId } = c.req.valid("param");
      return c.json(await metrics.listContributions(ctx(c), campaignId, metricId), 200);
    },
  )
  .openapi(
    defineRoute(
      member(),
      {
        method: "post",
        path: `${base}/{campaignId}/metrics/{metricId}/contributions`,
        tags,
        summary: "Report a contribution for your organisation (co-owner or participant)",
        request: { params: metricParams, ...jsonBody(ContributionInput) },
        responses: { 201: jsonResponse(z.object({ id: z.uuid() }), "Reported") },
      },
      once,
    ),
    async (c) => {
      const { campaignId, metricId } = c.req.valid("param");
      return c.json(await metrics.reportContribution(ctx(c), campaignId, metricId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "patch",
      path: `${base}/{campaignId}/metrics/{metricId}/contributions/{contributionId}`,
      tags,
      summary: "Correct a contribution of your organisation (history kept)",
      request: { params: contributionParams, ...jsonBody(CorrectContributionInput) },
      responses: { 204: noContent },
    }),
    async (c) => {
      const { campaignId, metricId, contributionId } = c.req.valid("param");
      await metrics.correctContribution(ctx(c), campaignId, metricId, contributionId, c.req.valid("json"));
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{campaignId}/updates`,
      tags,
      summary: "Updates, newest first",
      request: {
        params: campaignParams,
        query: z.strictObject({ cursor: Cursor.optional(), limit: queryInteger(1, 50).default(20) }),
      },
      responses: { 200: jsonResponse(z.object({ items: z.array(CampaignUpdate), nextCursor: z.string().nullable() })) },
    }),
    async (c) => c.json(await updates.listUpdates(ctx(c), c.req.valid("param").campaignId, c.req.valid("query")), 200),
  )
  .openapi(
    defineRoute(
      member(),
      {
        method: "post",
        path: `${base}/{campaignId}/updates`,
        tags,
        summary: "Post a short Markdown update (members)",
        request: { params: campaignParams, ...jsonBody(CampaignUpdateInput) },
        responses: { 201: jsonResponse(z.object({ id: z.uuid() }), "Posted") },
      },
      once,
    ),
    async (c) => c.json(await updates.postUpdate(ctx(c), c.req.valid("param").campaignId, c.req.valid("json").body), 201),
  )
  .openapi(
    defineRoute(member(), {
      method: "delete",
      path: `${base}/{campaignId}/updates/{updateId}`,
      tags,
      summary: "Remove an update (its author, co-owners and coordinators); it leaves the public page and feed at once",
      request: { params: campaignParams.extend({ updateId: z.uuid() }) },
      responses: { 204: noContent },
    }),
    async (c) => {
      const { campaignId, updateId } = c.req.valid("param");
      await updates.removeUpdate(ctx(c), campaignId, updateId);
      return c.body(null, 204);
    },
  );
