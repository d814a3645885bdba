import type { MeCoalition } from "@samakki/shared/auth";
import { type Campaign, CampaignStatus } from "@samakki/shared/campaigns";
import * as paths from "@samakki/shared/paths";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { InlineSelectForm } from "../../../components/InlineSelectForm.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { allAnswered, QueryView } from "../../../components/QueryView.tsx";
import { ErrorBoundary, ErrorNotice, Loading } from "../../../components/Status.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { useLocalName, useOrganisationName } from "../../../lib/local-name.ts";
import { useTimeZoneNamesReady } from "../../../lib/time-zones.ts";
import {
  activitiesQuery,
  campaignListsKey,
  campaignQuery,
  campaignTasksQuery,
  metricsQuery,
  updateCampaign,
  updatesQuery,
} from "../api/campaigns.ts";
import { Activities } from "./Activities.tsx";
import { Metrics } from "./Metrics.tsx";
import { ApiHtml, CampaignStatusBadge, DateRange, useLocalFormat } from "./shared.tsx";
import { Updates } from "./Updates.tsx";

function StatusForm({ coalitionId, campaign }: { coalitionId: string; campaign: Campaign }) {
  const t = useT();
  const client = useQueryClient();
  return (
    <InlineSelectForm
      label={t("campaigns.changeStatus")}
      value={campaign.status}
      options={CampaignStatus.options.map((s) => ({ value: s, label: t(`campaignStatus.${s}`) }))}
      save={(status) => updateCampaign(coalitionId, campaign.id, { status: CampaignStatus.parse(status) })}
      onSaved={(updated) => {
        client.setQueryData(campaignQuery(coalitionId, campaign.id).queryKey, updated);
        void client.invalidateQueries({ queryKey: campaignListsKey(coalitionId) });
      }}
    />
  );
}

