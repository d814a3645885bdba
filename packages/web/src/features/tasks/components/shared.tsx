import type { MeCoalition } from "@samakki/shared/auth";
import type { TaskPriority, TaskStatus, TaskSummary } from "@samakki/shared/tasks";
import { useCallback } from "react";
import { Link } from "wouter";
import { formatDate } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";

/** Deadlines are calendar dates in the coalition's zone: shown as they are. */
export function useDay() {
  const { lang } = useLanguage();
  return useCallback((date: string) => formatDate(`${date}T00:00:00Z`, lang, "UTC"), [lang]);
}

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  const t = useT();
  return <span className={`badge badge-task-${status}`}>{t(`taskStatus.${status}`)}</span>;
}

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  const t = useT();
  if (priority === "normal") return null;
  return <span className={`badge badge-priority-${priority}`}>{t(`priority.${priority}`)}</span>;
}

/**
 * Mirrors the API's rule (task.permissions.changeStatus) for lists, which carry no permissions:
 * the assignee person, the assignee organisation's admins, or, while unassigned, its managers.
 */
export function canMove(task: TaskSummary, coalition: MeCoalition, personId: string | undefined, canManage: boolean): boolean {
  if (task.assigneePerson && task.assigneePerson.id === personId) return true;
  const org = task.assigneeOrganisation;
  if (org) return coalition.organisations.some((o) => o.id === org.id && o.role === "admin");
  return canManage;
}

/** One line of a task list: title, status, priority, assignee, deadline, overdue highlighted. */
export function TaskRow({ task, showCampaign = true, basePath = "" }: { task: TaskSummary; showCampaign?: boolean; basePath?: string }) {
  const t = useT();
  const local = useLocalName();
  const day = useDay();
  return (
    <li className={`row task-row${task.overdue ? " row-overdue" : ""}`}>
      <div className="row-main">
        <Link href={`${basePath}/${task.id}`} className="row-title">
          {task.title}
        </Link>
        <p className="row-meta">
          <TaskStatusBadge status={task.status} /> <PriorityBadge priority={task.priority} />{" "}
          {task.dueOn ? (
            <span className={task.overdue ? "overdue-flag" : undefined}>
              {t("tasks.due", { date: day(task.dueOn) })}
              {task.overdue ? ` · ${t("tasks.overdue")}` : ""}
            </span>
          ) : null}
        </p>
        <p className="row-meta">
          {task.assigneeOrganisation ? task.assigneeOrganisation.shortName || local(task.assigneeOrganisation) : t("tasks.unassigned")}
          {task.assigneePerson ? ` · ${task.assigneePerson.displayName}` : ""}
          {showCampaign && task.campaign ? ` · ${local(task.campaign)}` : ""}
          {task.labels.length > 0 ? ` · ${task.labels.map((l) => `#${l}`).join(" ")}` : ""}
        </p>
      </div>
    </li>
  );
}
