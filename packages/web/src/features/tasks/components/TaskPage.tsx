import type { MeCoalition } from "@samakki/shared/auth";
import * as paths from "@samakki/shared/paths";
import { type Task, TaskPriority, TaskStatus } from "@samakki/shared/tasks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { ComboboxField, TriggerTextAreaField } from "../../../components/Combobox.tsx";
import { Field, SelectField, TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, Notice, oneOf, optional, useForm } from "../../../components/Form.tsx";
import { InlineSelectForm } from "../../../components/InlineSelectForm.tsx";
import { MarkdownHint } from "../../../components/MarkdownHint.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { ErrorBoundary, ErrorNotice, Loading } from "../../../components/Status.tsx";
import { ConflictNotice, compared, useEditConflict } from "../../../lib/edit-conflict.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { type MessageKey, useT } from "../../../lib/i18n.tsx";
import { useLocalName, useOrganisationName } from "../../../lib/local-name.ts";
import { useMe } from "../../../lib/session.ts";
import { campaignTasksKey, taskListsKey } from "../api/task-list.ts";
import {
  addComment,
  assignTask,
  changeTaskStatus,
  delegateTask,
  membersQuery,
  organisationPeopleQuery,
  taskQuery,
  unwatchTask,
  updateTask,
  watchTask,
} from "../api/tasks.ts";
import { AssigneePicker } from "./AssigneePicker.tsx";
import { type PersonChoice, toMentionMarkup, useCoalitionPeople } from "./people.ts";
import { PriorityBadge, TaskStatusBadge, useDay } from "./shared.tsx";
import { splitLabels } from "./TaskFormPage.tsx";

