import type { MeCoalition } from "@samakki/shared/auth";
import * as paths from "@samakki/shared/paths";
import { TaskStatus, type TaskSummary } from "@samakki/shared/tasks";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { Link } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { oneOf } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { formatNumber } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName, useOrganisationName } from "../../../lib/local-name.ts";
import { useMe } from "../../../lib/session.ts";
import { taskListQuery, tasksKey } from "../api/task-list.ts";
import { campaignQuery, changeTaskStatus } from "../api/tasks.ts";
import { canMove, PriorityBadge, useDay } from "./shared.tsx";

function MoveForm({
  coalitionId,
  task,
  onMoved,
  focusOnArrival,
  onArrived,
}: {
  coalitionId: string;
  task: TaskSummary;
  onMoved: (id: string, title: string, status: string) => void;
  /** Just moved here: the card was drawn anew in its new column, and its list takes the focus back. */
  focusOnArrival: boolean;
  onArrived: () => void;
}) {
  const t = useT();
  const client = useQueryClient();
  const id = useId();
  const [status, setStatus] = useState<TaskStatus>(task.status);
  const select = useRef<HTMLSelectElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the card arrives in its column
  useEffect(() => {
    const active = document.activeElement;
    // Unless the person went on elsewhere meanwhile.
    if (!focusOnArrival) return;
    if (active === null || active === document.body) select.current?.focus();
    onArrived();
  }, []);
  const move = useMutation({
    mutationFn: () => changeTaskStatus(coalitionId, task.id, status),
    onSuccess: (updated) => {
      onMoved(updated.id, updated.title, updated.status);
      return client.invalidateQueries({ queryKey: tasksKey(coalitionId) });
    },
  });
  return (
    <form
      className="move-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (status !== task.status) move.mutate();
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {t("tasks.moveTo", { task: task.title })}
      </label>
      <select ref={select} id={id} name="status" value={status} onChange={(e) => setStatus(oneOf(TaskStatus.options, e.target.value))}>
        {TaskStatus.options.map((s) => (
          <option key={s} value={s}>
            {t(`taskStatus.${s}`)}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" small pending={move.isPending} disabled={status === task.status}>
        {t("tasks.move")}
      </Button>
      {move.isError ? <ErrorNotice error={move.error} /> : null}
    </form>
  );
}

/** A campaign's tasks in one column per status; each card moves with a list and a button (keyboard and screen readers). */
export function TaskBoard({ coalition, campaignId }: { coalition: MeCoalition; campaignId: string }) {
  const organisationName = useOrganisationName();
  const t = useT();
  const local = useLocalName();
  const { lang } = useLanguage();
  const day = useDay();
  const me = useMe();
  const campaign = useQuery(campaignQuery(coalition.id, campaignId));
  const list = useInfiniteQuery(taskListQuery(coalition.id, "all", { campaignId }, 100));
  const [announcement, setAnnouncement] = useState("");
  // The card just moved: it is drawn anew in its new column (another list), where the focus goes back to it.
  const [moved, setMoved] = useState<string | null>(null);
  // A campaign that is not there says so at once, whatever else is still on its way.
  if (campaign.isError) return <ErrorNotice error={campaign.error} onRetry={() => void campaign.refetch()} />;
  if (campaign.isPending || list.isPending) return <Loading />;
  if (list.isError) return <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />;
  const items = list.data.pages.flatMap((p) => p.items);
  const canManage = coalition.isCoordinator || campaign.data.canEdit;
  const personId = me.data?.person.id;
  // What the reader can do on this board, from the same rule that draws each card's list.
  const movable = items.filter((task) => canMove(task, coalition, personId, canManage)).length;
  const hint =
    items.length === 0
      ? undefined
      : movable === items.length
        ? t("tasks.boardHint")
        : movable > 0
          ? t("tasks.boardHintSome")
          : t("tasks.boardHintNone");
  const onMoved = (id: string, title: string, status: string) => {
    setMoved(id);
    setAnnouncement(
      t("tasks.moved", { task: title, status: TaskStatus.safeParse(status).success ? t(`taskStatus.${status as TaskStatus}`) : status }),
    );
  };
  return (
    <>
      <p className="crumbs">
        <Link href={`~${paths.campaign(coalition.id, campaignId)}`}>{local(campaign.data)}</Link>
      </p>
      <PageHeader
        title={t("tasks.boardTitle", { campaign: local(campaign.data) })}
        subtitle={hint}
        actions={
          canManage ? (
            <Link href={`/new?campaignId=${campaignId}`} className="btn btn-primary">
              {t("tasks.new")}
            </Link>
          ) : null
        }
      />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <div className="board">
        {TaskStatus.options.map((status) => {
          const column = items.filter((task) => task.status === status);
          return (
            <section
              key={status}
              className={`board-column board-${status}`}
              aria-labelledby={`col-${status}`}
              data-testid={`column-${status}`}
            >
              <h2 id={`col-${status}`} className="board-heading">
                {t(`taskStatus.${status}`)} <span className="board-count">{formatNumber(column.length, lang)}</span>
              </h2>
              {column.length === 0 ? (
                <p className="muted">{t("tasks.columnEmpty")}</p>
              ) : (
                <ul className="board-cards">
                  {column.map((task) => (
                    <li key={task.id} className={`board-card${task.overdue ? " board-card-overdue" : ""}`}>
                      <Link href={`/${task.id}`} className="row-title">
                        {task.title}
                      </Link>
                      <p className="row-meta">
                        <PriorityBadge priority={task.priority} />{" "}
                        {task.assigneeOrganisation ? organisationName.short(task.assigneeOrganisation) : t("tasks.unassigned")}
                        {task.assigneePerson ? ` · ${task.assigneePerson.displayName}` : ""}
                      </p>
                      {task.dueOn ? (
                        <p className={`row-meta${task.overdue ? " overdue-flag" : ""}`}>
                          {t("tasks.due", { date: day(task.dueOn) })}
                          {task.overdue ? ` · ${t("tasks.overdue")}` : ""}
                        </p>
                      ) : null}
                      {canMove(task, coalition, personId, canManage) ? (
                        <MoveForm
                          key={task.status}
                          coalitionId={coalition.id}
                          task={task}
                          onMoved={onMoved}
                          focusOnArrival={moved === task.id}
                          onArrived={() => setMoved(null)}
                        />
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      {list.hasNextPage ? (
        <div className="form-actions">
          <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t("common.loadMore")}
          </Button>
        </div>
      ) : null}
    </>
  );
}