function Overview({ coalition, campaign }: { coalition: MeCoalition; campaign: Campaign }) {
  const organisationName = useOrganisationName();
  const t = useT();
  return (
    <Card title={t("campaigns.overview")} className="span-2">
      <p className="row-meta">
        <CampaignStatusBadge status={campaign.status} />{" "}
        <span className="badge">
          {campaign.visibility === "public" ? t("campaigns.visibilityPublic") : t("campaigns.visibilityMembers")}
        </span>{" "}
        <DateRange start={campaign.startsOn} end={campaign.endsOn} />
      </p>
      {campaign.visibility === "public" ? (
        <p>
          {/* A server-rendered page outside the app: a plain link, not the router's. */}
          <a className="lone-link" href={paths.publicCampaign(coalition.slug, campaign.slug)}>
            {t("campaigns.viewPublicPage")}
          </a>
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("campaigns.owners")}</dt>
        <dd>{campaign.owners.map((o) => organisationName.full(o)).join(", ")}</dd>
        {campaign.participants.length > 0 ? (
          <>
            <dt>{t("campaigns.participants")}</dt>
            <dd>{campaign.participants.map((o) => organisationName.full(o)).join(", ")}</dd>
          </>
        ) : null}
      </dl>
      {campaign.descriptionHtml ? <ApiHtml html={campaign.descriptionHtml} /> : <p className="muted">{t("campaigns.noDescription")}</p>}
      {campaign.goals ? (
        <>
          <h3>{t("campaigns.goals")}</h3>
          <p className="prose">{campaign.goals}</p>
        </>
      ) : null}
      {campaign.canEdit ? <StatusForm coalitionId={coalition.id} campaign={campaign} /> : null}
    </Card>
  );
}

function CampaignTasks({ coalition, campaign }: { coalition: MeCoalition; campaign: Campaign }) {
  const organisationName = useOrganisationName();
  const t = useT();
  const { day } = useLocalFormat();
  const tasks = useInfiniteQuery(campaignTasksQuery(coalition.id, campaign.id));
  const items = tasks.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card
      title={t("campaigns.tasks")}
      actions={
        <span className="action-group">
          <Link href={`~${paths.taskBoard(coalition.id, campaign.id)}`} className="btn btn-secondary btn-small">
            {t("campaigns.openBoard")}
          </Link>
          {campaign.canEdit ? (
            <Link href={`~${paths.newTask(coalition.id, campaign.id)}`} className="btn btn-secondary btn-small">
              {t("campaigns.newTask")}
            </Link>
          ) : null}
        </span>
      }
    >
      <QueryView query={tasks} empty={t("campaigns.tasksEmpty")} isEmpty={() => items.length === 0}>
        {() => (
          <ul className="rows">
            {items.map((task) => (
              <li key={task.id} className={`row${task.overdue ? " row-overdue" : ""}`}>
                <div className="row-main">
                  <Link href={`~${paths.task(coalition.id, task.id)}`} className="row-title">
                    {task.title}
                  </Link>
                  <p className="row-meta">
                    <span className={`badge badge-task-${task.status}`}>{t(`taskStatus.${task.status}`)}</span>{" "}
                    {task.assigneeOrganisation ? organisationName.full(task.assigneeOrganisation) : t("tasks.unassigned")}
                    {task.assigneePerson ? ` · ${task.assigneePerson.displayName}` : ""}
                    {task.dueOn ? ` · ${t("tasks.due", { date: day(task.dueOn) })}` : ""}
                    {task.overdue ? <strong className="overdue-flag"> {t("tasks.overdue")}</strong> : null}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      {tasks.hasNextPage ? (
        <div className="form-actions">
          <Button variant="secondary" small pending={tasks.isFetchingNextPage} onClick={() => void tasks.fetchNextPage()}>
            {t("common.loadMore")}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

/** A campaign with its activities, metrics, updates and tasks; each part fails on its own. */
export function CampaignPage({ coalition, campaignId }: { coalition: MeCoalition; campaignId: string }) {
  const t = useT();
  const localName = useLocalName();
  const query = useQuery(campaignQuery(coalition.id, campaignId));
  // Drawn once every card has its answer (see allAnswered): on a phone they stand one above
  // the other, and one filled in late moved the "New task" link under the finger about to tap
  // it. A failed card shows its error in place. The activities' form names the coalition's time
  // zone under its times: on a Khmer page, in words that come in a file of their own.
  const zoneNames = useTimeZoneNamesReady();
  const cards = allAnswered(
    useQuery(metricsQuery(coalition.id, campaignId)),
    useInfiniteQuery(campaignTasksQuery(coalition.id, campaignId)),
    useQuery(activitiesQuery(coalition.id, campaignId)),
    useInfiniteQuery(updatesQuery(coalition.id, campaignId)),
  );
  // A campaign that is not there (or not this person's to see) says so at once: its cards, asked
  // for at the same time to save a round trip, have nothing to wait for.
  if (query.isError) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending || !cards || !zoneNames) return <Loading />;
  const campaign = query.data;
  return (
    <>
      <p className="crumbs">
        <Link href="/">{t("campaigns.allCampaigns")}</Link>
      </p>
      <PageHeader
        title={localName(campaign)}
        subtitle={campaign.summary || undefined}
        actions={
          <>
            <Link href={`/${campaign.id}/petition`} className="btn btn-secondary">
              {t("petitions.title")}
            </Link>
            {campaign.canEdit ? (
              <Link href={`/${campaign.id}/edit`} className="btn btn-secondary">
                {t("campaigns.edit")}
              </Link>
            ) : null}
          </>
        }
      />
      <p>
        <Link href={`~${paths.campaignLetters(coalition.id, campaign.id)}`} className="btn btn-secondary btn-small">
          {t("letters.campaign.link")}
        </Link>
      </p>
      <div className="grid">
        <ErrorBoundary>
          <Overview coalition={coalition} campaign={campaign} />
        </ErrorBoundary>
        <ErrorBoundary>
          <Metrics coalition={coalition} campaign={campaign} />
        </ErrorBoundary>
        <ErrorBoundary>
          <CampaignTasks coalition={coalition} campaign={campaign} />
        </ErrorBoundary>
        <ErrorBoundary>
          <Activities coalition={coalition} campaign={campaign} />
        </ErrorBoundary>
        <ErrorBoundary>
          <Updates coalition={coalition} campaign={campaign} />
        </ErrorBoundary>
      </div>
    </>
  );
}
