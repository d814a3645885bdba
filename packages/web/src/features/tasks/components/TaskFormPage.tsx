import type { MeCoalition } from "@samakki/shared/auth";
import { TaskPriority } from "@samakki/shared/tasks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useSearch } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field, SelectField, TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, Notice, oneOf, optional, useForm } from "../../../components/Form.tsx";
import { MarkdownHint } from "../../../components/MarkdownHint.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { allAnswered } from "../../../components/QueryView.tsx";
import { Loading } from "../../../components/Status.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import { tasksKey } from "../api/task-list.ts";
import { campaignChoicesQuery, createTask } from "../api/tasks.ts";
import { AssigneePicker } from "./AssigneePicker.tsx";
import { creatableCampaigns } from "./creatable.ts";

export const splitLabels = (value: string | undefined) => [
  ...new Set(
    (value ?? "")
      .split(",")
      .map((l) => l.trim())
      .filter(Boolean),
  ),
];

/**
 * Create a task (coordinators; co-owners in their campaigns), optionally assigned straight away.
 * A co-owner picks among their campaigns only (a task without one is a coordinator's); someone who
 * may create none is told so instead of a form the API would refuse.
 */
export function TaskFormPage({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const local = useLocalName();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const linked = new URLSearchParams(useSearch()).get("campaignId") ?? "";
  const campaigns = useQuery(campaignChoicesQuery(coalition.id));
  const choices = creatableCampaigns(coalition, campaigns.data ?? []);
  const coordinator = coalition.isCoordinator;
  // A co-owner's form starts on the linked campaign when it is one of theirs, else on their first.
  const campaignId = coordinator || choices.some((c) => c.id === linked) ? linked : (choices[0]?.id ?? "");
  const form = useForm(
    (v) =>
      createTask(coalition.id, {
        campaignId: optional(v, "campaignId") ?? null,
        title: v.title ?? "",
        description: v.description ?? "",
        priority: oneOf(TaskPriority.options, v.priority ?? "normal"),
        dueOn: optional(v, "dueOn") ?? null,
        assigneeOrganisationId: optional(v, "assigneeOrganisationId") ?? null,
        assigneePersonId: optional(v, "assigneePersonId") ?? null,
        labels: splitLabels(v.labels),
      }),
    {
      required: ["title"],
      onSuccess: (task) => {
        void client.invalidateQueries({ queryKey: tasksKey(coalition.id) });
        // The task takes the form's place in the history: Back returns to where the form was opened from.
        navigate(`/${task.id}`, { replace: true });
      },
    },
  );
  if (!coordinator && !allAnswered(campaigns)) return <Loading />;
  if (!coordinator && choices.length === 0)
    return (
      <>
        <PageHeader title={t("tasks.createTitle")} subtitle={local(coalition)} />
        <Card>
          <Notice kind="info" title={t("tasks.cannotCreate")} />
          <p>
            <Link href={linked ? `/board/${linked}` : "/"} className="lone-link">
              {t("tasks.cannotCreateBack")}
            </Link>
          </p>
        </Card>
      </>
    );
  return (
    <>
      <PageHeader title={t("tasks.createTitle")} subtitle={local(coalition)} />
      <Card>
        <form noValidate onSubmit={form.onSubmit}>
          <FormProblem problem={form.problem} unmatched={form.unmatched} />
          <SelectField
            key={campaigns.data ? "loaded" : "loading"}
            label={t("tasks.campaign")}
            name="campaignId"
            defaultValue={campaignId}
            hint={coordinator ? undefined : t("tasks.campaignCoOwnedHint")}
            error={form.fieldErrors.campaignId}
          >
            {coordinator ? <option value="">{t("tasks.noCampaign")}</option> : null}
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {local(c)}
              </option>
            ))}
          </SelectField>
          <Field label={t("tasks.fieldTitle")} name="title" error={form.fieldErrors.title} maxLength={200} />
          <TextAreaField
            label={t("tasks.description")}
            name="description"
            rows={4}
            optionalLabel={t("common.optional")}
            hint={<MarkdownHint />}
            error={form.fieldErrors.description}
          />
          <div className="field-pair">
            <SelectField label={t("tasks.priority")} name="priority" defaultValue="normal" error={form.fieldErrors.priority}>
              {TaskPriority.options.map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </SelectField>
            <Field label={t("tasks.dueOn")} name="dueOn" type="date" optionalLabel={t("common.optional")} error={form.fieldErrors.dueOn} />
          </div>
          <Field
            label={t("tasks.labels")}
            name="labels"
            optionalLabel={t("common.optional")}
            hint={t("tasks.labelsHint")}
            error={form.fieldErrors.labels ?? Object.entries(form.fieldErrors).find(([k]) => k.startsWith("labels."))?.[1]}
          />
          <AssigneePicker
            coalitionId={coalition.id}
            names={{ organisation: "assigneeOrganisationId", person: "assigneePersonId" }}
            errors={form.fieldErrors}
          />
          <div className="form-actions">
            <Button type="submit" pending={form.pending}>
              {t("tasks.create")}
            </Button>
            <Link href={linked ? `/board/${linked}` : "/"}>{t("common.cancel")}</Link>
          </div>
        </form>
      </Card>
    </>
  );
}
