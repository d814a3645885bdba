import type { MeCoalition } from "@samakki/shared/auth";
import { TaskPriority, TaskStatus } from "@samakki/shared/tasks";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { ComboboxField } from "../../../components/Combobox.tsx";
import { Field, SelectField } from "../../../components/Field.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { allAnswered, QueryView } from "../../../components/QueryView.tsx";
import { Loading } from "../../../components/Status.tsx";
import { withQuery } from "../../../lib/api-client.ts";
import { useT } from "../../../lib/i18n.tsx";
import { useLocalName, useOrganisationName } from "../../../lib/local-name.ts";
import { FILTER_NAMES, OPEN_STATUSES, TASK_VIEWS, type TaskFilters, type TaskView, taskListQuery } from "../api/task-list.ts";
import { campaignChoicesQuery, membersQuery, organisationPeopleQuery, tasksCsvUrl } from "../api/tasks.ts";
import { canCreateTasks } from "./creatable.ts";
import { TaskRow } from "./shared.tsx";

const VIEW_LABELS = {
  mine: "tasks.viewMine",
  organisation: "tasks.viewOrganisation",
  all: "tasks.viewAll",
  overdue: "tasks.viewOverdue",
} as const;

function readSearch(search: string, fallback: TaskView): { view: TaskView; filters: TaskFilters } {
  const params = new URLSearchParams(search);
  const raw = params.get("view");
  const view = TASK_VIEWS.find((v) => v === raw) ?? fallback;
  const filters = Object.fromEntries(FILTER_NAMES.map((n) => [n, params.get(n) ?? ""])) as TaskFilters;
  return { view, filters };
}

function PersonFilter({ organisationId, defaultValue }: { organisationId: string; defaultValue: string }) {
  const t = useT();
  const people = useQuery({ ...organisationPeopleQuery(organisationId), enabled: organisationId !== "" });
  return (
    <ComboboxField
      label={t("tasks.person")}
      name="personId"
      defaultValue={defaultValue}
      disabled={organisationId === ""}
      hint={organisationId === "" ? t("tasks.personHint") : undefined}
      busy={people.isFetching}
      options={[
        { value: "", label: t("tasks.anyPerson") },
        ...(people.data ?? []).map((p) => ({ value: p.personId, label: p.displayName })),
      ]}
    />
  );
}

function Filters({ coalition, view, filters }: { coalition: MeCoalition; view: TaskView; filters: TaskFilters }) {
  const organisationName = useOrganisationName();
  const t = useT();
  const local = useLocalName();
  const [, navigate] = useLocation();
  const members = useQuery(membersQuery(coalition.id));
  const campaigns = useQuery(campaignChoicesQuery(coalition.id));
  const [organisationId, setOrganisationId] = useState(filters.organisationId);
  const active = FILTER_NAMES.some((n) => filters[n] !== "");
  return (
    <details className="filters-details" open={active || undefined}>
      <summary>{t("tasks.filters")}</summary>
      <form
        className="filters filters-3"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          const next: Record<string, string> = { view };
          for (const name of FILTER_NAMES) next[name] = String(data.get(name) ?? "").trim();
          navigate(withQuery("/", next), { replace: true });
        }}
      >
        <SelectField label={t("tasks.status")} name="status" defaultValue={filters.status}>
          <option value="">{t("tasks.anyStatus")}</option>
          <option value={OPEN_STATUSES}>{t("tasks.openStatuses")}</option>
          {TaskStatus.options.map((s) => (
            <option key={s} value={s}>
              {t(`taskStatus.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("tasks.priority")} name="priority" defaultValue={filters.priority}>
          <option value="">{t("tasks.anyPriority")}</option>
          {TaskPriority.options.map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("tasks.campaign")} name="campaignId" defaultValue={filters.campaignId}>
          <option value="">{t("tasks.anyCampaign")}</option>
          {(campaigns.data ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {local(c)}
            </option>
          ))}
        </SelectField>
        <ComboboxField
          label={t("tasks.organisation")}
          name="organisationId"
          value={organisationId}
          onChange={setOrganisationId}
          busy={members.isPending}
          options={[
            { value: "", label: t("tasks.anyOrganisation") },
            ...(members.data ?? []).map((m) => ({
              value: m.organisation.id,
              label: organisationName.full(m.organisation),
            })),
          ]}
        />
        {view === "mine" ? null : (
          <PersonFilter
            key={organisationId}
            organisationId={organisationId}
            defaultValue={organisationId === filters.organisationId ? filters.personId : ""}
          />
        )}
        <Field label={t("tasks.dueBefore")} name="dueBefore" type="date" defaultValue={filters.dueBefore} />
        <Field label={t("tasks.label")} name="label" defaultValue={filters.label} maxLength={40} />
        <div className="form-actions filters-actions">
          <Button type="submit" variant="secondary">
            {t("tasks.show")}
          </Button>
          {active ? <Link href={withQuery("/", { view })}>{t("tasks.clearFilters")}</Link> : null}
        </div>
      </form>
    </details>
  );
}

/** My tasks, my organisation's, all, and (coordinators) overdue; filters in the address; CSV of the same list. */
export function TaskListPage({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const local = useLocalName();
  const search = useSearch();
  const { view, filters } = readSearch(search, "mine");
  const views = TASK_VIEWS.filter((v) => v !== "overdue" || coalition.isCoordinator);
  const active = Object.fromEntries(FILTER_NAMES.filter((n) => filters[n] !== "").map((n) => [n, filters[n]]));
  const list = useInfiniteQuery(taskListQuery(coalition.id, view, active));
  // Whether "New task" is offered depends, for anyone but a coordinator, on the campaigns their
  // organisations co-own (the filters ask for the same list): the header waits for it, so the
  // button never appears under a finger about to tap the CSV link.
  const campaigns = useQuery(campaignChoicesQuery(coalition.id));
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (!coalition.isCoordinator && !allAnswered(campaigns)) return <Loading />;
  const canCreate = canCreateTasks(coalition, campaigns.data ?? []);
  return (
    <>
      <PageHeader
        title={t(VIEW_LABELS[view])}
        subtitle={local(coalition)}
        actions={
          <>
            {canCreate ? (
              <Link href="/new" className="btn btn-primary">
                {t("tasks.new")}
              </Link>
            ) : null}
            {/* Up here, not under the list: it stays where it is when the list comes in or grows. */}
            <a href={tasksCsvUrl(coalition.id, view, active)} download className="btn btn-secondary btn-small">
              {t("tasks.exportCsv")}
            </a>
          </>
        }
      />
      <nav className="tabs" aria-label={t("tasks.views")}>
        {views.map((v) => (
          <Link key={v} href={withQuery("/", { view: v })} className="tab" aria-current={v === view ? "page" : undefined}>
            {t(VIEW_LABELS[v])}
          </Link>
        ))}
      </nav>
      <Card>
        <Filters key={search} coalition={coalition} view={view} filters={filters} />
        <div aria-busy={list.isFetching || undefined}>
          <QueryView query={list} empty={t("tasks.empty")} isEmpty={() => items.length === 0}>
            {() => (
              <ul className="rows">
                {items.map((task) => (
                  <TaskRow key={task.id} task={task} />
                ))}
              </ul>
            )}
          </QueryView>
        </div>
        {list.hasNextPage ? (
          <div className="form-actions">
            <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t("common.loadMore")}
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}
