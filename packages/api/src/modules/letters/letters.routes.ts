import {
  Letter,
  LetterAction,
  LetterActionInput,
  LetterInput,
  LetterListQuery,
  LetterStats,
  ReplyInput,
  Target,
  TargetImportInput,
  TargetImportPreview,
  TargetImportResult,
  TargetInput,
  TargetListQuery,
  UpdateLetterActionInput,
  UpdateLetterInput,
  UpdateTargetInput,
} from "@samakki/shared/letters";
import { z } from "zod";
import { coalitionParams, pathId } from "../../lib/params.ts";
import { policies } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../lib/route.ts";
import { coalitionCtx } from "../../lib/service-context.ts";
import * as actions from "./actions.service.ts";
import * as letters from "./letters.service.ts";
import * as targets from "./targets.service.ts";

const tags = ["Letters"];
const coalitionBase = "/api/coalitions/{coalitionId}";
const targetsBase = `${coalitionBase}/letter-targets`;
const actionsBase = `${coalitionBase}/campaigns/{campaignId}/letter-actions`;
const targetParams = coalitionParams.extend({ targetId: pathId });
const campaignParams = coalitionParams.extend({ campaignId: pathId });
const actionParams = campaignParams.extend({ actionId: pathId });
const letterParams = actionParams.extend({ letterId: pathId });

const ctx = coalitionCtx;
const member = () => policies.coalitionMember();
/** Sent again with its Idempotency-Key, answered again and not done twice (modules/idempotency). */
const once = { idempotent: true };
const coordinator = () => policies.coordinator();

