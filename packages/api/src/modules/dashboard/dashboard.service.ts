import { DASHBOARD_LIMITS, type Dashboard, type DashboardTask, type DashboardVote } from "@samakki/shared/dashboard";
import { secondNameOf } from "@samakki/shared/names";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { organisationRef } from "../organisations/organisation-ref.ts";
import { toSummary } from "../tasks/tasks.service.ts";
import * as repo from "./dashboard.repository.ts";

const EXCERPT = 240;

function toTask(r: repo.DashboardTaskRow, personId: string): DashboardTask {
  const { labels: _labels, updatedAt: _updatedAt, ...task } = toSummary(r);
  return { ...task, mine: r.assignee_person_id === personId };
}

/** `rows` was read with limit + 1: the first `limit`, and whether there were more. */
function cut<T>(rows: T[], limit: number): { items: T[]; more: boolean } {
  return { items: rows.slice(0, limit), more: rows.length > limit };
}

/** Markdown to a short line of plain text: the dashboard shows no HTML of updates. */
function excerpt(body: string): string {
  const text = body
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`#>~]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1).trimEnd()}…` : text;
}

function groupVotes(rows: Awaited<ReturnType<typeof repo.openVotesFor>>): DashboardVote[] {
  const votes = new Map<string, DashboardVote>();
  for (const r of rows) {
    const vote = votes.get(r.vote_id) ?? {
      statementId: r.statement_id,
      title: r.title,
      closesAt: new Date(r.closes_at).toISOString(),
      organisations: [],
    };
    vote.organisations.push({
      ...organisationRef(r.organisation_id, {
        name: r.organisation_name,
        short_name: r.organisation_short_name,
        second_name: r.organisation_second_name,
        second_name_language: r.organisation_second_name_language,
      }),
      hasVoted: Boolean(r.has_voted),
    });
    votes.set(r.vote_id, vote);
  }
  return [...votes.values()];
}

/**
 * The day's work in one answer, every list bounded and scoped by the coalition of the policy and
 * the person's organisations in it (observers included: they see tasks and campaigns, and are
 * never eligible to vote).
 */
export async function getDashboard(ctx: CoalitionCtx): Promise<Dashboard> {
  const { db } = ctx.deps;
  const { coalitionId, timeZone, organisationIds, isCoordinator } = ctx.access;
  const L = DASHBOARD_LIMITS;
  const [tasks, overdue, voteRows, campaigns, updates] = await Promise.all([
    repo.myTasks(db, { coalitionId, timeZone, personId: ctx.person.id, organisationIds, limit: L.tasks }),
    isCoordinator ? repo.overdueTasks(db, { coalitionId, timeZone, limit: L.coalitionOverdue }) : Promise.resolve(null),
    // One row per (vote, organisation): read enough rows for L.votes + 1 votes of all my organisations.
    repo.openVotesFor(db, { coalitionId, organisationIds, limit: (L.votes + 1) * Math.max(1, organisationIds.length) }),
    repo.activeCampaigns(db, { coalitionId, limit: L.campaigns }),
    repo.latestUpdates(db, { coalitionId, limit: L.updates }),
  ]);
  const shownCampaigns = campaigns.slice(0, L.campaigns);
  const metrics = await repo.metricTotals(
    db,
    shownCampaigns.map((c) => c.id),
  );
  return {
    tasks: cut(
      tasks.map((r) => toTask(r, ctx.person.id)),
      L.tasks,
    ),
    coalitionOverdue: overdue
      ? cut(
          overdue.map((r) => toTask(r, ctx.person.id)),
          L.coalitionOverdue,
        )
      : null,
    votes: cut(groupVotes(voteRows), L.votes),
    campaigns: {
      items: shownCampaigns.map((c) => ({
        id: c.id,
        title: c.title,
        secondTitle: secondNameOf(c.second_title, c.second_title_language),
        metrics: metrics
          .filter((m) => m.campaign_id === c.id)
          .slice(0, L.metricsPerCampaign)
          .map((m) => {
            const total = Number(m.total);
            const target = m.target === null ? null : Number(m.target);
            return {
              id: m.id,
              name: m.name,
              secondName: secondNameOf(m.second_name, m.second_name_language),
              unit: m.unit,
              secondUnit: m.second_unit,
              total,
              target,
              progress: target ? total / target : null,
            };
          }),
      })),
      more: campaigns.length > L.campaigns,
    },
    updates: cut(
      updates.map((u) => ({
        id: u.id,
        campaign: {
          id: u.campaign_id,
          title: u.campaign_title,
          secondTitle: secondNameOf(u.campaign_second_title, u.campaign_second_title_language),
        },
        author: u.author,
        excerpt: excerpt(u.body),
        createdAt: new Date(u.created_at).toISOString(),
      })),
      L.updates,
    ),
  };
}
