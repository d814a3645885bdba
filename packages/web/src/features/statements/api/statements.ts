import type {
  CastBallotInput,
  CreateStatementInput,
  OpenVoteInput,
  StatementCommentInput,
  StatementStatus,
} from "@samakki/shared/statements";
import {
  BallotReceipt,
  Statement,
  StatementComment,
  StatementSummary,
  StatementVersion,
  TurnoutList,
  VerifyResult,
  VersionDiff,
} from "@samakki/shared/statements";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api, type RequestHeaders, withQuery } from "../../../lib/api-client.ts";

const base = (coalitionId: string) => `/api/coalitions/${encodeURIComponent(coalitionId)}/statements`;
const one = (coalitionId: string, statementId: string) => `${base(coalitionId)}/${encodeURIComponent(statementId)}`;

/** Every statement query of a coalition starts with this key, so one invalidation refreshes them all. */
export const statementsKey = (coalitionId: string) => ["coalition", coalitionId, "statements"] as const;

const Page = z.object({ items: z.array(StatementSummary), nextCursor: z.string().nullable() });
const PAGE_SIZE = 20;

export const statementListQuery = (coalitionId: string, status: StatementStatus | undefined) =>
  infiniteQueryOptions({
    queryKey: [...statementsKey(coalitionId), "list", status ?? "all"],
    queryFn: ({ pageParam }) => api.get(withQuery(base(coalitionId), { status, cursor: pageParam, limit: PAGE_SIZE }), Page),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const statementQuery = (coalitionId: string, statementId: string) =>
  queryOptions({
    queryKey: [...statementsKey(coalitionId), "one", statementId],
    queryFn: () => api.get(one(coalitionId, statementId), Statement),
  });

export const versionQuery = (coalitionId: string, statementId: string, number: number) =>
  queryOptions({
    queryKey: [...statementsKey(coalitionId), "one", statementId, "version", number],
    queryFn: () => api.get(`${one(coalitionId, statementId)}/versions/${number}`, StatementVersion),
    // A version never changes.
    staleTime: Number.POSITIVE_INFINITY,
  });

export const diffQuery = (coalitionId: string, statementId: string, from: number, to: number) =>
  queryOptions({
    queryKey: [...statementsKey(coalitionId), "one", statementId, "diff", from, to],
    queryFn: () => api.get(withQuery(`${one(coalitionId, statementId)}/diff`, { from, to }), VersionDiff),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const commentsQuery = (coalitionId: string, statementId: string, number: number) =>
  queryOptions({
    queryKey: [...statementsKey(coalitionId), "one", statementId, "comments", number],
    queryFn: () => api.get(`${one(coalitionId, statementId)}/versions/${number}/comments`, z.array(StatementComment)),
  });

/** Who may vote and whether each has voted: asked for when the vote panel's list is opened. */
export const turnoutQuery = (coalitionId: string, statementId: string, voteId: string) =>
  queryOptions({
    queryKey: [...statementsKey(coalitionId), "one", statementId, "turnout", voteId],
    queryFn: () => api.get(`${one(coalitionId, statementId)}/vote/turnout`, TurnoutList),
  });

export const verifyQuery = (coalitionId: string, statementId: string, voteId: string) =>
  queryOptions({
    queryKey: [...statementsKey(coalitionId), "one", statementId, "verify", voteId],
    queryFn: () => api.get(`${one(coalitionId, statementId)}/vote/verify`, VerifyResult),
    staleTime: 0,
  });

/** A statement's texts (a new version has the same fields as a new statement, without its campaign). */
export type TextInput = Omit<z.input<typeof CreateStatementInput>, "campaignId">;

export function createStatement(coalitionId: string, input: z.input<typeof CreateStatementInput>) {
  return api.postFor(base(coalitionId), input, Statement);
}

/** `headers`: `If-Match` with the number of the version the text was edited from (lib/edit-conflict.tsx). */
export function saveVersion(coalitionId: string, statementId: string, input: TextInput, headers?: RequestHeaders) {
  return api.postFor(`${one(coalitionId, statementId)}/versions`, input, Statement, headers);
}

export function addComment(coalitionId: string, statementId: string, number: number, body: string) {
  const input: z.input<typeof StatementCommentInput> = { body };
  return api.post(`${one(coalitionId, statementId)}/versions/${number}/comments`, input);
}

export function withdrawStatement(coalitionId: string, statementId: string) {
  return api.post(`${one(coalitionId, statementId)}/withdraw`);
}

export function publishStatement(coalitionId: string, statementId: string) {
  return api.post(`${one(coalitionId, statementId)}/publish`);
}

export function openVote(coalitionId: string, statementId: string, input: z.input<typeof OpenVoteInput>) {
  return api.postFor(`${one(coalitionId, statementId)}/vote`, input, Statement);
}

export function cancelVote(coalitionId: string, statementId: string) {
  return api.post(`${one(coalitionId, statementId)}/vote/cancel`);
}

export function closeVoteEarly(coalitionId: string, statementId: string) {
  return api.postFor(`${one(coalitionId, statementId)}/vote/close`, {}, Statement);
}

export function castBallot(coalitionId: string, statementId: string, input: z.input<typeof CastBallotInput>) {
  return api.postFor(`${one(coalitionId, statementId)}/vote/ballots`, input, BallotReceipt);
}

/** Campaigns to tie a new statement to (the campaigns feature's list to pick from). */
export { campaignChoicesQuery } from "../../campaigns/api/campaigns.ts";
