import type { Activity, ActivityInput } from "@samakki/shared/campaigns";
import { formatNumber } from "@samakki/shared/i18n/format";
import { translate } from "@samakki/shared/i18n/index";
import { createEvents, type EventAttributes } from "ics";
import { notFound, validationFailed } from "../../lib/errors.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
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
  const rows = await repo.activityRows(db, campaignId, timeZone, activityId);
  const stages = await repo.stageRows(
    db,
    rows.map((r) => r.id),
  );
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

export async function updateActivity(ctx: Ctx, campaignId: string, activityId: string, input: ActivityInput): Promise<Activity> {
  checkActivity(input);
  const tz = ctx.access.timeZone;
  return withTransaction(ctx.deps.db, async (trx) => {
    await requireCampaignEditor(trx, ctx.access, campaignId);
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

const utcParts = (d: Date): [number, number, number, number, number] => [
  d.getUTCFullYear(),
  d.getUTCMonth() + 1,
  d.getUTCDate(),
  d.getUTCHours(),
  d.getUTCMinutes(),
];

/**
 * The campaign's activities as an iCalendar file (the `ics` library), times in UTC, and each march
 * stage as an all-day event of its own date.
 */
export async function activitiesCalendar(ctx: Ctx, campaignId: string, publicUrl: string): Promise<string> {
  const { db } = ctx.deps;
  const campaign = await loadCampaign(db, ctx.access, campaignId);
  const rows = await repo.activityRows(db, campaignId, ctx.access.timeZone);
  if (rows.length === 0) return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:samakki\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n";
  const stages = await repo.stageRows(
    db,
    rows.filter((r) => r.kind === "march").map((r) => r.id),
  );
  const url = `${publicUrl}/c/${ctx.access.coalitionId}/campaigns/${campaignId}`;
  // A march's stages are days of their own: one all-day event each, named in the reader's language.
  const stageEvents: EventAttributes[] = stages.map((s) => {
    const march = rows.find((r) => r.id === s.activity_id);
    const [y, m, d] = s.stage_date.split("-").map(Number);
    return {
      uid: `${s.activity_id}-stage-${s.position}@samakki`,
      title: translate(ctx.person.language, "campaigns.icsStage", {
        march: march?.title ?? "",
        n: s.position,
        from: s.from_place,
        to: s.to_place,
        km: formatNumber(Number(s.distance_km), ctx.person.language),
      }),
      start: [y ?? 1970, m ?? 1, d ?? 1],
      duration: { days: 1 },
      calName: campaign.title,
      url,
      categories: ["march", "stage"],
    };
  });
  const events: EventAttributes[] = rows.map((r) => ({
    uid: `${r.id}@samakki`,
    title: r.title,
    description: r.description,
    location: r.location || undefined,
    start: utcParts(r.starts_at),
    startInputType: "utc",
    startOutputType: "utc",
    ...(r.ends_at ? { end: utcParts(r.ends_at), endInputType: "utc" as const, endOutputType: "utc" as const } : { duration: { hours: 1 } }),
    calName: campaign.title,
    url,
    categories: [r.kind],
  }));
  const { error, value } = createEvents([...events, ...stageEvents]);
  if (error || !value) throw error ?? new Error("calendar generation failed");
  return value;
}
