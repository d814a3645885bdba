import type { MeCoalition } from "@samakki/shared/auth";
import type { DashboardCampaign, DashboardTask, DashboardUpdate, DashboardVote } from "@samakki/shared/dashboard";
import { localName, localUnit, type Named } from "@samakki/shared/local-name";
import * as paths from "@samakki/shared/paths";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "wouter";
import { Card } from "../../../components/Card.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { formatDate, formatNumber, useDateFormat } from "../../../lib/format.ts";
import { type Language, useLanguage, useT } from "../../../lib/i18n.tsx";
import { useOrganisationName } from "../../../lib/local-name.ts";
import { useMe } from "../../../lib/session.ts";
import { dashboardQuery } from "../api/dashboard.ts";

/** An organisation by its short name (an acronym, the same in both languages), else by its name in the reader's language. */
const orgLocal = (o: Named & { shortName: string | null }, lang: Language) => o.shortName || localName(o, lang);

function TaskList({ tasks, coalition, showAssignee }: { tasks: DashboardTask[]; coalition: MeCoalition; showAssignee: boolean }) {
  const t = useT();
  const { lang } = useLanguage();
  // A due date is a calendar day: shown as it is, whatever the zone.
  const day = (d: string) => formatDate(`${d}T12:00:00Z`, lang, "UTC");
  return (
    <ul className="rows">
      {tasks.map((task) => (
        <li key={task.id} className={`row${task.overdue ? " row-overdue" : ""}`}>
          <div className="row-main">
            <Link href={paths.task(coalition.id, task.id)} className="row-title">
              {task.title}
            </Link>
            <p className="row-meta">
              <span className={`badge badge-task-${task.status}`}>{t(`taskStatus.${task.status}`)}</span>{" "}
              {task.dueOn ? (
                <span className={task.overdue ? "overdue-flag" : undefined}>
                  {task.overdue ? t("dashboard.overdueSince", { date: day(task.dueOn) }) : t("dashboard.dueOn", { date: day(task.dueOn) })}
                </span>
              ) : null}
            </p>
            <p className="row-meta">
              {showAssignee || !task.mine
                ? task.assigneeOrganisation
                  ? orgLocal(task.assigneeOrganisation, lang)
                  : t("dashboard.unassigned")
                : t("dashboard.assignedToYou")}
              {showAssignee && task.assigneePerson ? ` · ${task.assigneePerson.displayName}` : ""}
              {task.campaign ? ` · ${localName(task.campaign, lang)}` : ""}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}

function MoreLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p className="card-more">
      <Link href={href}>{children}</Link>
    </p>
  );
}

function Votes({ votes, coalition }: { votes: DashboardVote[]; coalition: MeCoalition }) {
  const organisationName = useOrganisationName();
  const t = useT();
  const { dateTime } = useDateFormat(coalition.timeZone);
  return (
    <ul className="rows">
      {votes.map((v) => (
        <li key={v.statementId} className="row">
          <div className="row-main">
            <Link href={paths.statement(coalition.id, v.statementId)} className="row-title">
              {v.title}
            </Link>
            <p className="row-meta">
              <strong>{t("dashboard.closesAt", { date: dateTime(v.closesAt) })}</strong>
            </p>
            {v.organisations.map((o) => (
              <p key={o.id} className="row-meta">
                {o.hasVoted ? (
                  <span className="vote-done">✓ {t("dashboard.hasVoted", { organisation: organisationName.short(o) })}</span>
                ) : (
                  <span className="vote-todo">{t("dashboard.notVoted", { organisation: organisationName.short(o) })}</span>
                )}
              </p>
            ))}
          </div>
        </li>
      ))}
    </ul>
  );
}

function Campaigns({ campaigns, coalition }: { campaigns: DashboardCampaign[]; coalition: MeCoalition }) {
  const t = useT();
  const { lang } = useLanguage();
  const n = (x: number) => formatNumber(x, lang);
  return (
    <ul className="rows">
      {campaigns.map((c) => (
        <li key={c.id} className="row row-stack">
          <Link href={paths.campaign(coalition.id, c.id)} className="row-title">
            {localName(c, lang)}
          </Link>
          {c.metrics.length === 0 ? (
            <p className="row-meta">{t("dashboard.noMetrics")}</p>
          ) : (
            c.metrics.map((m) => (
              <div key={m.id} className="dashboard-metric">
                <p className="row-meta">
                  {localName(m, lang)}:{" "}
                  {m.target !== null && m.progress !== null
                    ? t("dashboard.metricProgress", {
                        total: n(m.total),
                        target: n(m.target),
                        unit: localUnit(m, lang),
                        percent: n(Math.round(m.progress * 100)),
                      })
                    : t("dashboard.metricTotal", { total: n(m.total), unit: localUnit(m, lang) })}
                </p>
                {m.progress !== null ? (
                  <progress className="progress" max={1} value={Math.min(1, m.progress)} aria-label={localName(m, lang)} />
                ) : null}
              </div>
            ))
          )}
        </li>
      ))}
    </ul>
  );
}

function Updates({ updates, coalition }: { updates: DashboardUpdate[]; coalition: MeCoalition }) {
  const t = useT();
  const { lang } = useLanguage();
  const { dateTime } = useDateFormat(coalition.timeZone);
  return (
    <ul className="rows">
      {updates.map((u) => (
        <li key={u.id} className="row row-stack">
          <p className="update-excerpt">{u.excerpt}</p>
          <p className="row-meta">
            <Link href={paths.campaign(coalition.id, u.campaign.id)}>{localName(u.campaign, lang)}</Link>
            {" · "}
            {t("dashboard.updateBy", { author: u.author, date: dateTime(u.createdAt) })}
          </p>
        </li>
      ))}
    </ul>
  );
}

/**
 * The dashboard: the day's work from one request. The app may still pass the older tasks and votes
 * cards; they are not shown, this page reads the same facts from GET /api/coalitions/:id/dashboard.
 */
export function DashboardPage({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const { lang } = useLanguage();
  const me = useMe();
  const dashboard = useQuery(dashboardQuery(coalition.id));
  const name = me.data?.person.displayName ?? "";
  return (
    <>
      <PageHeader title={localName(coalition, lang)} subtitle={t("dashboard.welcome", { name })} />
      {me.data && !me.data.person.emailVerified ? (
        <div className="notice notice-warning" role="status">
          <p>
            {t("dashboard.verifyEmail")} <Link href={paths.account()}>{t("nav.account")}</Link>
          </p>
        </div>
      ) : null}
      <QueryView query={dashboard}>
        {(d) => (
          <div className="grid dashboard">
            <Card title={t("dashboard.myTasksTitle")} className="dashboard-tasks">
              {d.tasks.items.length === 0 ? (
                <p className="muted">{t("dashboard.tasksEmpty")}</p>
              ) : (
                <TaskList tasks={d.tasks.items} coalition={coalition} showAssignee={false} />
              )}
              <MoreLink href={`${paths.tasks(coalition.id)}?view=organisation`}>{t("dashboard.allMyTasks")}</MoreLink>
            </Card>
            <Card title={t("dashboard.votesWaitingTitle")} className="dashboard-votes">
              {d.votes.items.length === 0 ? (
                <p className="muted">{t("dashboard.votesEmpty")}</p>
              ) : (
                <Votes votes={d.votes.items} coalition={coalition} />
              )}
              <MoreLink href={paths.statements(coalition.id)}>{t("dashboard.allStatements")}</MoreLink>
            </Card>
            {d.coalitionOverdue ? (
              <Card title={t("dashboard.coalitionOverdueTitle")} className="dashboard-overdue">
                {d.coalitionOverdue.items.length === 0 ? (
                  <p className="muted">{t("dashboard.coalitionOverdueEmpty")}</p>
                ) : (
                  <TaskList tasks={d.coalitionOverdue.items} coalition={coalition} showAssignee />
                )}
                <MoreLink href={`${paths.tasks(coalition.id)}?view=overdue`}>{t("dashboard.allOverdue")}</MoreLink>
              </Card>
            ) : null}
            <Card title={t("dashboard.campaignsTitle")} className="dashboard-campaigns">
              {d.campaigns.items.length === 0 ? (
                <p className="muted">{t("dashboard.campaignsEmpty")}</p>
              ) : (
                <Campaigns campaigns={d.campaigns.items} coalition={coalition} />
              )}
              <MoreLink href={paths.campaigns(coalition.id)}>{t("dashboard.allCampaigns")}</MoreLink>
            </Card>
            <Card title={t("dashboard.updatesTitle")} className="dashboard-updates">
              {d.updates.items.length === 0 ? (
                <p className="muted">{t("dashboard.updatesEmpty")}</p>
              ) : (
                <Updates updates={d.updates.items} coalition={coalition} />
              )}
            </Card>
          </div>
        )}
      </QueryView>
    </>
  );
}
