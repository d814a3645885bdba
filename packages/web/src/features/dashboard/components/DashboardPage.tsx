import type { MeCoalition } from "@samakki/shared/auth";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "wouter";
import { Card } from "../../../components/Card.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { formatNumber } from "../../../lib/format.ts";
import { useEnumLabel, useLanguage, useT } from "../../../lib/i18n.tsx";
import { useMe } from "../../../lib/session.ts";
import { memberSummaryQuery } from "../api/member-summary.ts";

function MembersCard({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const { lang } = useLanguage();
  const label = useEnumLabel();
  const members = useQuery(memberSummaryQuery(coalition.id));
  const counts = new Map<string, number>();
  for (const m of members.data ?? []) counts.set(m.status, (counts.get(m.status) ?? 0) + 1);
  return (
    <Card title={t("dashboard.membersTitle")}>
      {members.isPending ? (
        <Loading />
      ) : members.isError ? (
        <ErrorNotice error={members.error} />
      ) : (
        <>
          <p className="big-number">
            {formatNumber(counts.get("active") ?? 0, lang)} <span>{t("dashboard.activeOrganisations")}</span>
          </p>
          <ul className="inline-list">
            {["invited", "observer", "suspended"].map((s) =>
              counts.get(s) ? (
                <li key={s}>
                  {label("status", s)}: {formatNumber(counts.get(s) ?? 0, lang)}
                </li>
              ) : null,
            )}
          </ul>
        </>
      )}
      <p>
        <Link href={`/c/${coalition.id}/members`}>
          {coalition.isCoordinator ? t("dashboard.manageMembers") : t("dashboard.seeMembers")}
        </Link>
      </p>
    </Card>
  );
}

/** The dashboard; the app passes in the cards of other features (tasks, votes), which a feature may not import itself. */
export function DashboardPage({
  coalition,
  tasksCard,
  votesCard,
}: {
  coalition: MeCoalition;
  tasksCard?: ReactNode;
  votesCard?: ReactNode;
}) {
  const t = useT();
  const label = useEnumLabel();
  const me = useMe();
  const name = me.data?.person.displayName ?? "";
  return (
    <>
      <PageHeader title={coalition.name} subtitle={t("dashboard.welcome", { name })} />
      {me.data && !me.data.person.emailVerified ? (
        <div className="notice notice-warning" role="status">
          <p>
            {t("dashboard.verifyEmail")} <Link href="/account">{t("nav.account")}</Link>
          </p>
        </div>
      ) : null}
      <div className="grid">
        {tasksCard ?? (
          <Card title={t("dashboard.tasksTitle")}>
            <p className="muted">{t("dashboard.tasksPlaceholder")}</p>
          </Card>
        )}
        {votesCard ?? (
          <Card title={t("dashboard.votesTitle")}>
            <p className="muted">{t("dashboard.votesPlaceholder")}</p>
          </Card>
        )}
        <MembersCard coalition={coalition} />
        <Card title={t("dashboard.yourOrganisations")}>
          {coalition.organisations.length === 0 ? (
            <p className="muted">{t("dashboard.noOrganisation")}</p>
          ) : (
            <ul className="rows">
              {coalition.organisations.map((o) => (
                <li key={o.id} className="row">
                  <div className="row-main">
                    <Link href={`/organisations/${o.id}`} className="row-title">
                      {o.name}
                    </Link>
                    <p className="row-meta">
                      <span className="badge">{label("role", o.role)}</span>{" "}
                      {o.representative ? <span className="badge badge-active">{t("organisation.representative")}</span> : null}
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          )}
          {coalition.isCoordinator ? <p className="muted">{t("dashboard.youAreCoordinator")}</p> : null}
        </Card>
      </div>
    </>
  );
}