export const letterRoutes = createRouter()
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: targetsBase,
      tags,
      summary: "The coalition's directory of targets (members of parliament, officials); filter by text, province, party, archived",
      request: { params: coalitionParams, query: TargetListQuery },
      responses: { 200: jsonResponse(z.array(Target)) },
    }),
    async (c) => c.json(await targets.list(ctx(c), c.req.valid("query")), 200),
  )
  .openapi(
    defineRoute(coordinator(), {
      method: "post",
      path: targetsBase,
      tags,
      summary: "Add a target to the directory (coordinators)",
      request: { params: coalitionParams, ...jsonBody(TargetInput) },
      responses: { 201: jsonResponse(Target, "Created") },
    }),
    async (c) => c.json(await targets.create(ctx(c), c.req.valid("json")), 201),
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${targetsBase}.csv`,
      tags,
      summary: "The directory as CSV in the import format, formula-safe",
      request: { params: coalitionParams },
      responses: { 200: { description: "text/csv", content: { "text/csv": { schema: z.string() } } } },
    }),
    async (c) =>
      c.body(await targets.exportCsv(ctx(c)), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="targets.csv"',
      }),
  )
  .openapi(
    defineRoute(coordinator(), {
      method: "post",
      path: `${targetsBase}/import/preview`,
      tags,
      summary: "Check a CSV of targets: every row parsed, with its errors; nothing is saved (coordinators)",
      request: { params: coalitionParams, ...jsonBody(TargetImportInput) },
      responses: { 200: jsonResponse(TargetImportPreview) },
    }),
    async (c) => c.json(targets.previewImport(c.get("lang"), c.req.valid("json").csv), 200),
  )
  .openapi(
    defineRoute(coordinator(), {
      method: "post",
      path: `${targetsBase}/import`,
      tags,
      summary: "Import the valid rows of a CSV of targets in one transaction (coordinators)",
      request: { params: coalitionParams, ...jsonBody(TargetImportInput) },
      responses: { 200: jsonResponse(TargetImportResult) },
    }),
    async (c) => c.json(await targets.commitImport(ctx(c), c.get("lang"), c.req.valid("json").csv), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${targetsBase}/{targetId}`,
      tags,
      summary: "A target",
      request: { params: targetParams },
      responses: { 200: jsonResponse(Target) },
    }),
    async (c) => c.json(await targets.get(ctx(c), c.req.valid("param").targetId), 200),
  )
  .openapi(
    defineRoute(coordinator(), {
      method: "patch",
      path: `${targetsBase}/{targetId}`,
      tags,
      summary: "Edit, archive or restore a target (coordinators); targets are never deleted",
      request: { params: targetParams, ...jsonBody(UpdateTargetInput) },
      responses: { 200: jsonResponse(Target) },
    }),
    async (c) => c.json(await targets.update(ctx(c), c.req.valid("param").targetId, c.req.valid("json")), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: actionsBase,
      tags,
      summary: "The campaign's letter actions with their targets and counts",
      request: { params: campaignParams },
      responses: { 200: jsonResponse(z.array(LetterAction)) },
    }),
    async (c) => c.json(await actions.list(ctx(c), c.req.valid("param").campaignId), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "post",
      path: actionsBase,
      tags,
      summary: "Add a letter action: a bilingual letter and its targets (coordinators and co-owners' admins)",
      request: { params: campaignParams, ...jsonBody(LetterActionInput) },
      responses: { 201: jsonResponse(LetterAction, "Created") },
    }),
    async (c) => c.json(await actions.create(ctx(c), c.req.valid("param").campaignId, c.req.valid("json")), 201),
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${coalitionBase}/campaigns/{campaignId}/letter-stats`,
      tags,
      summary: "Targets not yet contacted, letters awaiting a reply, response rates by party and by province",
      request: { params: campaignParams },
      responses: { 200: jsonResponse(LetterStats) },
    }),
    async (c) => c.json(await letters.stats(ctx(c), c.req.valid("param").campaignId), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${actionsBase}/{actionId}`,
      tags,
      summary: "A letter action",
      request: { params: actionParams },
      responses: { 200: jsonResponse(LetterAction) },
    }),
    async (c) => {
      const { campaignId, actionId } = c.req.valid("param");
      return c.json(await actions.get(ctx(c), campaignId, actionId), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "patch",
      path: `${actionsBase}/{actionId}`,
      tags,
      summary: "Edit a letter action (coordinators and co-owners' admins)",
      request: { params: actionParams, ...jsonBody(UpdateLetterActionInput) },
      responses: { 200: jsonResponse(LetterAction) },
    }),
    async (c) => {
      const { campaignId, actionId } = c.req.valid("param");
      return c.json(await actions.update(ctx(c), campaignId, actionId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${actionsBase}/{actionId}/letters`,
      tags,
      summary: "Letters sent for the action, newest first; filter by awaiting a reply, organisation",
      request: { params: actionParams, query: LetterListQuery },
      responses: { 200: jsonResponse(z.array(Letter)) },
    }),
    async (c) => {
      const { campaignId, actionId } = c.req.valid("param");
      return c.json(await letters.list(ctx(c), campaignId, actionId, c.req.valid("query")), 200);
    },
  )
  .openapi(
    defineRoute(
      member(),
      {
        method: "post",
        path: `${actionsBase}/{actionId}/letters`,
        tags,
        summary: "Record a letter your organisation sent (its admins and members)",
        request: { params: actionParams, ...jsonBody(LetterInput) },
        responses: { 201: jsonResponse(Letter, "Recorded") },
      },
      once,
    ),
    async (c) => {
      const { campaignId, actionId } = c.req.valid("param");
      return c.json(await letters.record(ctx(c), campaignId, actionId, c.req.valid("json")), 201);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "patch",
      path: `${actionsBase}/{actionId}/letters/{letterId}`,
      tags,
      summary: "Correct a letter of your organisation or confirm its delivery",
      request: { params: letterParams, ...jsonBody(UpdateLetterInput) },
      responses: { 200: jsonResponse(Letter) },
    }),
    async (c) => {
      const { campaignId, actionId, letterId } = c.req.valid("param");
      return c.json(await letters.update(ctx(c), campaignId, actionId, letterId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "put",
      path: `${actionsBase}/{actionId}/letters/{letterId}/reply`,
      tags,
      summary: "Record or correct the reply to a letter of your organisation",
      request: { params: letterParams, ...jsonBody(ReplyInput) },
      responses: { 200: jsonResponse(Letter) },
    }),
    async (c) => {
      const { campaignId, actionId, letterId } = c.req.valid("param");
      return c.json(await letters.reply(ctx(c), campaignId, actionId, letterId, c.req.valid("json")), 200);
    },
  );
