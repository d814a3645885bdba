import type { Activity, ActivityInput } from "@samakki/shared/campaigns";
import * as paths from "@samakki/shared/paths";
import { notFound, validationFailed } from "../../lib/errors.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { activityEvents, calendarText, EMPTY_CALENDAR } from "./activities.calendar.ts";
import * as repo from "./activities.repository.ts";
import { loadCampaign, requireCampaignEditor } from "./campaigns.access.ts";
import { touchCampaign } from "./campaigns.repository.ts";
import type { Ctx } from "./campaigns.service.ts";

export async function listActivities(ctx: Ctx, campaignId: string): Promise<Activity[]> {
  const { db } = ctx.deps;
  await loadCampaign(db, ctx.access, campaignId);
  return buildActivities(db, campaignId, ctx.access.timeZone);
}

async function buildActivities(db: Executor, campaignId: string, timeZone: string, activityId?: string): Promise<Activity[]> {
  const [rows, stages] = await Promise.all([
    repo.activityRows(db, campaignId, timeZone, activityId),
    repo.campaignStageRows(db, campaignId, activityId),
  ]);
  return rows.map((r) => {
    const own = stages
      .filter((s) => s.activity_id === r.id)
      .map((s) => ({ position: s.position, date: s.stage_date, from: s.from_place, to: s.to_place, distanceKm: Number(s.distance_km) }));
    return {
      id: r.id,
      kind: r.kind,
      title: r.title,
      startsAt: r.starts_local,
      endsAt: r.ends_local,
      location: r.location,
      description: r.description,
      descriptionHtml: renderMarkdown(r.description),
      stages: own,
      // Summed in hundredths, so 0.1 + 0.2 km shows as 0.3.
      totalDistanceKm: own.reduce((sum, s) => sum + Math.round(s.distanceKm * 100), 0) / 100,
    };
  });
}

function checkActivity(input: ActivityInput) {
  if (input.endsAt && input.endsAt < input.startsAt) throw validationFailed([{ path: "endsAt", message: "validation.before_start" }]);
  if (input.kind !== "march" && input.stages.length > 0)
    throw validationFailed([{ path: "stages", message: "validation.only_marches_have_stages" }]);
}

export async function createActivity(ctx: Ctx, campaignId: string, input: ActivityInput): Promise<Activity> {
  checkActivity(input);
  const tz = ctx.access.timeZone;
  return withTransaction(ctx.deps.db, async (trx) => {
    await requireCampaignEditor(trx, ctx.access, campaignId);
    const row = await repo.insertActivity(trx, campaignId, input, tz);
    await repo.replaceStages(trx, row.id, input.stages);
    await touchCampaign(trx, campaignId);
    const [activity] = await buildActivities(trx, campaignId, tz, row.id);
    if (!activity) throw notFound("activity");
    return activity;
  });
}

/** Whether `input` says exactly what the activity already is. */
function sameActivity(activity: Activity, input: ActivityInput): boolean {
  return (
    activity.kind === input.kind &&
    activity.title === input.title &&
    activity.startsAt === input.startsAt &&
    activity.endsAt === (input.endsAt ?? null) &&
    activity.location === input.location &&
    activity.description === input.description &&
    activity.stages.length === input.stages.length &&
    activity.stages.every((s, i) => {
      const wanted = input.stages[i];
      return (
        wanted !== undefined && s.date === wanted.date && s.from === wanted.from && s.to === wanted.to && s.distanceKm === wanted.distanceKm
      );
    })
  );
}

export async function updateActivity(ctx: Ctx, campaignId: string, activityId: string, input: ActivityInput): Promise<Activity> {
  checkActivity(input);
  const tz = ctx.access.timeZone;
  return withTransaction(ctx.deps.db, async (trx) => {
    await requireCampaignEditor(trx, ctx.access, campaignId);
    const [before] = await buildActivities(trx, campaignId, tz, activityId);
    if (!before) throw notFound("activity");
    // The same activity sent again (a form saved unchanged) writes nothing: the campaign keeps its place in "recently changed".
    if (sameActivity(before, input)) return before;
    if (!(await repo.updateActivityRow(trx, campaignId, activityId, input, tz))) throw notFound("activity");
    await repo.replaceStages(trx, activityId, input.stages);
    await touchCampaign(trx, campaignId);
    const [activity] = await buildActivities(trx, campaignId, tz, activityId);
    if (!activity) throw notFound("activity");
    return activity;
  });
}

export async function deleteActivity(ctx: Ctx, campaignId: string, activityId: string) {
  await withTransaction(ctx.deps.db, async (trx) => {
    await requireCampaignEditor(trx, ctx.access, campaignId);
    if (!(await repo.deleteActivityRow(trx, campaignId, activityId))) throw notFound("activity");
    await touchCampaign(trx, campaignId);
  });
}

/**
 * The campaign's activities as an iCalendar file (activities.calendar.ts), times in UTC, and each
 * march stage as an all-day event of its own date.
 */
export async function activitiesCalendar(ctx: Ctx, campaignId: string, publicUrl: string): Promise<string> {
  const { db } = ctx.deps;
  const campaign = await loadCampaign(db, ctx.access, campaignId);
  const [rows, allStages] = await Promise.all([
    repo.activityRows(db, campaignId, ctx.access.timeZone),
    repo.campaignStageRows(db, campaignId),
  ]);
  if (rows.length === 0) return EMPTY_CALENDAR;
  // Stages count for marches only.
  const marches = new Set(rows.filter((r) => r.kind === "march").map((r) => r.id));
  const stages = allStages.filter((s) => marches.has(s.activity_id));
  const url = `${publicUrl}${paths.campaign(ctx.access.coalitionId, campaignId)}`;
  return calendarText(activityEvents(rows, stages, { language: ctx.person.language, calName: campaign.title, url }));
}
