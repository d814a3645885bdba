import {
  Activity,
  type ActivityInput,
  Campaign,
  CampaignSummary,
  CampaignUpdate,
  type CampaignUpdateInput,
  Contribution,
  type ContributionInput,
  type CorrectContributionInput,
  type CreateCampaignInput,
  Metric,
  type MetricInput,
  type SetOrganisationsInput,
  type UpdateCampaignInput,
  type UpdateMetricInput,
} from "@samakki/shared/campaigns";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api, type RequestHeaders, withQuery } from "../../../lib/api-client.ts";

const coalitionPath = (coalitionId: string) => `/api/coalitions/${encodeURIComponent(coalitionId)}`;
const base = (coalitionId: string) => `${coalitionPath(coalitionId)}/campaigns`;
const one = (coalitionId: string, campaignId: string) => `${base(coalitionId)}/${encodeURIComponent(campaignId)}`;

/** Every cached answer of this feature for one coalition starts with this key, so a change refreshes them together. */
export const campaignsKey = (coalitionId: string) => ["campaigns", coalitionId] as const;

/** Every campaign list (each filter) starts with this key. */
export const campaignListsKey = (coalitionId: string) => [...campaignsKey(coalitionId), "list"] as const;

export type CampaignFilters = { status: string; organisationId: string; q: string };

