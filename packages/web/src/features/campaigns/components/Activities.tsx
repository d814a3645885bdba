import type { MeCoalition } from "@samakki/shared/auth";
import { type Activity, type ActivityInput, ActivityKind, type Campaign } from "@samakki/shared/campaigns";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { ConfirmButton } from "../../../components/ConfirmDialog.tsx";
import { Field, SelectField, TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, optional, useForm } from "../../../components/Form.tsx";
import { MarkdownHint } from "../../../components/MarkdownHint.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { ErrorNotice } from "../../../components/Status.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { useTimeZoneLabel } from "../../../lib/time-zones.ts";
import { ActivitySignups } from "../../signups/index.ts";
import { activitiesQuery, calendarUrl, createActivity, deleteActivity, replaceActivity } from "../api/campaigns.ts";
import { ApiHtml, useLocalFormat } from "./shared.tsx";

type StageDraft = { key: number; date: string; from: string; to: string; distanceKm: string };

let nextKey = 1;
const draft = (s?: Partial<StageDraft>): StageDraft => ({ date: "", from: "", to: "", distanceKm: "", ...s, key: nextKey++ });

function StagesEditor({
  stages,
  setStages,
  errors,
}: {
  stages: StageDraft[];
  setStages: (s: StageDraft[]) => void;
  errors: Record<string, string>;
}) {
  const t = useT();
  const headingId = useId();
  const update = (i: number, patch: Partial<StageDraft>) => setStages(stages.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <fieldset className="field stages" aria-labelledby={headingId}>
      <legend className="field-label" id={headingId}>
        {t("campaigns.stages")}
      </legend>
      <p className="field-hint">{t("campaigns.stagesHint")}</p>
      <ol className="stage-list">
        {stages.map((s, i) => {
          const n = i + 1;
          const error = (name: string) => errors[`stages.${i}.${name}`];
          return (
            <li key={s.key} className="stage-edit">
              <p className="stage-title">{t("campaigns.stageN", { n })}</p>
              <div className="stage-fields">
                <Field
                  label={t("campaigns.stageDate")}
                  name={`stages.${i}.date`}
                  type="date"
                  value={s.date}
                  onChange={(e) => update(i, { date: e.target.value })}
                  error={error("date")}
                />
                <Field
                  label={t("campaigns.stageFrom")}
                  name={`stages.${i}.from`}
                  value={s.from}
                  onChange={(e) => update(i, { from: e.target.value })}
                  error={error("from")}
                  maxLength={120}
                />
                <Field
                  label={t("campaigns.stageTo")}
                  name={`stages.${i}.to`}
                  value={s.to}
                  onChange={(e) => update(i, { to: e.target.value })}
                  error={error("to")}
                  maxLength={120}
                />
                <Field
                  label={t("campaigns.stageDistance")}
                  name={`stages.${i}.distanceKm`}
                  type="number"
                  inputMode="decimal"
                  min={0}
                  step="0.01"
                  value={s.distanceKm}
                  onChange={(e) => update(i, { distanceKm: e.target.value })}
                  error={error("distanceKm")}
                />
              </div>
              <div className="row-actions">
                {i > 0 ? (
                  <Button
                    variant="link"
                    small
                    onClick={() => {
                      const next = [...stages];
                      const [moved] = next.splice(i, 1);
                      if (moved) next.splice(i - 1, 0, moved);
                      setStages(next);
                    }}
                  >
                    {t("campaigns.moveStageUp", { n })}
                  </Button>
                ) : null}
                <Button variant="link" small onClick={() => setStages(stages.filter((_, j) => j !== i))}>
                  {t("campaigns.removeStage", { n })}
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      <Button variant="secondary" small onClick={() => setStages([...stages, draft({ date: stages.at(-1)?.date ?? "" })])}>
        {t("campaigns.addStage")}
      </Button>
    </fieldset>
  );
}

function ActivityForm({
  coalition,
  campaign,
  activity,
  onDone,
}: {
  coalition: MeCoalition;
  campaign: Campaign;
  activity?: Activity | undefined;
  onDone: () => void;
}) {
  const t = useT();
  const zoneLabel = useTimeZoneLabel();
  const client = useQueryClient();
  const [kind, setKind] = useState<string>(activity?.kind ?? "demonstration");
  const [stages, setStages] = useState<StageDraft[]>(() =>
    (activity?.stages ?? []).map((s) => draft({ date: s.date, from: s.from, to: s.to, distanceKm: String(s.distanceKm) })),
  );
  const form = useForm(
    (v) => {
      const input: ActivityInput = {
        kind: ActivityKind.catch("other").parse(v.kind),
        title: v.title ?? "",
        startsAt: v.startsAt ?? "",
        endsAt: optional(v, "endsAt") ?? null,
        location: v.location ?? "",
        description: v.description ?? "",
        stages:
          kind === "march"
            ? stages.map((s) => ({
                date: s.date,
                from: s.from,
                to: s.to,
                distanceKm: s.distanceKm === "" ? Number.NaN : Number(s.distanceKm),
              }))
            : [],
      };
      return activity ? replaceActivity(coalition.id, campaign.id, activity.id, input) : createActivity(coalition.id, campaign.id, input);
    },
    {
      required: ["title", "startsAt"],
      onSuccess: (_saved, el) => {
        void client.invalidateQueries({ queryKey: activitiesQuery(coalition.id, campaign.id).queryKey });
        el.reset();
        setStages([]);
        onDone();
      },
    },
  );
  const zoneHint = t("campaigns.zoneHint", { zone: zoneLabel(coalition.timeZone) });
  return (
    <form noValidate onSubmit={form.onSubmit} className="activity-form">
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <SelectField
        label={t("campaigns.kind")}
        name="kind"
        value={kind}
        onChange={(e) => setKind(e.target.value)}
        error={form.fieldErrors.kind}
      >
        {ActivityKind.options.map((k) => (
          <option key={k} value={k}>
            {t(`activityKind.${k}`)}
          </option>
        ))}
      </SelectField>
      <Field label={t("campaigns.fieldTitle")} name="title" defaultValue={activity?.title} error={form.fieldErrors.title} maxLength={200} />
      <div className="field-pair">
        <Field
          label={t("campaigns.startsAt")}
          name="startsAt"
          type="datetime-local"
          defaultValue={activity?.startsAt}
          hint={zoneHint}
          error={form.fieldErrors.startsAt}
        />
        <Field
          label={t("campaigns.endsAt")}
          name="endsAt"
          type="datetime-local"
          defaultValue={activity?.endsAt ?? ""}
          optionalLabel={t("common.optional")}
          hint={zoneHint}
          error={form.fieldErrors.endsAt}
        />
      </div>
      <Field
        label={t("campaigns.location")}
        name="location"
        defaultValue={activity?.location}
        optionalLabel={t("common.optional")}
        error={form.fieldErrors.location}
        maxLength={200}
      />
      <TextAreaField
        label={t("campaigns.description")}
        name="description"
        rows={3}
        defaultValue={activity?.description}
        optionalLabel={t("common.optional")}
        hint={<MarkdownHint />}
        error={form.fieldErrors.description}
      />
      {kind === "march" ? <StagesEditor stages={stages} setStages={setStages} errors={form.fieldErrors} /> : null}
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {t("campaigns.saveActivity")}
        </Button>
        {activity ? (
          <Button variant="link" onClick={onDone}>
            {t("common.cancel")}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function ActivityItem({ coalition, campaign, activity }: { coalition: MeCoalition; campaign: Campaign; activity: Activity }) {
  const t = useT();
  const { local, day, number } = useLocalFormat();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteActivity(coalition.id, campaign.id, activity.id),
    onSuccess: () => client.invalidateQueries({ queryKey: activitiesQuery(coalition.id, campaign.id).queryKey }),
  });
  if (editing)
    return (
      <li className="row row-stack">
        <h3>{t("campaigns.editActivity", { title: activity.title })}</h3>
        <ActivityForm coalition={coalition} campaign={campaign} activity={activity} onDone={() => setEditing(false)} />
      </li>
    );
  return (
    <li className="row row-stack activity">
      <p className="row-meta">
        <span className={`badge badge-kind-${activity.kind}`}>{t(`activityKind.${activity.kind}`)}</span>{" "}
        <time dateTime={activity.startsAt}>{local(activity.startsAt)}</time>
        {activity.endsAt ? (
          <>
            {" – "}
            <time dateTime={activity.endsAt}>{local(activity.endsAt)}</time>
          </>
        ) : null}
      </p>
      <h3 className="row-title">{activity.title}</h3>
      {activity.location ? <p className="row-meta">{activity.location}</p> : null}
      {activity.descriptionHtml ? <ApiHtml html={activity.descriptionHtml} /> : null}
      {activity.kind === "march" && activity.stages.length > 0 ? (
        <>
          <ol className="stage-list stage-view">
            {activity.stages.map((s) => (
              <li key={s.position}>
                <span className="stage-date">{day(s.date)}</span>{" "}
                <span>
                  {s.from} → {s.to}
                </span>{" "}
                <span className="stage-km">{t("campaigns.distanceKm", { km: number(s.distanceKm) })}</span>
              </li>
            ))}
          </ol>
          <p className="total-distance">{t("campaigns.totalDistance", { km: number(activity.totalDistanceKm) })}</p>
        </>
      ) : null}
      {campaign.canEdit ? (
        <div className="row-actions">
          <Button variant="secondary" small onClick={() => setEditing(true)}>
            {t("common.edit")}
          </Button>
          <ConfirmButton
            label={t("campaigns.deleteActivity")}
            title={t("campaigns.deleteActivityConfirm", { title: activity.title })}
            consequence={t("campaigns.deleteActivityConsequence")}
            pending={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
      ) : null}
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
      <ActivitySignups coalition={coalition} campaign={campaign} activity={activity} />
    </li>
  );
}

/** The campaign's timeline, with the calendar export and (for editors) the activity form. */
export function Activities({ coalition, campaign }: { coalition: MeCoalition; campaign: Campaign }) {
  const t = useT();
  const query = useQuery(activitiesQuery(coalition.id, campaign.id));
  const details = useRef<HTMLDetailsElement>(null);
  return (
    <Card
      title={t("campaigns.activities")}
      className="span-2"
      actions={
        <a href={calendarUrl(coalition.id, campaign.id)} download className="btn btn-secondary btn-small">
          {t("campaigns.calendar")}
        </a>
      }
    >
      <QueryView query={query} empty={t("campaigns.activitiesEmpty")}>
        {(data) => (
          <ul className="rows">
            {data.map((a) => (
              <ActivityItem key={a.id} coalition={coalition} campaign={campaign} activity={a} />
            ))}
          </ul>
        )}
      </QueryView>
      {campaign.canEdit ? (
        <details className="add-details" ref={details}>
          <summary className="btn btn-secondary">{t("campaigns.addActivity")}</summary>
          <ActivityForm
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
