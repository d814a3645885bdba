import type { OperatorCoalition } from "@samakki/shared/operators";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { useConfirm } from "../../../components/ConfirmDialog.tsx";
import { Field, LanguageSelectField } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import { meQuery, useMe } from "../../../lib/session.ts";
import { cancelDeletion, createCoalition, operatorCoalitionsQuery, scheduleDeletion } from "../api/operators.ts";

/** Instance operators: every coalition from outside (name, status, counts), a new one, deletions. */
export function OperatorPage() {
  const t = useT();
  const me = useMe();
  const operator = me.data?.operator === true;
  const coalitions = useQuery({ ...operatorCoalitionsQuery, enabled: operator });
  if (me.isPending) return <Loading />;
  // Not a form that can only be refused: what the page is, and how one becomes an operator.
  if (!operator)
    return (
      <>
        <PageHeader title={t("operator.title")} />
        <Notice>{t("operator.notOperator")}</Notice>
      </>
    );
  return (
    <>
      <PageHeader title={t("operator.title")} subtitle={t("operator.intro")} />
      <Card title={t("operator.coalitions")}>
        {coalitions.isPending ? <Loading /> : null}
        {coalitions.isError ? <ErrorNotice error={coalitions.error} onRetry={() => void coalitions.refetch()} /> : null}
        {coalitions.data?.length === 0 ? <p className="muted">{t("operator.none")}</p> : null}
        {coalitions.data && coalitions.data.length > 0 ? (
          <ul className="rows">
            {coalitions.data.map((c) => (
              <CoalitionRow key={c.id} coalition={c} />
            ))}
          </ul>
        ) : null}
      </Card>
      <CreateCoalitionForm />
    </>
  );
}

function CoalitionRow({ coalition }: { coalition: OperatorCoalition }) {
  const t = useT();
  const { date } = useDateFormat(undefined);
  const client = useQueryClient();
  const [dialog, confirm] = useConfirm();
  // The list, and /api/me, whose coalitions carry a scheduled deletion's date (the banner).
  const refresh = () => {
    void client.invalidateQueries({ queryKey: operatorCoalitionsQuery.queryKey });
    void client.invalidateQueries({ queryKey: meQuery.queryKey });
  };
  const schedule = useMutation({ mutationFn: () => scheduleDeletion(coalition.id), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => cancelDeletion(coalition.id), onSuccess: refresh });
  const name = useLocalName()(coalition);
  return (
    <li className="row">
      <div className="row-main">
        <span className="row-title">{name}</span>{" "}
        <span className={`badge ${coalition.status === "active" ? "badge-active" : "badge-suspended"}`}>
          {t(`operator.status.${coalition.status}`)}
        </span>
        <p className="row-meta">
          {t("operator.counts", { organisations: coalition.organisations, coordinators: coalition.coordinators })}
          {coalition.deletionDueAt ? ` ${t("operator.deletionDue", { date: date(coalition.deletionDueAt) })}` : ""}
        </p>
        {schedule.isError ? <ErrorNotice error={schedule.error} /> : null}
        {cancel.isError ? <ErrorNotice error={cancel.error} /> : null}
      </div>
      {coalition.deletionDueAt ? (
        <Button variant="secondary" small pending={cancel.isPending} onClick={() => cancel.mutate()}>
          {t("operator.cancelDeletion")}
        </Button>
      ) : (
        <Button
          variant="danger"
          small
          pending={schedule.isPending}
          onClick={() =>
            void confirm({
              title: t("operator.scheduleDeletion"),
              consequence: t("operator.scheduleConfirm", { name }),
              confirmLabel: t("operator.scheduleDeletion"),
            }).then((ok) => {
              if (ok) schedule.mutate();
            })
          }
        >
          {t("operator.scheduleDeletion")}
        </Button>
      )}
      {dialog}
    </li>
  );
}

function CreateCoalitionForm() {
  const t = useT();
  const { lang } = useLanguage();
  const client = useQueryClient();
  const [invited, setInvited] = useState<string | null>(null);
  const form = useForm(
    (v) =>
      createCoalition({
        coalitionName: v.coalitionName ?? "",
        organisationName: v.organisationName ?? "",
        coordinatorEmail: v.coordinatorEmail ?? "",
        language: v.language === "km" ? "km" : "en",
      }).then(() => v.coordinatorEmail ?? ""),
    {
      required: ["coalitionName", "organisationName", "coordinatorEmail"],
      onSuccess: (email, el) => {
        el.reset();
        setInvited(email);
        void client.invalidateQueries({ queryKey: operatorCoalitionsQuery.queryKey });
      },
    },
  );
  return (
    <Card title={t("operator.create.title")}>
      {invited ? <Notice kind="success" title={t("operator.create.done", { email: invited })} /> : null}
      <form noValidate onSubmit={form.onSubmit} onInput={() => setInvited(null)}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <Field label={t("operator.create.name")} name="coalitionName" error={form.fieldErrors.coalitionName} autoComplete="off" />
        <Field
          label={t("operator.create.organisation")}
          name="organisationName"
          error={form.fieldErrors.organisationName}
          autoComplete="off"
        />
        <Field
          label={t("operator.create.email")}
          name="coordinatorEmail"
          type="email"
          inputMode="email"
          error={form.fieldErrors.coordinatorEmail}
          autoComplete="off"
        />
        <LanguageSelectField label={t("operator.create.language")} defaultValue={lang} error={form.fieldErrors.language} />
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("operator.create.submit")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
