import {
  Letter,
  LetterAction,
  type LetterActionInput,
  type LetterInput,
  LetterStats,
  type ReplyInput,
  Target,
  type TargetImportInput,
  TargetImportPreview,
  TargetImportResult,
  type TargetInput,
  type UpdateLetterActionInput,
  type UpdateLetterInput,
  type UpdateTargetInput,
} from "@samakki/shared/letters";
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api, withQuery } from "../../../lib/api-client.ts";

const coalitionPath = (coalitionId: string) => `/api/coalitions/${encodeURIComponent(coalitionId)}`;
const targetsPath = (coalitionId: string) => `${coalitionPath(coalitionId)}/letter-targets`;
const actionsPath = (coalitionId: string, campaignId: string) =>
  `${coalitionPath(coalitionId)}/campaigns/${encodeURIComponent(campaignId)}/letter-actions`;
const lettersPath = (coalitionId: string, campaignId: string, actionId: string) =>
  `${actionsPath(coalitionId, campaignId)}/${encodeURIComponent(actionId)}/letters`;

/** Every cached answer of this feature for one coalition starts with this key, so a change refreshes them together. */
export const lettersKey = (coalitionId: string) => ["letters", coalitionId] as const;

export type TargetFilters = { q: string; province: string; archived: "true" | "false" | "all" };

export const targetsQuery = (coalitionId: string, filters: TargetFilters) =>
  queryOptions({
    queryKey: [...lettersKey(coalitionId), "targets", filters],
    queryFn: () => api.get(withQuery(targetsPath(coalitionId), filters), z.array(Target)),
  });

export const targetsCsvUrl = (coalitionId: string) => `${targetsPath(coalitionId)}.csv`;

export const createTarget = (coalitionId: string, input: z.input<typeof TargetInput>) =>
  api.postFor(targetsPath(coalitionId), input, Target);
export const updateTarget = (coalitionId: string, targetId: string, input: z.input<typeof UpdateTargetInput>) =>
  api.patchFor(`${targetsPath(coalitionId)}/${encodeURIComponent(targetId)}`, input, Target);
export const previewImport = (coalitionId: string, csv: string) =>
  api.postFor(`${targetsPath(coalitionId)}/import/preview`, { csv } satisfies z.input<typeof TargetImportInput>, TargetImportPreview);
export const commitImport = (coalitionId: string, csv: string) =>
  api.postFor(`${targetsPath(coalitionId)}/import`, { csv } satisfies z.input<typeof TargetImportInput>, TargetImportResult);

export const actionsQuery = (coalitionId: string, campaignId: string) =>
  queryOptions({
    queryKey: [...lettersKey(coalitionId), "actions", campaignId],
    queryFn: () => api.get(actionsPath(coalitionId, campaignId), z.array(LetterAction)),
  });
export const createAction = (coalitionId: string, campaignId: string, input: z.input<typeof LetterActionInput>) =>
  api.postFor(actionsPath(coalitionId, campaignId), input, LetterAction);
export const updateAction = (coalitionId: string, campaignId: string, actionId: string, input: z.input<typeof UpdateLetterActionInput>) =>
  api.patchFor(`${actionsPath(coalitionId, campaignId)}/${encodeURIComponent(actionId)}`, input, LetterAction);

export const lettersQuery = (coalitionId: string, campaignId: string, actionId: string) =>
  queryOptions({
    queryKey: [...lettersKey(coalitionId), "letters", campaignId, actionId],
    queryFn: () => api.get(lettersPath(coalitionId, campaignId, actionId), z.array(Letter)),
  });
export const recordLetter = (coalitionId: string, campaignId: string, actionId: string, input: z.input<typeof LetterInput>) =>
  api.postFor(lettersPath(coalitionId, campaignId, actionId), input, Letter);
export const confirmDelivery = (coalitionId: string, campaignId: string, actionId: string, letterId: string) =>
  api.patchFor(
    `${lettersPath(coalitionId, campaignId, actionId)}/${encodeURIComponent(letterId)}`,
    { deliveryConfirmed: true } satisfies z.input<typeof UpdateLetterInput>,
    Letter,
  );
export const recordReply = (
  coalitionId: string,
  campaignId: string,
  actionId: string,
  letterId: string,
  input: z.input<typeof ReplyInput>,
) => api.putFor(`${lettersPath(coalitionId, campaignId, actionId)}/${encodeURIComponent(letterId)}/reply`, input, Letter);

export const statsQuery = (coalitionId: string, campaignId: string) =>
  queryOptions({
    queryKey: [...lettersKey(coalitionId), "stats", campaignId],
    queryFn: () => api.get(`${coalitionPath(coalitionId)}/campaigns/${encodeURIComponent(campaignId)}/letter-stats`, LetterStats),
  });

/** The campaign, for the letters page heading (the campaigns feature's cached answer). */
export { campaignQuery } from "../../campaigns/api/campaigns.ts";