/** Html from the API, already sanitised (every *Html field goes through its Markdown sanitiser). */
function ApiHtml({ html }: { html: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: the API sanitises every *Html field before sending it.
  return <div className="md-html" dangerouslySetInnerHTML={{ __html: html }} />;
}

function useTaskUpdater(coalitionId: string) {
  const client = useQueryClient();
  return (task: Task) => {
    client.setQueryData(taskQuery(coalitionId, task.id).queryKey, task);
    void client.invalidateQueries({ queryKey: taskListsKey(coalitionId) });
    void client.invalidateQueries({ queryKey: campaignTasksKey(coalitionId) });
  };
}

function StatusForm({ coalitionId, task }: { coalitionId: string; task: Task }) {
  const t = useT();
  const save = useTaskUpdater(coalitionId);
  return (
    <InlineSelectForm
      label={t("tasks.changeStatus")}
      value={task.status}
      options={TaskStatus.options.map((s) => ({ value: s, label: t(`taskStatus.${s}`) }))}
      save={(status) => changeTaskStatus(coalitionId, task.id, TaskStatus.parse(status))}
      onSaved={save}
    />
  );
}

function EditForm({ coalitionId, task, onDone }: { coalitionId: string; task: Task; onDone: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const save = useTaskUpdater(coalitionId);
  const day = useDay();
  // What the fields start from, kept: the page's task may be read again while the form is open
  // (another tab's change, a conflict), and a changed default would replace what was typed.
  const [initial] = useState(task);
  // The revision the form opened on goes with the edit; someone else's edit first is a conflict, not overwritten.
  const edit = useEditConflict(
    task,
    (opened) => opened.revision,
    () => client.fetchQuery({ ...taskQuery(coalitionId, task.id), staleTime: 0 }),
    [
      compared<Task>(t("tasks.fieldTitle"), "title", (v) => v.title),
      compared<Task>(t("tasks.description"), "description", (v) => v.description),
      compared<Task>(
        t("tasks.priority"),
        "priority",
        (v) => v.priority,
        (v) => t(`priority.${v.priority}`),
      ),
      compared<Task>(
        t("tasks.dueOn"),
        "dueOn",
        (v) => v.dueOn ?? "",
        (v) => (v.dueOn ? day(v.dueOn) : ""),
      ),
      compared<Task>(t("tasks.labels"), "labels", (v) => v.labels.join(", ")),
    ],
  );
  const form = useForm(
    (v, element) =>
      edit.send(element, (headers) =>
        updateTask(
          coalitionId,
          task.id,
          {
            title: v.title ?? task.title,
            description: v.description ?? "",
            priority: oneOf(TaskPriority.options, v.priority ?? task.priority),
            dueOn: optional(v, "dueOn") ?? null,
            labels: splitLabels(v.labels),
          },
          headers,
        ),
      ),
    {
      required: ["title"],
      onSuccess: (updated) => {
        save(updated);
        onDone();
      },
    },
  );
  return (
    <form noValidate onSubmit={form.onSubmit}>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <ConflictNotice conflict={edit.conflict} />
      <Field label={t("tasks.fieldTitle")} name="title" defaultValue={initial.title} error={form.fieldErrors.title} maxLength={200} />
      <TextAreaField
        label={t("tasks.description")}
        name="description"
        rows={5}
        defaultValue={initial.description}
        hint={<MarkdownHint />}
        error={form.fieldErrors.description}
      />
      <div className="field-pair">
        <SelectField label={t("tasks.priority")} name="priority" defaultValue={initial.priority} error={form.fieldErrors.priority}>
          {TaskPriority.options.map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t("tasks.dueOn")}
          name="dueOn"
          type="date"
          defaultValue={initial.dueOn ?? ""}
          optionalLabel={t("common.optional")}
          error={form.fieldErrors.dueOn}
        />
      </div>
      <Field
        label={t("tasks.labels")}
        name="labels"
        defaultValue={initial.labels.join(", ")}
        optionalLabel={t("common.optional")}
        hint={t("tasks.labelsHint")}
        error={form.fieldErrors.labels ?? Object.entries(form.fieldErrors).find(([k]) => k.startsWith("labels."))?.[1]}
      />
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {t("common.save")}
        </Button>
        <Button variant="link" onClick={onDone}>
          {t("common.cancel")}
        </Button>
      </div>
    </form>
  );
}

function Details({ coalition, task }: { coalition: MeCoalition; task: Task }) {
  const organisationName = useOrganisationName();
  const t = useT();
  const day = useDay();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const [editing, setEditing] = useState(false);
  return (
    <Card
      title={t("tasks.description")}
      className="span-2"
      actions={
        task.permissions.edit && !editing ? (
          <Button variant="secondary" small onClick={() => setEditing(true)}>
            {t("common.edit")}
          </Button>
        ) : null
      }
    >
      {editing ? (
        <EditForm coalitionId={coalition.id} task={task} onDone={() => setEditing(false)} />
      ) : (
        <>
          <dl className="facts">
            <dt>{t("tasks.status")}</dt>
            <dd>
              <TaskStatusBadge status={task.status} />
            </dd>
            <dt>{t("tasks.priority")}</dt>
            <dd>{task.priority === "normal" ? t("priority.normal") : <PriorityBadge priority={task.priority} />}</dd>
            <dt>{t("tasks.dueOn")}</dt>
            <dd className={task.overdue ? "overdue-flag" : undefined}>
              {task.dueOn ? day(task.dueOn) : t("tasks.empty_value")}
              {task.overdue ? ` · ${t("tasks.overdue")}` : ""}
            </dd>
            <dt>{t("tasks.assigneeOrganisation")}</dt>
            <dd data-testid="assignee-organisation">
              {task.assigneeOrganisation ? organisationName.full(task.assigneeOrganisation) : t("tasks.unassigned")}
            </dd>
            <dt>{t("tasks.assigneePerson")}</dt>
            <dd data-testid="assignee-person">{task.assigneePerson ? task.assigneePerson.displayName : t("tasks.nobody")}</dd>
            {task.labels.length > 0 ? (
              <>
                <dt>{t("tasks.labels")}</dt>
                <dd>{task.labels.join(", ")}</dd>
              </>
            ) : null}
          </dl>
          {task.descriptionHtml ? <ApiHtml html={task.descriptionHtml} /> : <p className="muted">{t("tasks.noDescription")}</p>}
          <p className="row-meta">{t("tasks.createdOn", { date: dateTime(task.createdAt) })}</p>
          {task.permissions.changeStatus ? <StatusForm coalitionId={coalition.id} task={task} /> : null}
        </>
      )}
    </Card>
  );
}

function AssignCard({ coalition, task }: { coalition: MeCoalition; task: Task }) {
  const t = useT();
  const save = useTaskUpdater(coalition.id);
  const [done, setDone] = useState(false);
  const form = useForm((v) => assignTask(coalition.id, task.id, optional(v, "organisationId") ?? null, optional(v, "personId") ?? null), {
    onSuccess: (updated) => {
      save(updated);
      setDone(true);
    },
  });
  return (
    <Card title={t("tasks.assignTitle")}>
      <p className="muted">{t("tasks.assignHint")}</p>
      {done ? <Notice kind="success" title={t("tasks.assigned")} /> : null}
      <form noValidate onSubmit={form.onSubmit} onChange={() => setDone(false)}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <AssigneePicker
          key={`${task.assigneeOrganisation?.id}-${task.assigneePerson?.id}`}
          coalitionId={coalition.id}
          names={{ organisation: "organisationId", person: "personId" }}
          initialOrganisationId={task.assigneeOrganisation?.id ?? ""}
          initialPersonId={task.assigneePerson?.id ?? ""}
          errors={form.fieldErrors}
        />
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("tasks.assign")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function DelegateCard({ coalition, task, organisationId }: { coalition: MeCoalition; task: Task; organisationId: string }) {
  const t = useT();
  const save = useTaskUpdater(coalition.id);
  const people = useQuery(organisationPeopleQuery(organisationId));
  const [done, setDone] = useState(false);
  const form = useForm((v) => delegateTask(coalition.id, task.id, optional(v, "personId") ?? null), {
    onSuccess: (updated) => {
      save(updated);
      setDone(true);
    },
  });
  return (
    <Card title={t("tasks.delegateTitle")}>
      {done ? <Notice kind="success" title={t("tasks.delegated")} /> : null}
      <form noValidate onSubmit={form.onSubmit} onChange={() => setDone(false)}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        {people.isError ? <ErrorNotice error={people.error} onRetry={() => void people.refetch()} /> : null}
        <ComboboxField
          key={task.assigneePerson?.id}
          label={t("tasks.assigneePerson")}
          name="personId"
          defaultValue={task.assigneePerson?.id ?? ""}
          error={form.fieldErrors.personId}
          busy={people.isPending}
          options={[
            { value: "", label: t("tasks.noPerson") },
            ...(people.data ?? []).map((p) => ({ value: p.personId, label: p.displayName })),
          ]}
        />
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("tasks.delegate")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function Watchers({ coalition, task }: { coalition: MeCoalition; task: Task }) {
  const t = useT();
  const me = useMe();
  const client = useQueryClient();
  const watching = task.watchers.some((w) => w.id === me.data?.person.id);
  const toggle = useMutation({
    mutationFn: () => (watching ? unwatchTask(coalition.id, task.id) : watchTask(coalition.id, task.id)),
    onSuccess: () => client.invalidateQueries({ queryKey: taskQuery(coalition.id, task.id).queryKey }),
  });
  return (
    <Card title={t("tasks.watchers")}>
      {task.watchers.length === 0 ? (
        <p className="muted">{t("tasks.noWatchers")}</p>
      ) : (
        <ul className="inline-list">
          {task.watchers.map((w) => (
            <li key={w.id}>{w.displayName}</li>
          ))}
        </ul>
      )}
      <p className="field-hint">{t("tasks.watchHint")}</p>
      <div className="form-actions">
        <Button variant="secondary" small pending={toggle.isPending} aria-pressed={watching} onClick={() => toggle.mutate()}>
          {watching ? t("tasks.unwatch") : t("tasks.watch")}
        </Button>
      </div>
      {toggle.isError ? <ErrorNotice error={toggle.error} /> : null}
    </Card>
  );
}

function Comments({ coalition, task }: { coalition: MeCoalition; task: Task }) {
  const t = useT();
  const client = useQueryClient();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const [peopleWanted, setPeopleWanted] = useState(false);
  const { people, pending } = useCoalitionPeople(coalition, peopleWanted);
  // The textarea shows "@Name"; the names picked from the list become the API's markup when posting.
  const mentions = useRef<PersonChoice[]>([]);
  const form = useForm((v) => addComment(coalition.id, task.id, toMentionMarkup(v.body ?? "", mentions.current)), {
    required: ["body"],
    onSuccess: (_r, el) => {
      el.reset();
      mentions.current = [];
      void client.invalidateQueries({ queryKey: taskQuery(coalition.id, task.id).queryKey });
    },
  });
  return (
    <Card title={t("tasks.comments")} className="span-2">
      {task.comments.length === 0 ? (
        <p className="muted">{t("tasks.commentsEmpty")}</p>
      ) : (
        <ul className="rows">
          {task.comments.map((c) => (
            <li key={c.id} className="row row-stack">
              <p className="row-meta">
                <strong>{c.author.displayName}</strong> · <time dateTime={c.createdAt}>{dateTime(c.createdAt)}</time>
              </p>
              <ApiHtml html={c.bodyHtml} />
            </li>
          ))}
        </ul>
      )}
      <form noValidate onSubmit={form.onSubmit} className="inline-form">
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <TriggerTextAreaField
          label={t("tasks.comment")}
          name="body"
          rows={3}
          hint={
            <>
              <MarkdownHint />
              <br />
              {t("tasks.mentionHint")}
            </>
          }
          error={form.fieldErrors.body}
          maxLength={10_000}
          options={people.map((p) => ({ value: p.id, label: p.displayName }))}
          busy={pending}
          onOpen={() => setPeopleWanted(true)}
          onPick={(option) => {
            mentions.current = [
              ...mentions.current.filter((m) => m.displayName !== option.label),
              { id: option.value, displayName: option.label },
            ];
            return `@${option.label} `;
          }}
        />
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("tasks.postComment")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

const FIELD_LABELS: Record<string, MessageKey> = {
  title: "tasks.fieldTitle",
  description: "tasks.description",
  priority: "tasks.priority",
  dueOn: "tasks.dueOn",
  labels: "tasks.labels",
};

function History({ coalition, task }: { coalition: MeCoalition; task: Task }) {
  const organisationName = useOrganisationName();
  const t = useT();
  const day = useDay();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const members = useQuery(membersQuery(coalition.id));
  const orgPeople = useQuery({
    ...organisationPeopleQuery(task.assigneeOrganisation?.id ?? ""),
    enabled: task.assigneeOrganisation !== null,
  });
  const orgs = new Map((members.data ?? []).map((m) => [m.organisation.id, organisationName.full(m.organisation)]));
  const people = new Map<string, string>();
  for (const p of orgPeople.data ?? []) people.set(p.personId, p.displayName);
  for (const p of [...task.watchers, ...task.comments.map((c) => c.author), ...task.history.flatMap((h) => (h.actor ? [h.actor] : []))])
    people.set(p.id, p.displayName);
  if (task.assigneePerson) people.set(task.assigneePerson.id, task.assigneePerson.displayName);

  const show = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === "") return t("tasks.empty_value");
    if (field === "status" && TaskStatus.safeParse(value).success) return t(`taskStatus.${value as TaskStatus}`);
    if (field === "priority" && TaskPriority.safeParse(value).success) return t(`priority.${value as TaskPriority}`);
    if (field === "dueOn" && typeof value === "string") return day(value);
    if (Array.isArray(value)) return value.join(", ");
    return String(value);
  };
  const describe = (h: Task["history"][number]): string => {
    const actor = h.actor?.displayName ?? t("tasks.system");
    if (h.field === "created") {
      const assigned = h.after && typeof h.after === "object" && "organisationId" in h.after ? h.after.organisationId : null;
      return typeof assigned === "string"
        ? t("tasks.historyCreatedAssigned", { actor, name: orgs.get(assigned) ?? t("tasks.anOrganisation") })
        : t("tasks.historyCreated", { actor });
    }
    if (h.field === "status") return t("tasks.historyStatus", { actor, before: show("status", h.before), after: show("status", h.after) });
    if (h.field === "assigneeOrganisation")
      return typeof h.after === "string"
        ? t("tasks.historyOrganisation", { actor, name: orgs.get(h.after) ?? t("tasks.anOrganisation") })
        : t("tasks.historyOrganisationCleared", { actor });
    if (h.field === "assigneePerson")
      return typeof h.after === "string"
        ? t("tasks.historyPerson", { actor, name: people.get(h.after) ?? t("tasks.aPerson") })
        : t("tasks.historyPersonCleared", { actor });
    const label = FIELD_LABELS[h.field];
    const field = label ? t(label) : h.field;
    if (h.field === "description") return t("tasks.historyFieldShort", { actor, field });
    return t("tasks.historyField", { actor, field, before: show(h.field, h.before), after: show(h.field, h.after) });
  };
  return (
    <Card title={t("tasks.history")} className="span-2">
      <ol className="rows history">
        {[...task.history].reverse().map((h) => (
          <li key={h.id} className="row row-stack">
            <span>{describe(h)}</span>
            <p className="row-meta">
              <time dateTime={h.createdAt}>{dateTime(h.createdAt)}</time>
            </p>
          </li>
        ))}
      </ol>
    </Card>
  );
}

/** A task: its fields, status, assignment and delegation, watchers, comments with mentions, and full history. */
export function TaskPage({ coalition, taskId }: { coalition: MeCoalition; taskId: string }) {
  const t = useT();
  const local = useLocalName();
  const query = useQuery(taskQuery(coalition.id, taskId));
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  const task = query.data;
  const assigneeOrg = task.assigneeOrganisation;
  return (
    <>
      <p className="crumbs">
        {task.campaign ? (
          <>
            <Link href={`~${paths.campaign(coalition.id, task.campaign.id)}`}>{local(task.campaign)}</Link>
            {" · "}
            <Link href={`/board/${task.campaign.id}`}>{t("tasks.board")}</Link>
          </>
        ) : (
          <Link href="/">{t("tasks.allTasks")}</Link>
        )}
      </p>
      <PageHeader title={task.title} subtitle={task.campaign ? local(task.campaign) : t("tasks.noCampaign")} />
      <div className="grid">
        <ErrorBoundary>
          <Details coalition={coalition} task={task} />
        </ErrorBoundary>
        {task.permissions.assign ? (
          <ErrorBoundary>
            <AssignCard coalition={coalition} task={task} />
          </ErrorBoundary>
        ) : null}
        {task.permissions.delegate && assigneeOrg ? (
          <ErrorBoundary>
            <DelegateCard coalition={coalition} task={task} organisationId={assigneeOrg.id} />
          </ErrorBoundary>
        ) : null}
        <ErrorBoundary>
          <Watchers coalition={coalition} task={task} />
        </ErrorBoundary>
        <ErrorBoundary>
          <Comments coalition={coalition} task={task} />
        </ErrorBoundary>
        <ErrorBoundary>
          <History coalition={coalition} task={task} />
        </ErrorBoundary>
      </div>
    </>
  );
}
