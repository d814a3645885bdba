import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { deliveredLettersCountSql } from "../letters/letters.repository.ts";

/**
 * The queries of the public pages. Each selects only what was published on purpose: public
 * campaigns, published statements, metric totals (never an organisation's share), updates without
 * their author, activities and march stages. No person, organisation, task or contribution row is
 * ever read here.
 */

export function findCoalitionBySlug(db: Executor, slug: string) {
  return db
    .selectFrom("coalition")
    .where("slug", "=", slug)
    .select(["id", "slug", "name", "second_name", "second_name_language", "description", "time_zone"])
    .executeTakeFirst();
}

export function publicCampaignsOf(db: Executor, coalitionId: string) {
  return db
    .selectFrom("campaign")
    .where("coalition_id", "=", coalitionId)
    .where("visibility", "=", "public")
    .select([
      "id",
      "slug",
      "title",
      "second_title",
      "second_title_language",
      "summary",
      "status",
      sql<string | null>`starts_on::text`.as("starts_on"),
      "updated_at",
    ])
    .orderBy("updated_at", "desc")
    .orderBy("id")
    .limit(100)
    .execute();
}

/** The coalition's published statements (title of the adopted version), newest first. */
export function publishedStatementTitles(db: Executor, coalitionId: string, limit = 50) {
  return db
    .selectFrom("statement as s")
    .innerJoin("vote as v", "v.id", "s.adopted_vote_id")
    .innerJoin("statement_version as sv", "sv.id", "v.version_id")
    .where("s.coalition_id", "=", coalitionId)
    .where("s.status", "=", "published")
    .select(["s.id", "sv.title", "s.published_at"])
    .orderBy("s.published_at", "desc")
    .orderBy("s.id")
    .limit(limit)
    .execute();
}

/** A public campaign by its coalition's slug and its own; undefined for anything else (unknown, members only, other coalition). */
export function findPublicCampaign(db: Executor, coalitionSlug: string, campaignSlug: string) {
  return db
    .selectFrom("campaign as ca")
    .innerJoin("coalition as co", "co.id", "ca.coalition_id")
    .where("co.slug", "=", coalitionSlug)
    .where("ca.slug", "=", campaignSlug)
    .where("ca.visibility", "=", "public")
    .select([
      "ca.id",
      "ca.slug",
      "ca.title",
      "ca.second_title",
      "ca.second_title_language",
      "ca.summary",
      "ca.description",
      "ca.goals",
      "ca.status",
      sql<string | null>`ca.starts_on::text`.as("starts_on"),
      sql<string | null>`ca.ends_on::text`.as("ends_on"),
      "ca.updated_at",
      "co.id as coalition_id",
      "co.slug as coalition_slug",
      "co.name as coalition_name",
      "co.second_name as coalition_second_name",
      "co.second_name_language as coalition_second_name_language",
      "co.time_zone",
    ])
    .executeTakeFirst();
}

export function publicActivities(db: Executor, campaignId: string) {
  return db
    .selectFrom("activity")
    .where("campaign_id", "=", campaignId)
    .select(["id", "kind", "title", "location", "description", "starts_at", "ends_at"])
    .orderBy("starts_at")
    .orderBy("id")
    .limit(200)
    .execute();
}

export function marchStagesOf(db: Executor, activityIds: string[]) {
  if (activityIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("march_stage")
    .where("activity_id", "in", activityIds)
    .select(["activity_id", "position", sql<string>`stage_date::text`.as("stage_date"), "from_place", "to_place", "distance_km"])
    .orderBy("activity_id")
    .orderBy("position")
    .execute();
}

/**
 * Each metric with its total over all contributions: the sum only, never who contributed what.
 * Grouped by m.id, the metric's primary key, so the query may name any other column of m.
 */
export function metricTotals(db: Executor, campaignId: string) {
  return db
    .selectFrom("metric as m")
    .leftJoin("contribution as k", "k.metric_id", "m.id")
    .where("m.campaign_id", "=", campaignId)
    .groupBy("m.id")
    .select([
      "m.id",
      "m.name",
      "m.second_name",
      "m.second_name_language",
      "m.unit",
      "m.second_unit",
      "m.target",
      // A metric counted from the letters records has no typed contributions: its total is the delivered letters.
      sql<string>`(CASE WHEN m.source = 'letters' THEN ${deliveredLettersCountSql(sql.ref("m.campaign_id"))} ELSE coalesce(sum(k.amount), 0) END)::text`.as(
        "total",
      ),
    ])
    .orderBy("m.created_at")
    .orderBy("m.id")
    .execute();
}

/** The campaign's updates, newest first: text and date, never the author. */
export function publicUpdates(db: Executor, campaignId: string, limit: number) {
  return db
    .selectFrom("campaign_update")
    .where("campaign_id", "=", campaignId)
    .select(["id", "body", "created_at"])
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
