import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/**
 * The campaign's metrics (or one of them), oldest first, if the campaign is the coalition's: so they
 * can be read at once with the campaign's check.
 */
export function metricRows(db: Executor, coalitionId: string, campaignId: string, metricId?: string) {
  let query = db
    .selectFrom("metric")
    .innerJoin("campaign", "campaign.id", "metric.campaign_id")
    .where("metric.campaign_id", "=", campaignId)
    .where("campaign.coalition_id", "=", coalitionId)
    .select([
      "metric.id",
      "metric.name",
      "metric.second_name",
      "metric.second_name_language",
      "metric.unit",
      "metric.second_unit",
      "metric.target",
      "metric.source",
    ])
    .orderBy("metric.created_at")
    .orderBy("metric.id");
  if (metricId) query = query.where("metric.id", "=", metricId);
  return query.execute();
}

/** Each organisation's summed contributions to these metrics, largest first. */
export function contributionShares(db: Executor, metricIds: string[]) {
  return db
    .selectFrom("contribution as c")
    .innerJoin("organisation as o", "o.id", "c.organisation_id")
    .where("c.metric_id", "in", metricIds)
    .groupBy(["c.metric_id", "o.id", "o.name", "o.short_name", "o.second_name", "o.second_name_language"])
    .select([
      "c.metric_id",
      "o.id",
      "o.name",
      "o.short_name",
      "o.second_name",
      "o.second_name_language",
      sql<string>`sum(c.amount)::text`.as("amount"),
    ])
    .orderBy(sql`sum(c.amount)`, "desc")
    .orderBy("o.name")
    .orderBy("o.id")
    .execute();
}

export function insertMetric(
  db: Executor,
  values: {
    campaign_id: string;
    name: string;
    second_name: string | null;
    second_name_language: "en" | "km" | null;
    unit: string;
    second_unit: string | null;
    target: number | null;
    source: "typed" | "letters";
  },
) {
  return db.insertInto("metric").values(values).returning("id").executeTakeFirstOrThrow();
}

export function findMetric(db: Executor, campaignId: string, metricId: string) {
  return db
    .selectFrom("metric")
    .where("id", "=", metricId)
    .where("campaign_id", "=", campaignId)
    .select(["id", "name", "source", "second_name"])
    .executeTakeFirst();
}

/** Rename a metric of the campaign (its name, its second name, its units). */
export async function updateMetricNames(
  db: Executor,
  campaignId: string,
  metricId: string,
  changes: {
    name?: string;
    second_name?: string | null;
    second_name_language?: "en" | "km" | null;
    unit?: string;
    second_unit?: string | null;
  },
): Promise<void> {
  await db.updateTable("metric").set(changes).where("id", "=", metricId).where("campaign_id", "=", campaignId).execute();
}

/** The organisation's role in the campaign, if it is involved (co-owner or participant). */
export function campaignInvolvement(db: Executor, campaignId: string, organisationId: string) {
  return db
    .selectFrom("campaign_organisation")
    .where("campaign_id", "=", campaignId)
    .where("organisation_id", "=", organisationId)
    .select("role")
    .executeTakeFirst();
}

export function insertContribution(
  db: Executor,
  values: { metric_id: string; organisation_id: string; amount: number; contributed_on: string; note: string; created_by: string },
) {
  return db.insertInto("contribution").values(values).returning(["id"]).executeTakeFirstOrThrow();
}

/** One revision of a contribution: its history, never rewritten. */
export async function insertContributionRevision(
  db: Executor,
  values: { contribution_id: string; revision: number; amount: number; contributed_on: string; note: string; changed_by: string },
): Promise<void> {
  await db.insertInto("contribution_revision").values(values).execute();
}

/** A contribution to this metric, locked for a correction. */
export function lockContribution(db: Executor, metricId: string, contributionId: string) {
  return db
    .selectFrom("contribution")
    .where("id", "=", contributionId)
    .where("metric_id", "=", metricId)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

export async function updateContribution(
  db: Executor,
  contributionId: string,
  next: { amount: number; contributed_on: string; note: string; revision: number },
): Promise<void> {
  await db.updateTable("contribution").set(next).where("id", "=", contributionId).execute();
}

/**
 * A metric's latest 500 contributions with their organisations and who recorded each (and whether
 * that person coordinates the coalition, so a report on an organisation's behalf reads as one), newest first.
 */
export function contributionRows(db: Executor, coalitionId: string, metricId: string) {
  return db
    .selectFrom("contribution as c")
    .innerJoin("organisation as o", "o.id", "c.organisation_id")
    .innerJoin("person as r", "r.id", "c.created_by")
    .where("c.metric_id", "=", metricId)
    .select((eb) => [
      "r.id as recorder_id",
      "r.display_name as recorder_name",
      eb
        .exists(
          eb
            .selectFrom("coordinator as co")
            .where("co.coalition_id", "=", coalitionId)
            .whereRef("co.person_id", "=", "r.id")
            .select("co.person_id"),
        )
        .as("recorder_coordinates"),
      "c.id",
      "c.amount",
      "c.contributed_on",
      "c.note",
      "c.created_at",
      "c.revision",
      "o.id as organisation_id",
      "o.name",
      "o.short_name",
      "o.second_name",
      "o.second_name_language",
    ])
    .orderBy("c.contributed_on", "desc")
    .orderBy("c.created_at", "desc")
    .limit(500)
    .execute();
}
