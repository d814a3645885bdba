import type { MeCoalition } from "@samakki/shared/auth";
import { useQueries, useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { Card } from "../../../components/Card.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useT } from "../../../lib/i18n.tsx";
import { statementQuery, votingStatementsQuery } from "../api/statements.ts";

/** The dashboard's card: open votes, their closing time, and whether the viewer's organisation has voted. */
export function VotesCard({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const list = useQuery(votingStatementsQuery(coalition.id));
  const items = list.data?.items ?? [];
  // The list does not carry the vote; each open one is read (at most five, cached with the statement page).
  const details = useQueries({ queries: items.map((s) => statementQuery(coalition.id, s.id)) });
  const base = `/c/${coalition.id}/statements`;
  return (
    <Card title={t("dashboard.votesTitle")} className="votes-card">
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">{t("votes.cardEmpty")}</p>
      ) : (
        <ul className="rows">
          {items.map((s, i) => {
            const vote = details[i]?.data?.vote;
            const open = vote?.status === "open" ? vote : null;
            return (
              <li key={s.id} className="row">
                <div className="row-main">
                  <Link href={`${base}/${s.id}`} className="row-title">
                    {s.title}
                  </Link>
                  {open ? (
                    <>
                      <p className="row-meta">{t("votes.cardClosesAt", { date: dateTime(open.closesAt) })}</p>
                      {open.myOrganisations.map((m) => (
                        <p key={m.organisation.id} className="row-meta">
                          {m.ballot ? (
                            <span className="vote-done">
                              ✓ {t("votes.cardVoted", { organisation: m.organisation.shortName || m.organisation.name })}
                            </span>
                          ) : (
                            <strong className="vote-todo">
                              {t("votes.cardNotVoted", { organisation: m.organisation.shortName || m.organisation.name })}
                            </strong>
                          )}
                        </p>
                      ))}
                    </>
                  ) : details[i]?.isPending ? (
                    <p className="row-meta">{t("common.loading")}</p>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <Link href={base}>{t("votes.cardAll")}</Link>
      </p>
    </Card>
  );
}
