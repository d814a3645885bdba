import type { MeCoalition } from "@samakki/shared/auth";
import type { Campaign, Contribution, Metric } from "@samakki/shared/campaigns";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field, SelectField } from "../../../components/Field.tsx";
import { FormProblem, Notice, optional, useForm } from "../../../components/Form.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { readSecondName, SecondNameFields } from "../../../components/SecondNameFields.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { useLocalName, useLocalUnit, useOrganisationName } from "../../../lib/local-name.ts";
import {
  contributionsKey,
  contributionsQuery,
  correctContribution,
  createMetric,
  metricsQuery,
  reportContribution,
  updateMetric,
} from "../api/campaigns.ts";
import { todayIn, useLocalFormat } from "./shared.tsx";

/** "12.5" → 12.5; empty or not a number → NaN, which the API refuses with a field error. */
const toNumber = (value: string | undefined) => (value?.trim() ? Number(value.replace(/[\s,]/g, "")) : Number.NaN);
const percent = (part: number, whole: number) => Math.round((part / whole) * 1000) / 10;

function useRefreshMetrics(coalitionId: string, campaignId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: metricsQuery(coalitionId, campaignId).queryKey }),
      client.invalidateQueries({ queryKey: contributionsKey(coalitionId, campaignId) }),
    ]);
}

function CorrectForm({
  coalition,
  campaign,
  metric,
  contribution,
  onDone,
}: {
  coalition: MeCoalition;
  campaign: Campaign;
  metric: Metric;
  contribution: Contribution;
  onDone: () => void;
}) {
  const t = useT();
  const refresh = useRefreshMetrics(coalition.id, campaign.id);
  const form = useForm(
    (v) =>
      correctContribution(coalition.id, campaign.id, metric.id, contribution.id, {
        amount: toNumber(v.amount),
        date: v.date ?? contribution.date,
        note: v.note ?? "",
      }),
    {
      required: ["amount", "date"],
      onSuccess: () => {
        void refresh();
        onDone();
      },
    },
  );
  return (
    <form noValidate onSubmit={form.onSubmit} className="correct-form" aria-label={t("campaigns.correctTitle")}>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <div className="field-pair">
        <Field
          label={t("campaigns.amount")}
          name="amount"
          type="number"
          inputMode="decimal"
          min={0}
          step="0.01"
          defaultValue={contribution.amount}
          error={form.fieldErrors.amount}
        />
        <Field label={t("campaigns.date")} name="date" type="date" defaultValue={contribution.date} error={form.fieldErrors.date} />
      </div>
      <Field
        label={t("campaigns.note")}
        name="note"
        defaultValue={contribution.note}
        optionalLabel={t("common.optional")}
        error={form.fieldErrors.note}
      />
      <div className="form-actions">
        <Button type="submit" small pending={form.pending}>
          {t("common.save")}
        </Button>
        <Button variant="link" small onClick={onDone}>
          {t("common.cancel")}
        </Button>
      </div>
    </form>
  );
}

