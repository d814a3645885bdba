import type { MeCoalition } from "@samakki/shared/auth";
import { TaskPriority } from "@samakki/shared/tasks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useSearch } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field, SelectField, TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, oneOf, optional, useForm } from "../../../components/Form.tsx";
import { MarkdownHint } from "../../../components/MarkdownHint.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import { tasksKey } from "../api/task-list.ts";
import { campaignChoicesQuery, createTask } from "../api/tasks.ts";
import { AssigneePicker } from "./AssigneePicker.tsx";

export const splitLabels = (value: string | undefined) => [
  ...new Set(
    (value ?? "")
      .split(",")
      .map((l) => l.trim())
      .filter(Boolean),
  ),
];

/** Create a task (coordinators; co-owners in their campaigns), optionally assigned straight away. */
export function TaskFormPage({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const local = useLocalName();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const campaignId = new URLSearchParams(useSearch()).get("campaignId") ?? "";
  const campaigns = useQuery(campaignChoicesQuery(coalition.id));
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
        navigate(`/${task.id}`);
      },
    },
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
            error={form.fieldErrors.campaignId}
          >
            <option value="">{t("tasks.noCampaign")}</option>
            {(campaigns.data ?? []).map((c) => (
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
            <Link href={campaignId ? `/board/${campaignId}` : "/"}>{t("common.cancel")}</Link>
          </div>
        </form>
      </Card>
    </>
  );
}
