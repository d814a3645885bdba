import { queryInteger } from "@samakki/shared/common";
import {
  BallotReceipt,
  CastBallotInput,
  CreateStatementInput,
  OpenVoteInput,
  Statement,
  StatementComment,
  StatementCommentInput,
  StatementStatus,
  StatementSummary,
  StatementText,
  StatementVersion,
  TurnoutList,
  VerifyResult,
  VersionDiff,
} from "@samakki/shared/statements";
import type { Context } from "hono";
import { z } from "zod";
import { Cursor } from "../../lib/cursor.ts";
import { editConflict, etag, etagHeader, IfMatchHeader } from "../../lib/if-match.ts";
import { coalitionParams, pathId } from "../../lib/params.ts";
import { policies, requireRecentAuth } from "../../lib/policy.ts";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../lib/route.ts";
import { coalitionCtx } from "../../lib/service-context.ts";
import { cancelVote, castBallot, closeVoteEarly, openVote } from "../votes/votes.commands.ts";
import { getTurnoutList, verifyStatementVote } from "../votes/votes.read.ts";
import * as statements from "./statements.service.ts";

const tags = ["Statements"];
const voteTags = ["Votes"];
const base = "/api/coalitions/{coalitionId}/statements";
const listParams = coalitionParams;
const params = coalitionParams.extend({ statementId: pathId });
const versionParams = params.extend({ number: queryInteger(1, 100_000) });
const member = () => policies.coalitionMember();
/** Coordinator-only actions: a member gets the policy's 403 before any re-authentication prompt, and x-policy says so. */
const coordinator = () => policies.coordinator();
const recent = { recentAuth: requireRecentAuth };
/** Sent again with its Idempotency-Key, answered again and not done twice (modules/idempotency). */
const once = { idempotent: true };

/**
 * A statement answered whole, with its current version's number as the ETag: a new version is
 * saved with `If-Match` of the version it was edited from (lib/if-match.ts).
 */
const statementResponse = (description?: string) => ({ ...jsonResponse(Statement, description), headers: etagHeader });
const tagged = (c: Context, statement: Statement) => {
  c.header("ETag", etag(statement.current.number));
  return statement;
};