function Contributions({ coalition, campaign, metric }: { coalition: MeCoalition; campaign: Campaign; metric: Metric }) {
  const organisationName = useOrganisationName();
  const t = useT();
  const unitOf = useLocalUnit();
  const { day, number } = useLocalFormat();
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const query = useQuery({ ...contributionsQuery(coalition.id, campaign.id, metric.id), enabled: open });
  const mine = new Set(coalition.organisations.map((o) => o.id));
  if (metric.shares.length === 0) return null;
  return (
    <details className="contributions" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t("campaigns.contributions")}</summary>
      <QueryView query={query}>
        {(data) => (
          <ul className="rows">
            {data.map((c) => (
              <li key={c.id} className="row">
                <div className="row-main">
                  <span className="row-title">
                    {number(c.amount)} {unitOf(metric)}
                  </span>
                  <p className="row-meta">
                    {organisationName.short(c.organisation)} · {day(c.date)}
                    {c.corrected ? ` · ${t("campaigns.corrected")}` : ""}
                    {c.note ? ` · ${c.note}` : ""}
                    {` · ${t(c.recordedBy.coordinator ? "campaigns.recordedByCoordinator" : "campaigns.recordedBy", { name: c.recordedBy.displayName })}`}
                  </p>
                  {editing === c.id ? (
                    <CorrectForm
                      coalition={coalition}
                      campaign={campaign}
                      metric={metric}
                      contribution={c}
                      onDone={() => setEditing(null)}
                    />
                  ) : null}
                </div>
                {(mine.has(c.organisation.id) || coalition.isCoordinator) && editing !== c.id ? (
                  <Button variant="secondary" small onClick={() => setEditing(c.id)}>
                    {t("campaigns.correct")}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </details>
  );
}

function ReportForm({ coalition, campaign, metric }: { coalition: MeCoalition; campaign: Campaign; metric: Metric }) {
  const organisationName = useOrganisationName();
  const t = useT();
  const unitOf = useLocalUnit();
  const localName = useLocalName();
  const refresh = useRefreshMetrics(coalition.id, campaign.id);
  const [done, setDone] = useState(false);
  // Its own involved organisations; a coordinator records on behalf of any involved one.
  const involvedOrgs = [...campaign.owners, ...campaign.participants];
  const involved = new Set(involvedOrgs.map((o) => o.id));
  const own = coalition.organisations.filter((o) => involved.has(o.id));
  const mine = coalition.isCoordinator ? [...own, ...involvedOrgs.filter((o) => !own.some((m) => m.id === o.id))] : own;
  const form = useForm(
    (v) =>
      reportContribution(coalition.id, campaign.id, metric.id, {
        organisationId: v.organisationId ?? "",
        amount: toNumber(v.amount),
        date: v.date ?? "",
        note: optional(v, "note") ?? "",
      }),
    {
      required: ["amount", "date"],
      onSuccess: (_r, el) => {
        el.reset();
        setDone(true);
        void refresh();
      },
    },
  );
  if (mine.length === 0) return null;
  return (
    <details className="add-details">
      <summary className="btn btn-secondary btn-small">{t("campaigns.reportContribution")}</summary>
      {done ? <Notice kind="success" title={t("campaigns.reported")} /> : null}
      <form
        noValidate
        onSubmit={form.onSubmit}
        onInput={() => setDone(false)}
        aria-label={`${t("campaigns.reportContribution")}: ${localName(metric)}`}
      >
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        {mine.length > 1 ? (
          <SelectField label={t("campaigns.forOrganisation")} name="organisationId" error={form.fieldErrors.organisationId}>
            {mine.map((o) => (
              <option key={o.id} value={o.id}>
                {organisationName.full(o)}
              </option>
            ))}
          </SelectField>
        ) : (
          <>
            <input type="hidden" name="organisationId" value={mine[0]?.id ?? ""} />
            <p className="muted">{t("campaigns.reportingFor", { organisation: mine[0] ? organisationName.full(mine[0]) : "" })}</p>
          </>
        )}
        <div className="field-pair">
          <Field
            label={unitOf(metric) ? `${t("campaigns.amount")} (${unitOf(metric)})` : t("campaigns.amount")}
            name="amount"
            type="number"
            inputMode="decimal"
            min={0}
            step="0.01"
            error={form.fieldErrors.amount}
          />
          <Field
            label={t("campaigns.date")}
            name="date"
            type="date"
            defaultValue={todayIn(coalition.timeZone)}
            error={form.fieldErrors.date}
          />
        </div>
        <Field label={t("campaigns.note")} name="note" optionalLabel={t("common.optional")} error={form.fieldErrors.note} maxLength={500} />
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("campaigns.report")}
          </Button>
        </div>
      </form>
    </details>
  );
}

/** Rename a metric (its editors): its name and its name in the other language, and its units. */
function RenameMetricForm({ coalition, campaign, metric }: { coalition: MeCoalition; campaign: Campaign; metric: Metric }) {
  const t = useT();
  const localName = useLocalName();
  const refresh = useRefreshMetrics(coalition.id, campaign.id);
  const details = useRef<HTMLDetailsElement>(null);
  const form = useForm(
    (v) =>
      updateMetric(coalition.id, campaign.id, metric.id, {
        name: v.name?.trim() ?? "",
        secondName: readSecondName(v, "secondName"),
        unit: v.unit?.trim() ?? "",
        secondUnit: v.secondUnit?.trim() ?? "",
      }),
    {
      required: ["name"],
      onSuccess: () => {
        if (details.current) details.current.open = false;
        void refresh();
      },
    },
  );
  return (
    <details className="add-details" ref={details}>
      <summary className="btn btn-secondary btn-small">{t("campaigns.renameMetric")}</summary>
      <form noValidate onSubmit={form.onSubmit} aria-label={`${t("campaigns.renameMetric")}: ${localName(metric)}`}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <Field label={t("campaigns.metricName")} name="name" defaultValue={metric.name} error={form.fieldErrors.name} maxLength={120} />
        <SecondNameFields
          prefix="secondName"
          label={t("names.secondName")}
          value={metric.secondName}
          errors={form.fieldErrors}
          maxLength={120}
        />
        <div className="field-pair">
          <Field
            label={t("campaigns.metricUnit")}
            name="unit"
            defaultValue={metric.unit}
            optionalLabel={t("common.optional")}
            error={form.fieldErrors.unit}
            maxLength={40}
          />
          <Field
            label={t("campaigns.metricSecondUnit")}
            name="secondUnit"
            defaultValue={metric.secondUnit ?? ""}
            optionalLabel={t("common.optional")}
            error={form.fieldErrors.secondUnit}
            maxLength={40}
          />
        </div>
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("common.save")}
          </Button>
        </div>
      </form>
    </details>
  );
}

function MetricItem({ coalition, campaign, metric }: { coalition: MeCoalition; campaign: Campaign; metric: Metric }) {
  const organisationName = useOrganisationName();
  const t = useT();
  const unitOf = useLocalUnit();
  const localName = useLocalName();
  const { number } = useLocalFormat();
  const total = number(metric.total);
  return (
    <li className="row row-stack metric" data-testid="metric">
      <h3 className="row-title">{localName(metric)}</h3>
      {metric.target ? (
        <>
          <p className="metric-total">
            {t("campaigns.progress", { total, target: number(metric.target), unit: unitOf(metric) })}
            <span className="muted"> · {t("campaigns.percentReached", { percent: number(percent(metric.total, metric.target)) })}</span>
          </p>
          <progress
            className="progress"
            max={metric.target}
            value={Math.min(metric.total, metric.target)}
            aria-label={t("campaigns.progressLabel", { name: localName(metric) })}
          />
        </>
      ) : (
        <p className="metric-total">{t("campaigns.totalOnly", { total, unit: unitOf(metric) })}</p>
      )}
      {metric.shares.length > 0 ? (
        <>
          <h4 className="shares-title">{t("campaigns.shares")}</h4>
          <ul className="shares">
            {metric.shares.map((s) => (
              <li key={s.organisation.id}>
                <span>{organisationName.short(s.organisation)}</span>
                <span>
                  {number(s.amount)} {unitOf(metric)}
                  {metric.total > 0 ? <span className="muted"> ({number(percent(s.amount, metric.total))}%)</span> : null}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">{t("campaigns.noContributions")}</p>
      )}
      <Contributions coalition={coalition} campaign={campaign} metric={metric} />
      {metric.source === "letters" ? (
        <p className="muted">{t("letters.metric.derived")}</p>
      ) : (
        <ReportForm coalition={coalition} campaign={campaign} metric={metric} />
      )}
      {campaign.canEdit ? <RenameMetricForm coalition={coalition} campaign={campaign} metric={metric} /> : null}
    </li>
  );
}

function AddMetricForm({ coalition, campaign, onDone }: { coalition: MeCoalition; campaign: Campaign; onDone: () => void }) {
  const t = useT();
  const refresh = useRefreshMetrics(coalition.id, campaign.id);
  const form = useForm(
    (v) => {
      const target = optional(v, "target");
      return createMetric(coalition.id, campaign.id, {
        name: v.name ?? "",
        secondName: readSecondName(v, "secondName"),
        unit: v.unit ?? "",
        secondUnit: v.secondUnit ?? "",
        target: target ? toNumber(target) : null,
        source: v.source === "letters" ? "letters" : "typed",
      });
    },
    {
      required: ["name"],
      onSuccess: (_m, el) => {
        el.reset();
        void refresh();
        onDone();
      },
    },
  );
  return (
    <form noValidate onSubmit={form.onSubmit}>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <Field label={t("campaigns.metricName")} name="name" error={form.fieldErrors.name} maxLength={120} />
      <SecondNameFields prefix="secondName" label={t("names.secondName")} value={null} errors={form.fieldErrors} maxLength={120} />
      <div className="field-pair">
        <Field
          label={t("campaigns.metricUnit")}
          name="unit"
          optionalLabel={t("common.optional")}
          hint={t("campaigns.metricUnitHint")}
          error={form.fieldErrors.unit}
          maxLength={40}
        />
        <Field
          label={t("campaigns.metricTarget")}
          name="target"
          type="number"
          inputMode="decimal"
          min={0}
          optionalLabel={t("common.optional")}
          error={form.fieldErrors.target}
        />
      </div>
      <Field
        label={t("campaigns.metricSecondUnit")}
        name="secondUnit"
        optionalLabel={t("common.optional")}
        hint={t("campaigns.metricSecondUnitHint")}
        error={form.fieldErrors.secondUnit}
        maxLength={40}
      />
      <SelectField label={t("letters.metric.source")} name="source" hint={t("letters.metric.sourceHint")} error={form.fieldErrors.source}>
        <option value="typed">{t("letters.metric.typed")}</option>
        <option value="letters">{t("letters.metric.letters")}</option>
      </SelectField>
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {t("campaigns.addMetric")}
        </Button>
      </div>
    </form>
  );
}

/** Counters with a target: total, progress and each organisation's share; involved organisations report. */
export function Metrics({ coalition, campaign }: { coalition: MeCoalition; campaign: Campaign }) {
  const t = useT();
  const query = useQuery(metricsQuery(coalition.id, campaign.id));
  const details = useRef<HTMLDetailsElement>(null);
  return (
    <Card title={t("campaigns.metrics")}>
      <QueryView query={query} empty={t("campaigns.metricsEmpty")}>
        {(data) => (
          <ul className="rows">
            {data.map((m) => (
              <MetricItem key={m.id} coalition={coalition} campaign={campaign} metric={m} />
            ))}
          </ul>
        )}
      </QueryView>
      {campaign.canEdit ? (
        <details className="add-details" ref={details}>
          <summary className="btn btn-secondary btn-small">{t("campaigns.addMetric")}</summary>
          <AddMetricForm
            coalition={coalition}
            campaign={campaign}
            onDone={() => {
              if (details.current) details.current.open = false;
            }}
          />
        </details>
      ) : null}
    </Card>
  );
}
