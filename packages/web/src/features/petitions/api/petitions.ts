import {
  type ClosePetitionInput,
  type CorrectPaperSheetInput,
  PaperSheet,
  type PaperSheetInput,
  Petition,
  type PetitionInput,
  Signer,
  type UpdatePetitionInput,
} from "@samakki/shared/petitions";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api, withQuery } from "../../../lib/api-client.ts";

const base = (coalitionId: string, campaignId: string) =>
  `/api/coalitions/${encodeURIComponent(coalitionId)}/campaigns/${encodeURIComponent(campaignId)}/petition`;

/** Every cached answer of this feature for one campaign starts with this key, so a change refreshes them together. */
export const petitionKey = (coalitionId: string, campaignId: string) => ["petitions", coalitionId, campaignId] as const;

export const petitionQuery = (coalitionId: string, campaignId: string) =>
  queryOptions({
    queryKey: [...petitionKey(coalitionId, campaignId), "one"],
    queryFn: () => api.get(base(coalitionId, campaignId), Petition),
    retry: false,
  });

const SignerPage = z.object({ items: z.array(Signer), nextCursor: z.string().nullable() });
export const signersQuery = (coalitionId: string, campaignId: string) =>
  infiniteQueryOptions({
    queryKey: [...petitionKey(coalitionId, campaignId), "signers"],
    queryFn: ({ pageParam }) =>
      api.get(withQuery(`${base(coalitionId, campaignId)}/signers`, { cursor: pageParam, limit: 50 }), SignerPage),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const paperSheetsQuery = (coalitionId: string, campaignId: string) =>
  queryOptions({
    queryKey: [...petitionKey(coalitionId, campaignId), "paper"],
    queryFn: () => api.get(`${base(coalitionId, campaignId)}/paper-sheets`, z.array(PaperSheet)),
  });

export const signersCsvUrl = (coalitionId: string, campaignId: string) => `${base(coalitionId, campaignId)}/signers.csv`;

export const createPetition = (coalitionId: string, campaignId: string, body: z.input<typeof PetitionInput>) =>
  api.postFor(base(coalitionId, campaignId), body, Petition);
export const updatePetition = (coalitionId: string, campaignId: string, body: z.input<typeof UpdatePetitionInput>) =>
  api.patchFor(base(coalitionId, campaignId), body, Petition);
export const closePetition = (coalitionId: string, campaignId: string, deleteAfterDays: number | null) =>
  api.postFor(`${base(coalitionId, campaignId)}/close`, { deleteAfterDays } satisfies z.input<typeof ClosePetitionInput>, Petition);
export const recordPaperSheet = (coalitionId: string, campaignId: string, body: z.input<typeof PaperSheetInput>) =>
  api.postFor(`${base(coalitionId, campaignId)}/paper-sheets`, body, z.object({ id: z.string() }));
export const correctPaperSheet = (coalitionId: string, campaignId: string, sheetId: string, body: z.input<typeof CorrectPaperSheetInput>) =>
  api.patch(`${base(coalitionId, campaignId)}/paper-sheets/${encodeURIComponent(sheetId)}`, body);