export const statementRoutes = createRouter()
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: base,
      tags,
      summary: "Joint statements of the coalition, most recently changed first",
      request: {
        params: listParams,
        query: z.strictObject({
          status: StatementStatus.optional(),
          cursor: Cursor.optional(),
          limit: queryInteger(1, 100).default(30),
        }),
      },
      responses: { 200: jsonResponse(z.object({ items: z.array(StatementSummary), nextCursor: z.string().nullable() })) },
    }),
    async (c) => c.json(await statements.listStatements(coalitionCtx(c), c.req.valid("query")), 200),
  )
  .openapi(
    defineRoute(
      member(),
      {
        method: "post",
        path: base,
        tags,
        summary: "Propose a draft statement (members)",
        request: { params: listParams, ...jsonBody(CreateStatementInput) },
        responses: { 201: statementResponse("Created") },
      },
      once,
    ),
    async (c) => {
      const ctx = coalitionCtx(c);
      const created = await statements.createStatement(ctx, c.req.valid("json"));
      return c.json(tagged(c, await statements.getStatement(ctx, created.id)), 201);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{statementId}`,
      tags,
      summary: "A statement, its versions and its vote",
      request: { params },
      responses: { 200: statementResponse() },
    }),
    async (c) => c.json(tagged(c, await statements.getStatement(coalitionCtx(c), c.req.valid("param").statementId)), 200),
  )
  .openapi(
    defineRoute(member(), {
      method: "post",
      path: `${base}/{statementId}/versions`,
      tags,
      summary: "Save the text as a new immutable version (author and coordinators; refused during a vote)",
      request: { params, headers: IfMatchHeader, ...jsonBody(StatementText) },
      responses: { 201: statementResponse("Saved"), 412: editConflict },
    }),
    async (c) => {
      const ctx = coalitionCtx(c);
      const { statementId } = c.req.valid("param");
      await statements.saveVersion(ctx, statementId, c.req.valid("json"), c.req.valid("header")["if-match"]);
      return c.json(tagged(c, await statements.getStatement(ctx, statementId)), 201);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{statementId}/versions/{number}`,
      tags,
      summary: "One version's frozen text",
      request: { params: versionParams },
      responses: { 200: jsonResponse(StatementVersion) },
    }),
    async (c) => {
      const { statementId, number } = c.req.valid("param");
      return c.json(await statements.getVersion(coalitionCtx(c), statementId, number), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{statementId}/diff`,
      tags,
      summary: "Word-level comparison of two versions",
      request: { params, query: z.strictObject({ from: queryInteger(1, 100_000), to: queryInteger(1, 100_000) }) },
      responses: { 200: jsonResponse(VersionDiff) },
    }),
    async (c) => {
      const { from, to } = c.req.valid("query");
      return c.json(await statements.diffVersions(coalitionCtx(c), c.req.valid("param").statementId, from, to), 200);
    },
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{statementId}/versions/{number}/comments`,
      tags,
      summary: "Comments on a version",
      request: { params: versionParams },
      responses: { 200: jsonResponse(z.array(StatementComment)) },
    }),
    async (c) => {
      const ctx = coalitionCtx(c);
      const { statementId, number } = c.req.valid("param");
      return c.json(await statements.listComments(ctx, statementId, number), 200);
    },
  )
  .openapi(
    defineRoute(
      member(),
      {
        method: "post",
        path: `${base}/{statementId}/versions/{number}/comments`,
        tags,
        summary: "Comment on a version (members)",
        request: { params: versionParams, ...jsonBody(StatementCommentInput) },
        responses: { 201: jsonResponse(z.object({ id: z.uuid() }), "Posted") },
      },
      once,
    ),
    async (c) => {
      const ctx = coalitionCtx(c);
      const { statementId, number } = c.req.valid("param");
      const version = await statements.getVersion(ctx, statementId, number);
      return c.json(await statements.addComment(ctx, statementId, version.id, c.req.valid("json").body), 201);
    },
  )
  .openapi(
    defineRoute(coordinator(), {
      method: "post",
      path: `${base}/{statementId}/withdraw`,
      tags,
      summary: "Withdraw the statement for good (coordinators)",
      request: { params },
      responses: { 204: noContent },
    }),
    async (c) => {
      await statements.withdrawStatement(coalitionCtx(c), c.req.valid("param").statementId);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(
      coordinator(),
      {
        method: "post",
        path: `${base}/{statementId}/publish`,
        tags,
        summary: "Publish an adopted statement (coordinators; recent authentication)",
        request: { params },
        responses: { 204: noContent },
      },
      recent,
    ),
    async (c) => {
      await statements.publishStatement(coalitionCtx(c), c.req.valid("param").statementId);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(
      coordinator(),
      {
        method: "post",
        path: `${base}/{statementId}/vote`,
        tags: voteTags,
        summary: "Open a vote on one version (coordinators; recent authentication)",
        request: { params, ...jsonBody(OpenVoteInput) },
        responses: { 201: statementResponse("Opened") },
      },
      recent,
    ),
    async (c) => {
      const ctx = coalitionCtx(c);
      const { statementId } = c.req.valid("param");
      await openVote(ctx, statementId, c.req.valid("json"));
      return c.json(tagged(c, await statements.getStatement(ctx, statementId)), 201);
    },
  )
  .openapi(
    defineRoute(
      coordinator(),
      {
        method: "post",
        path: `${base}/{statementId}/vote/cancel`,
        tags: voteTags,
        summary: "Cancel the open vote (coordinators; recent authentication)",
        request: { params },
        responses: { 204: noContent },
      },
      recent,
    ),
    async (c) => {
      await cancelVote(coalitionCtx(c), c.req.valid("param").statementId);
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute(
      coordinator(),
      {
        method: "post",
        path: `${base}/{statementId}/vote/close`,
        tags: voteTags,
        summary: "Close early, once every eligible organisation has voted (coordinators; recent authentication)",
        request: { params },
        responses: { 200: statementResponse() },
      },
      recent,
    ),
    async (c) => {
      const ctx = coalitionCtx(c);
      const { statementId } = c.req.valid("param");
      await closeVoteEarly(ctx, statementId);
      return c.json(tagged(c, await statements.getStatement(ctx, statementId)), 200);
    },
  )
  .openapi(
    defineRoute(
      member(),
      {
        method: "post",
        path: `${base}/{statementId}/vote/ballots`,
        tags: voteTags,
        summary: "Cast or change your organisation's ballot (its representatives; recent authentication); returns the receipt",
        request: { params, ...jsonBody(CastBallotInput) },
        responses: { 201: jsonResponse(BallotReceipt, "Cast") },
      },
      { ...recent, idempotent: true },
    ),
    async (c) => c.json(await castBallot(coalitionCtx(c), c.req.valid("param").statementId, c.req.valid("json")), 201),
  )
  .openapi(
    defineRoute(member(), {
      method: "get",
      path: `${base}/{statementId}/vote/verify`,
      tags: voteTags,
      summary: "Recompute the outcome from the ballots and compare with the stored result (once the vote is closed; 409 before)",
      request: { params },
      responses: { 200: jsonResponse(VerifyResult) },
    }),
    async (c) => c.json(await verifyStatementVote(coalitionCtx(c), c.req.valid("param").statementId), 200),
  )
  .openapi(
    defineRoute(coordinator(), {
      method: "get",
      path: `${base}/{statementId}/vote/turnout`,
      tags: voteTags,
      summary:
        "Coordinators: who may vote in the statement's latest vote, and whether each organisation has voted (never how), to remind those who have not",
      request: { params },
      responses: { 200: jsonResponse(TurnoutList) },
    }),
    async (c) => c.json(await getTurnoutList(coalitionCtx(c), c.req.valid("param").statementId), 200),
  );