const CampaignPage = z.object({ items: z.array(CampaignSummary), nextCursor: z.string().nullable() });
export const campaignListQuery = (coalitionId: string, filters: CampaignFilters) =>
  infiniteQueryOptions({
    queryKey: [...campaignListsKey(coalitionId), filters],
    queryFn: ({ pageParam }) => api.get(withQuery(base(coalitionId), { ...filters, cursor: pageParam, limit: 20 }), CampaignPage),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const campaignQuery = (coalitionId: string, campaignId: string) =>
  queryOptions({
    queryKey: [...campaignsKey(coalitionId), "one", campaignId],
    queryFn: () => api.get(one(coalitionId, campaignId), Campaign),
  });

export const activitiesQuery = (coalitionId: string, campaignId: string) =>
  queryOptions({
    queryKey: [...campaignsKey(coalitionId), "activities", campaignId],
    queryFn: () => api.get(`${one(coalitionId, campaignId)}/activities`, z.array(Activity)),
  });

export const metricsQuery = (coalitionId: string, campaignId: string) =>
  queryOptions({
    queryKey: [...campaignsKey(coalitionId), "metrics", campaignId],
    queryFn: () => api.get(`${one(coalitionId, campaignId)}/metrics`, z.array(Metric)),
  });

export const contributionsQuery = (coalitionId: string, campaignId: string, metricId: string) =>
  queryOptions({
    queryKey: [...contributionsKey(coalitionId, campaignId), metricId],
    queryFn: () => api.get(`${one(coalitionId, campaignId)}/metrics/${encodeURIComponent(metricId)}/contributions`, z.array(Contribution)),
  });

const UpdatesPage = z.object({ items: z.array(CampaignUpdate), nextCursor: z.string().nullable() });
export const updatesQuery = (coalitionId: string, campaignId: string) =>
  infiniteQueryOptions({
    queryKey: [...campaignsKey(coalitionId), "updates", campaignId],
    queryFn: ({ pageParam }) =>
      api.get(withQuery(`${one(coalitionId, campaignId)}/updates`, { cursor: pageParam, limit: 10 }), UpdatesPage),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

// The coalition's members and a campaign's tasks come from their features (one key each).
export { membersQuery } from "../../coalition-members/api/members.ts";
export { campaignTasksQuery } from "../../tasks/api/task-list.ts";

/** Campaigns to pick from (tasks' filters and form, a new statement): the most recent hundred. */
export const campaignChoicesQuery = (coalitionId: string) =>
  queryOptions({
    queryKey: [...campaignsKey(coalitionId), "choices"],
    queryFn: () => api.get(withQuery(base(coalitionId), { limit: 100 }), CampaignPage).then((p) => p.items),
    staleTime: 60_000,
  });

/** A campaign's contributions, all its metrics' (refreshed together when one changes). */
export const contributionsKey = (coalitionId: string, campaignId: string) =>
  [...campaignsKey(coalitionId), "contributions", campaignId] as const;

export const calendarUrl = (coalitionId: string, campaignId: string) => `${one(coalitionId, campaignId)}/activities.ics`;

/** A campaign's own fields, as the form sends them to create (with its organisations) or to update it. */
export type CampaignInput = Omit<z.input<typeof CreateCampaignInput>, "ownerOrganisationIds" | "participantOrganisationIds">;

export function createCampaign(coalitionId: string, input: z.input<typeof CreateCampaignInput>) {
  return api.postFor(base(coalitionId), input, Campaign);
}

/** `headers`: `If-Match` with the revision the edit form was opened on (lib/edit-conflict.tsx). */
export function updateCampaign(
  coalitionId: string,
  campaignId: string,
  input: z.input<typeof UpdateCampaignInput>,
  headers?: RequestHeaders,
) {
  return api.patchFor(one(coalitionId, campaignId), input, Campaign, headers);
}

export function setCampaignOrganisations(
  coalitionId: string,
  campaignId: string,
  role: "owners" | "participants",
  organisationIds: string[],
) {
  const body: z.input<typeof SetOrganisationsInput> = { organisationIds };
  return api.putFor(`${one(coalitionId, campaignId)}/${role}`, body, Campaign);
}

export function createActivity(coalitionId: string, campaignId: string, input: z.input<typeof ActivityInput>) {
  return api.postFor(`${one(coalitionId, campaignId)}/activities`, input, Activity);
}

export function replaceActivity(coalitionId: string, campaignId: string, activityId: string, input: z.input<typeof ActivityInput>) {
  return api.putFor(`${one(coalitionId, campaignId)}/activities/${encodeURIComponent(activityId)}`, input, Activity);
}

export function deleteActivity(coalitionId: string, campaignId: string, activityId: string) {
  return api.delete(`${one(coalitionId, campaignId)}/activities/${encodeURIComponent(activityId)}`);
}

export function createMetric(coalitionId: string, campaignId: string, input: z.input<typeof MetricInput>) {
  return api.postFor(`${one(coalitionId, campaignId)}/metrics`, input, Metric);
}

/** Rename a metric: its name and its second name (null removes it). */
export function updateMetric(coalitionId: string, campaignId: string, metricId: string, input: z.input<typeof UpdateMetricInput>) {
  return api.patchFor(`${one(coalitionId, campaignId)}/metrics/${encodeURIComponent(metricId)}`, input, Metric);
}

export function reportContribution(coalitionId: string, campaignId: string, metricId: string, input: z.input<typeof ContributionInput>) {
  return api.postFor(
    `${one(coalitionId, campaignId)}/metrics/${encodeURIComponent(metricId)}/contributions`,
    input,
    z.object({ id: z.string() }),
  );
}

export function correctContribution(
  coalitionId: string,
  campaignId: string,
  metricId: string,
  contributionId: string,
  input: z.input<typeof CorrectContributionInput>,
) {
  return api.patch(
    `${one(coalitionId, campaignId)}/metrics/${encodeURIComponent(metricId)}/contributions/${encodeURIComponent(contributionId)}`,
    input,
  );
}

export function removeUpdate(coalitionId: string, campaignId: string, updateId: string) {
  return api.delete(`${one(coalitionId, campaignId)}/updates/${encodeURIComponent(updateId)}`);
}

export function postUpdate(coalitionId: string, campaignId: string, body: string) {
  const input: z.input<typeof CampaignUpdateInput> = { body };
  return api.postFor(`${one(coalitionId, campaignId)}/updates`, input, z.object({ id: z.string() }));
}
