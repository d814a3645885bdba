import { OPEN_TASK_STATUSES } from "@samakki/shared/tasks";
import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { deliveredLettersCountSql } from "../letters/letters.repository.ts";
import { selectTaskSummaries, todayIn } from "../tasks/tasks.repository.ts";

const NONE = "00000000-0000-0000-0000-000000000000";

/** Open tasks with their campaign, organisation and person names, as the task list reads them. */
const openTasks = (db: Executor, coalitionId: string, timeZone: string) =>
  selectTaskSummaries(db, coalitionId, timeZone).where("t.status", "in", [...OPEN_TASK_STATUSES]);

export type DashboardTaskRow = Awaited<ReturnType<typeof myTasks>>[number];

/**
 * Open tasks assigned to the person or to one of their organisations: overdue first, then by due date
 * (undated last), then the latest changed. Reads task_assignee_person_idx / task_assignee_organisation_idx.
 */
export function myTasks(
  db: Executor,
  f: { coalitionId: string; timeZone: string; personId: string; organisationIds: string[]; limit: number },
) {
  const orgs = f.organisationIds.length ? f.organisationIds : [NONE];
  return openTasks(db, f.coalitionId, f.timeZone)
    .where((eb) => eb.or([eb("t.assignee_person_id", "=", f.personId), eb("t.assignee_organisation_id", "in", orgs)]))
    .orderBy(sql`(t.due_on IS NOT NULL AND t.due_on < ${todayIn(f.timeZone)})`, "desc")
    .orderBy(sql`t.due_on ASC NULLS LAST`)
    .orderBy("t.updated_at", "desc")
    .orderBy("t.id", "desc")
    .limit(f.limit + 1)
    .execute();
}

/** Overdue open tasks anywhere in the coalition, the oldest due date first (task_open_due_idx). */
export function overdueTasks(db: Executor, f: { coalitionId: string; timeZone: string; limit: number }) {
  return openTasks(db, f.coalitionId, f.timeZone)
    .where("t.due_on", "<", todayIn(f.timeZone))
    .orderBy("t.due_on", "asc")
    .orderBy("t.id", "asc")
    .limit(f.limit + 1)
    .execute();
}

/**
 * Open votes of the coalition waiting for the ballot of one of `organisationIds`, one row per (vote,
 * eligible organisation among them), with whether that organisation has a counted ballot. Nothing
 * about other organisations' ballots.
 */
export function openVotesFor(db: Executor, f: { coalitionId: string; organisationIds: string[]; limit: number }) {
  if (f.organisationIds.length === 0) return Promise.resolve([]);
  return (
    db
      .selectFrom("vote as v")
      .innerJoin("vote_eligible as e", "e.vote_id", "v.id")
      .innerJoin("statement as s", "s.id", "v.statement_id")
      .innerJoin("organisation as o", "o.id", "e.organisation_id")
      .where("v.coalition_id", "=", f.coalitionId)
      .where("s.coalition_id", "=", f.coalitionId)
      .where("v.status", "=", "open")
      .where("e.organisation_id", "in", f.organisationIds)
      // Only votes still waiting for a ballot of one of these organisations, so voted ones never crowd them out.
      .where(
        sql<boolean>`EXISTS (SELECT 1 FROM vote_eligible w WHERE w.vote_id = v.id AND w.organisation_id IN (${sql.join(f.organisationIds)})
        AND NOT EXISTS (SELECT 1 FROM ballot wb WHERE wb.vote_id = v.id AND wb.organisation_id = w.organisation_id AND wb.superseded_at IS NULL))`,
      )
      .select([
        "v.id as vote_id",
        "v.closes_at",
        "s.id as statement_id",
        "s.title",
        "o.id as organisation_id",
        "o.name as organisation_name",
        "o.short_name as organisation_short_name",
        "o.second_name as organisation_second_name",
        "o.second_name_language as organisation_second_name_language",
        sql<boolean>`EXISTS (SELECT 1 FROM ballot b WHERE b.vote_id = v.id AND b.organisation_id = e.organisation_id AND b.superseded_at IS NULL)`.as(
          "has_voted",
        ),
      ])
      .orderBy("v.closes_at", "asc")
      .orderBy("v.id", "asc")
      .orderBy("o.name", "asc")
      .limit(f.limit)
      .execute()
  );
}

/** The coalition's active campaigns, the latest changed first (campaign_coalition_updated_idx). */
export function activeCampaigns(db: Executor, f: { coalitionId: string; limit: number }) {
  return db
    .selectFrom("campaign")
    .where("coalition_id", "=", f.coalitionId)
    .where("status", "=", "active")
    .select(["id", "title", "second_title", "second_title_language"])
    .orderBy("updated_at", "desc")
    .orderBy("id", "desc")
    .limit(f.limit + 1)
    .execute();
}

/**
 * The metrics of these campaigns with their totals (metric_campaign_idx, contribution_metric_idx).
 * Grouped by m.id, the metric's primary key, so the query may name any other column of m.
 */
export function metricTotals(db: Executor, campaignIds: string[]) {
  if (campaignIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("metric as m")
    .leftJoin("contribution as c", "c.metric_id", "m.id")
    .where("m.campaign_id", "in", campaignIds)
    .groupBy("m.id")
    .select([
      "m.id",
      "m.campaign_id",
      "m.name",
      "m.second_name",
      "m.second_name_language",
      "m.unit",
      "m.second_unit",
      sql<string | null>`m.target::text`.as("target"),
      // A metric counted from the letters records has no typed contributions: its total is the delivered letters.
      sql<string>`(CASE WHEN m.source = 'letters' THEN ${deliveredLettersCountSql(sql.ref("m.campaign_id"))} ELSE coalesce(sum(c.amount), 0) END)::text`.as(
        "total",
      ),
    ])
    .orderBy("m.created_at", "asc")
    .orderBy("m.id", "asc")
    .execute();
}

/**
 * The latest campaign updates of the coalition: the newest few of each campaign through
 * campaign_update_campaign_idx (a lateral join per campaign), then the newest overall.
 */
export async function latestUpdates(db: Executor, f: { coalitionId: string; limit: number }) {
  const result = await sql<{
    id: string;
    campaign_id: string;
    campaign_title: string;
    campaign_second_title: string | null;
    campaign_second_title_language: "en" | "km" | null;
    body: string;
    created_at: Date;
    author: string;
  }>`
    SELECT u.id, c.id AS campaign_id, c.title AS campaign_title, c.second_title AS campaign_second_title,
      c.second_title_language AS campaign_second_title_language, u.body, u.created_at, p.display_name AS author
    FROM campaign c
    CROSS JOIN LATERAL (
      SELECT cu.id, cu.body, cu.created_at, cu.author_id FROM campaign_update cu
      WHERE cu.campaign_id = c.id ORDER BY cu.created_at DESC, cu.id DESC LIMIT ${f.limit + 1}
    ) u
    JOIN person p ON p.id = u.author_id
    WHERE c.coalition_id = ${f.coalitionId}
    ORDER BY u.created_at DESC, u.id DESC
    LIMIT ${f.limit + 1}`.execute(db);
  return result.rows;
}
