import type { MeCoalition } from "@samakki/shared/auth";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { Card } from "../../../components/Card.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { formatNumber } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { OPEN_STATUSES, taskListQuery } from "../api/task-list.ts";
import { TaskRow } from "./shared.tsx";

const LIMIT = 100;

/** The dashboard's tasks card: my open tasks (overdue first and highlighted) and my organisations' count. */
export function TasksCard({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const { lang } = useLanguage();
  const mine = useInfiniteQuery(taskListQuery(coalition.id, "mine", { status: OPEN_STATUSES }, LIMIT));
  const organisation = useInfiniteQuery({
    ...taskListQuery(coalition.id, "organisation", { status: OPEN_STATUSES }, LIMIT),
    enabled: coalition.organisations.length > 0,
  });
  const count = (q: typeof mine) => {
    const first = q.data?.pages[0];
    if (!first) return "";
    return `${formatNumber(first.items.length, lang)}${first.nextCursor ? "+" : ""}`;
  };
  const myItems = mine.data?.pages[0]?.items ?? [];
  const overdue = myItems.filter((task) => task.overdue);
  const shown = [...overdue, ...myItems.filter((task) => !task.overdue)].slice(0, 5);
  const tasksPath = `/c/${coalition.id}/tasks`;
  return (
    <Card title={t("dashboard.tasksTitle")}>
      {mine.isPending ? (
        <Loading />
      ) : mine.isError ? (
        <ErrorNotice error={mine.error} onRetry={() => void mine.refetch()} />
      ) : (
        <>
          <p className="big-number">
            {count(mine)} <span>{t("tasks.cardOpen")}</span>
          </p>
          <ul className="inline-list">
            {overdue.length > 0 ? (
              <li className="overdue-flag">{t("tasks.cardOverdue", { count: formatNumber(overdue.length, lang) })}</li>
            ) : null}
            {organisation.data ? <li>{t("tasks.cardOrganisation", { count: count(organisation) })}</li> : null}
          </ul>
          {shown.length === 0 ? (
            <p className="muted">{t("tasks.cardNothing")}</p>
          ) : (
            <ul className="rows">
              {shown.map((task) => (
                <TaskRow key={task.id} task={task} basePath={`~${tasksPath}`} />
              ))}
            </ul>
          )}
        </>
      )}
      <p>
        <Link href={`~${tasksPath}`}>{t("tasks.cardSeeAll")}</Link>
      </p>
    </Card>
  );
}
