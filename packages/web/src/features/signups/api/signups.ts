import { SignupCounts, SignupList } from "@samakki/shared/signups";
import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/api-client.ts";

const activityPath = (coalitionId: string, campaignId: string, activityId: string) =>
  `/api/coalitions/${encodeURIComponent(coalitionId)}/campaigns/${encodeURIComponent(campaignId)}/activities/${encodeURIComponent(activityId)}`;

export const signupsKey = (coalitionId: string, activityId: string) => ["signups", coalitionId, activityId] as const;

export const signupCountsQuery = (coalitionId: string, campaignId: string, activityId: string) =>
  queryOptions({
    queryKey: [...signupsKey(coalitionId, activityId), "counts"],
    queryFn: () => api.get(`${activityPath(coalitionId, campaignId, activityId)}/signup-counts`, SignupCounts),
  });

export const signupListQuery = (coalitionId: string, campaignId: string, activityId: string) =>
  queryOptions({
    queryKey: [...signupsKey(coalitionId, activityId), "list"],
    queryFn: () => api.get(`${activityPath(coalitionId, campaignId, activityId)}/signups`, SignupList),
  });

export const confirmByPhone = (coalitionId: string, campaignId: string, activityId: string, signupId: string) =>
  api.post(`${activityPath(coalitionId, campaignId, activityId)}/signups/${encodeURIComponent(signupId)}/confirm-by-phone`);

export const removeSignup = (coalitionId: string, campaignId: string, activityId: string, signupId: string) =>
  api.delete(`${activityPath(coalitionId, campaignId, activityId)}/signups/${encodeURIComponent(signupId)}`);
