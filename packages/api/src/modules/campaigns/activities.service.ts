import type { Activity, ActivityInput } from "@samakki/shared/campaigns";
import { createEvents, type EventAttributes } from "ics";
import { sql } from "kysely";
import { notFound, validationFailed } from "../../lib/errors.ts";
import { renderMarkdown } from "../../lib/markdown.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { loadCampaign, requireCampaignEditor } from "./campaigns.access.ts";
import type { Ctx } from "./campaigns.service.ts";

/**
 * Activity times are entered and shown as local times of the coalition's time zone; they are
 * stored as instants (timestamptz), converted by the database with the zone's rules.
 */
const LOCAL_FORMAT = `'YYYY-MM-DD"T"HH24:MI'`;

function activityRows(db: Executor, campaignId: string, timeZone: string, activityId?: string) {
  let query = db
    .selectFrom("activity")
    .where("campaign_id", "=", campaignId)
    .select([
      "id",
      "kind",
      "title",
      "location",
      "description",
      "starts_at",
      "ends_at",
      sql<string>`to_char(starts_at AT TIME ZONE ${timeZone}, ${sql.raw(LOCAL_FORMAT)})`.as("starts_local"),
      sql<string | null>`to_char(ends_at AT TIME ZONE ${timeZone}, ${sql.raw(LOCAL_FORMAT)})`.as("ends_local"),
    ])
    .orderBy("starts_at")
    .orderBy("id");
  if (activityId) query = query.where("id", "=", activityId);
  return query.execute();
}

export async function listActivities(ctx: Ctx, campaignId: string): Promise<Activity[]> {
  const { db } = ctx.deps;
  await loadCampaign(db, ctx.access, campaignId);
  return buildActivities(db, campaignId, ctx.access.timeZone);
}

async function buildActivities(db: Executor, campaignId: string, timeZone: string, activityId?: string): Promise<Activity[]> {
  const rows = await activityRows(db, campaignId, timeZone, activityId);
  const stages = rows.length
    ? await db
        .selectFrom("march_stage")
        .where(
          "activity_id",
          "in",
          rows.map((r) => r.id),
        )
        .select(["activity_id", "position", "stage_date", "from_place", "to_place", "distance_km"])
        .orderBy("activity_id")
        .orderBy("position")
        .execute()
    : [];
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

async function writeStages(trx: Executor, activityId: string, stages: ActivityInput["stages"]) {
  await trx.deleteFrom("march_stage").where("activity_id", "=", activityId).execute();
  if (stages.length === 0) return;
  await trx
    .insertInto("march_stage")
    .values(
      stages.map((s, i) => ({
        activity_id: activityId,
        position: i + 1,
        stage_date: s.date,
        from_place: s.from,
        to_place: s.to,
        distance_km: s.distanceKm,
      })),
    )
    .execute();
}

export async function createActivity(ctx: Ctx, campaignId: string, input: ActivityInput): Promise<Activity> {
  checkActivity(input);
  const tz = ctx.access.timeZone;
  return withTransaction(ctx.deps.db, async (trx) => {
    await requireCampaignEditor(trx, ctx.access, campaignId);
    const row = await trx
      .insertInto("activity")
      .values({
        campaign_id: campaignId,
        kind: input.kind,
        title: input.title,
        starts_at: sql<Date>`(${input.startsAt}::timestamp AT TIME ZONE ${tz})`,
        ends_at: input.endsAt ? sql<Date>`(${input.endsAt}::timestamp AT TIME ZONE ${tz})` : null,
        location: input.location,
        description: input.description,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeStages(trx, row.id, input.stages);
    await trx.updateTable("campaign").set({ updated_at: new Date() }).where("id", "=", campaignId).execute();
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
    const updated = await trx
      .updateTable("activity")
      .set({
        kind: input.kind,
        title: input.title,
        starts_at: sql<Date>`(${input.startsAt}::timestamp AT TIME ZONE ${tz})`,
        ends_at: input.endsAt ? sql<Date>`(${input.endsAt}::timestamp AT TIME ZONE ${tz})` : null,
        location: input.location,
        description: input.description,
      })
      .where("id", "=", activityId)
      .where("campaign_id", "=", campaignId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw notFound("activity");
    await writeStages(trx, activityId, input.stages);
    await trx.updateTable("campaign").set({ updated_at: new Date() }).where("id", "=", campaignId).execute();
    const [activity] = await buildActivities(trx, campaignId, tz, activityId);
    if (!activity) throw notFound("activity");
    return activity;
  });
}

export async function deleteActivity(ctx: Ctx, campaignId: string, activityId: string) {
  await withTransaction(ctx.deps.db, async (trx) => {
    await requireCampaignEditor(trx, ctx.access, campaignId);
    const deleted = await trx.deleteFrom("activity").where("id", "=", activityId).where("campaign_id", "=", campaignId).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound("activity");
    await trx.updateTable("campaign").set({ updated_at: new Date() }).where("id", "=", campaignId).execute();
  });
}

const utcParts = (d: Date): [number, number, number, number, number] => [
  d.getUTCFullYear(),
  d.getUTCMonth() + 1,
  d.getUTCDate(),
  d.getUTCHours(),
  d.getUTCMinutes(),
];

/** The campaign's activities as an iCalendar file (the `ics` library), times in UTC. */
export async function activitiesCalendar(ctx: Ctx, campaignId: string, publicUrl: string): Promise<string> {
  const { db } = ctx.deps;
  const campaign = await loadCampaign(db, ctx.access, campaignId);
  const rows = await activityRows(db, campaignId, ctx.access.timeZone);
  if (rows.length === 0) return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:samakki\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n";
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
    url: `${publicUrl}/c/${ctx.access.coalitionId}/campaigns/${campaignId}`,
    categories: [r.kind],
  }));
  const { error, value } = createEvents(events);
  if (error || !value) throw error ?? new Error("calendar generation failed");
  return value;
}
