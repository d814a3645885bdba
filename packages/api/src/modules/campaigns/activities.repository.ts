import type { ActivityInput } from "@samakki/shared/campaigns";
import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/**
 * Activity times are entered and shown as local times of the coalition's time zone; they are
 * stored as instants (timestamptz), converted by the database with the zone's rules.
 */
const LOCAL_FORMAT = `'YYYY-MM-DD"T"HH24:MI'`;
const localInstant = (local: string, timeZone: string) => sql<Date>`(${local}::timestamp AT TIME ZONE ${timeZone})`;

/** A campaign's activities (or one), with their times in the coalition's zone, in order. */
export function activityRows(db: Executor, campaignId: string, timeZone: string, activityId?: string) {
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

/** The march stages of these activities, in order. */
export function stageRows(db: Executor, activityIds: string[]) {
  if (activityIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("march_stage")
    .where("activity_id", "in", activityIds)
    .select(["activity_id", "position", "stage_date", "from_place", "to_place", "distance_km"])
    .orderBy("activity_id")
    .orderBy("position")
    .execute();
}

/**
 * The march stages of the campaign's activities (or of one of them), in order: read by the
 * campaign's id, so at once with the activities themselves.
 */
export function campaignStageRows(db: Executor, campaignId: string, activityId?: string) {
  let query = db
    .selectFrom("march_stage as s")
    .innerJoin("activity as a", "a.id", "s.activity_id")
    .where("a.campaign_id", "=", campaignId)
    .select(["s.activity_id", "s.position", "s.stage_date", "s.from_place", "s.to_place", "s.distance_km"])
    .orderBy("s.activity_id")
    .orderBy("s.position");
  if (activityId) query = query.where("a.id", "=", activityId);
  return query.execute();
}

/** Replace an activity's stages (numbered from 1 in the given order). */
export async function replaceStages(db: Executor, activityId: string, stages: ActivityInput["stages"]): Promise<void> {
  await db.deleteFrom("march_stage").where("activity_id", "=", activityId).execute();
  if (stages.length === 0) return;
  await db
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

type ActivityFields = Pick<ActivityInput, "kind" | "title" | "startsAt" | "endsAt" | "location" | "description">;
const activityValues = (input: ActivityFields, timeZone: string) => ({
  kind: input.kind,
  title: input.title,
  starts_at: localInstant(input.startsAt, timeZone),
  ends_at: input.endsAt ? localInstant(input.endsAt, timeZone) : null,
  location: input.location,
  description: input.description,
});

export function insertActivity(db: Executor, campaignId: string, input: ActivityFields, timeZone: string) {
  return db
    .insertInto("activity")
    .values({ campaign_id: campaignId, ...activityValues(input, timeZone) })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** Whether the campaign had this activity to update. */
export async function updateActivityRow(
  db: Executor,
  campaignId: string,
  activityId: string,
  input: ActivityFields,
  timeZone: string,
): Promise<boolean> {
  const updated = await db
    .updateTable("activity")
    .set(activityValues(input, timeZone))
    .where("id", "=", activityId)
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** Whether the campaign had this activity to delete. */
export async function deleteActivityRow(db: Executor, campaignId: string, activityId: string): Promise<boolean> {
  const deleted = await db.deleteFrom("activity").where("id", "=", activityId).where("campaign_id", "=", campaignId).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}
