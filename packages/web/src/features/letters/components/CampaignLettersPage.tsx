import type { MeCoalition } from "@samakki/shared/auth";
import type { Letter, LetterAction, ResponseRate } from "@samakki/shared/letters";
import * as paths from "@samakki/shared/paths";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field, SelectField, TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, Notice, optional, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { ErrorBoundary, ErrorNotice, Loading } from "../../../components/Status.tsx";
import { formatDate, formatNumber } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName, useOrganisationName } from "../../../lib/local-name.ts";
import {
  actionsQuery,
  campaignQuery,
  confirmDelivery,
  createAction,
  lettersKey,
  lettersQuery,
  recordLetter,
  recordReply,
  statsQuery,
  targetsQuery,
  updateAction,
} from "../api/letters.ts";
import { RecipientPicker } from "./RecipientPicker.tsx";
import { todayIn, useProvinceName, useTargetName } from "./shared.tsx";

const CHANNELS = ["hand", "post", "email", "fax"] as const;
const STANCES = ["supportive", "undecided", "opposed"] as const;

function useDay() {
  const { lang } = useLanguage();
  return (date: string) => formatDate(`${date}T00:00:00Z`, lang, "UTC");
}

function useRefresh(coalitionId: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: lettersKey(coalitionId) });
}

function ActionEditor({
  coalition,
  campaignId,
  action,
  onDone,
}: {
  coalition: MeCoalition;
  campaignId: string;
  action?: LetterAction;
  onDone: () => void;
}) {
  const t = useT();
  const refresh = useRefresh(coalition.id);
  // Archived ones too: a letter keeps the recipients it has, archived since or not (they are shown
  // to it, marked; a new choice is among the others).
  const targets = useQuery(targetsQuery(coalition.id, { q: "", province: "", archived: "all" }));
  const [chosen, setChosen] = useState(() => new Set(action?.targets.map((x) => x.id) ?? []));
  const form = useForm(
    (v) => {
      // In the directory's order, whatever the search shows now.
      const targetIds = (targets.data ?? []).filter((target) => chosen.has(target.id)).map((target) => target.id);
      const body = {
        title: v.title ?? "",
        subjectKm: v.subjectKm ?? "",
        subjectEn: v.subjectEn ?? "",
        bodyKm: v.bodyKm ?? "",
        bodyEn: v.bodyEn ?? "",
        targetIds,
      };
      return action ? updateAction(coalition.id, campaignId, action.id, body) : createAction(coalition.id, campaignId, body);
    },
    {
      required: ["title"],
      onSuccess: () => {
        void refresh();
        onDone();
      },
    },
  );
  return (
    <form noValidate onSubmit={form.onSubmit} aria-label={action ? t("letters.actions.edit") : t("letters.actions.add")}>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <Field label={t("letters.actions.title")} name="title" defaultValue={action?.title ?? ""} error={form.fieldErrors.title} />
      <Field
        label={t("letters.actions.subjectKm")}
        name="subjectKm"
        lang="km"
        defaultValue={action?.subjectKm ?? ""}
        error={form.fieldErrors.subjectKm}
      />
      <TextAreaField
        label={t("letters.actions.bodyKm")}
        name="bodyKm"
        lang="km"
        rows={6}
        defaultValue={action?.bodyKm ?? ""}
        hint={t("letters.actions.bodyHint", { name: "{name}" })}
        error={form.fieldErrors.bodyKm}
      />
      <Field
        label={t("letters.actions.subjectEn")}
        name="subjectEn"
        lang="en"
        defaultValue={action?.subjectEn ?? ""}
        error={form.fieldErrors.subjectEn}
      />
      <TextAreaField
        label={t("letters.actions.bodyEn")}
        name="bodyEn"
        lang="en"
        rows={6}
        defaultValue={action?.bodyEn ?? ""}
        hint={t("letters.actions.bodyHint", { name: "{name}" })}
        error={form.fieldErrors.bodyEn}
      />
      <fieldset className="field">
        <legend className="field-label">{t("letters.actions.targets")}</legend>
        {targets.isPending ? <Loading /> : null}
        {targets.data ? <RecipientPicker targets={targets.data} chosen={chosen} onChange={setChosen} /> : null}
        {form.fieldErrors.targetIds ? <p className="field-error">{form.fieldErrors.targetIds}</p> : null}
      </fieldset>
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {t("letters.actions.save")}
        </Button>
        <Button variant="link" onClick={onDone}>
          {t("letters.targets.cancel")}
        </Button>
      </div>
    </form>
  );
}

function RecordLetterForm({ coalition, campaignId, action }: { coalition: MeCoalition; campaignId: string; action: LetterAction }) {
  const t = useT();
  const organisationName = useOrganisationName();
  const name = useTargetName();
  const refresh = useRefresh(coalition.id);
  const [done, setDone] = useState(false);
  const mine = coalition.organisations;
  const form = useForm(
    (v) =>
      recordLetter(coalition.id, campaignId, action.id, {
        targetId: v.targetId ?? "",
        organisationId: v.organisationId ?? "",
        sentOn: v.sentOn ?? "",
        channel: (v.channel ?? "") as (typeof CHANNELS)[number],
        deliveryConfirmed: v.deliveryConfirmed === "on",
      }),
    {
      required: ["targetId", "sentOn", "channel"],
      onSuccess: (_r, el) => {
        el.reset();
        setDone(true);
        void refresh();
      },
    },
  );
  if (mine.length === 0) return <p className="muted">{t("letters.record.noOrganisation")}</p>;
  return (
    <details className="add-details">
      <summary className="btn btn-secondary btn-small">{t("letters.record.title")}</summary>
      {done ? <Notice kind="success" title={t("letters.record.done")} /> : null}
      <form noValidate onSubmit={form.onSubmit} onInput={() => setDone(false)} aria-label={`${t("letters.record.title")}: ${action.title}`}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <SelectField label={t("letters.record.target")} name="targetId" error={form.fieldErrors.targetId}>
          <option value="" />
          {action.targets
            .filter((x) => !x.archived)
            .map((x) => (
              <option key={x.id} value={x.id}>
                {name(x)}
              </option>
            ))}
        </SelectField>
        <SelectField label={t("letters.record.organisation")} name="organisationId" error={form.fieldErrors.organisationId}>
          {mine.map((o) => (
            <option key={o.id} value={o.id}>
              {organisationName.short(o)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t("letters.record.sentOn")}
          name="sentOn"
          type="date"
          defaultValue={todayIn(coalition.timeZone)}
          error={form.fieldErrors.sentOn}
        />
        <SelectField label={t("letters.record.channel")} name="channel" error={form.fieldErrors.channel}>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`letters.channel.${c}`)}
            </option>
          ))}
        </SelectField>
        <label className="check">
          <input type="checkbox" name="deliveryConfirmed" /> {t("letters.record.delivered")}
        </label>
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("letters.record.submit")}
          </Button>
        </div>
      </form>
    </details>
  );
}

function ReplyForm({ coalition, campaignId, letter }: { coalition: MeCoalition; campaignId: string; letter: Letter }) {
  const t = useT();
  const refresh = useRefresh(coalition.id);
  const details = useRef<HTMLDetailsElement>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm(
    (v) =>
      recordReply(coalition.id, campaignId, letter.actionId, letter.id, {
        receivedOn: v.receivedOn ?? "",
        summary: v.summary ?? "",
        stance: (v.stance ?? "") as (typeof STANCES)[number],
        scanReference: optional(v, "scanReference") ?? "",
      }),
    {
      required: ["receivedOn", "summary", "stance"],
      // Said, and the form closed: left open and filled in, it looked as if nothing had happened.
      onSuccess: () => {
        setSaved(true);
        if (details.current) details.current.open = false;
        void refresh();
      },
    },
  );
  return (
    <>
      {saved ? <Notice kind="success" title={t("letters.reply.done")} /> : null}
      <details className="add-details" ref={details} onToggle={() => details.current?.open && setSaved(false)}>
        <summary className="btn btn-secondary btn-small">{t("letters.reply.title")}</summary>
        <form noValidate onSubmit={form.onSubmit} aria-label={t("letters.reply.title")}>
          <FormProblem problem={form.problem} unmatched={form.unmatched} />
          <Field
            label={t("letters.reply.receivedOn")}
            name="receivedOn"
            type="date"
            defaultValue={letter.reply?.receivedOn ?? todayIn(coalition.timeZone)}
            error={form.fieldErrors.receivedOn}
          />
          <TextAreaField
            label={t("letters.reply.summary")}
            name="summary"
            rows={3}
            defaultValue={letter.reply?.summary ?? ""}
            error={form.fieldErrors.summary}
          />
          <SelectField
            label={t("letters.reply.stance")}
            name="stance"
            defaultValue={letter.reply?.stance ?? ""}
            error={form.fieldErrors.stance}
          >
            <option value="" />
            {STANCES.map((s) => (
              <option key={s} value={s}>
                {t(`letters.stance.${s}`)}
              </option>
            ))}
          </SelectField>
          <Field
            label={t("letters.reply.scanReference")}
            name="scanReference"
            defaultValue={letter.reply?.scanReference ?? ""}
            hint={t("letters.reply.scanHint")}
            optionalLabel={t("common.optional")}
            error={form.fieldErrors.scanReference}
          />
          <div className="form-actions">
            <Button type="submit" pending={form.pending}>
              {t("letters.reply.submit")}
            </Button>
          </div>
        </form>
      </details>
    </>
  );
}

function LetterRow({ coalition, campaignId, letter }: { coalition: MeCoalition; campaignId: string; letter: Letter }) {
  const t = useT();
  const organisationName = useOrganisationName();
  const name = useTargetName();
  const day = useDay();
  const refresh = useRefresh(coalition.id);
  // A confirmation that did not go through says why (offline, or refused), rather than nothing.
  const [confirmError, setConfirmError] = useState<unknown>(null);
  const onConfirm = () => {
    setConfirmError(null);
    confirmDelivery(coalition.id, campaignId, letter.actionId, letter.id).then(refresh, setConfirmError);
  };
  return (
    <li className="row">
      <div className="row-main">
        <span className="row-title">{name(letter.target)}</span>
        <p className="row-meta">
          {t("letters.list.sentBy", {
            organisation: organisationName.short(letter.organisation),
            date: day(letter.sentOn),
            channel: t(`letters.channel.${letter.channel}`),
          })}
          {" · "}
          {letter.deliveryConfirmed ? t("letters.list.delivered") : t("letters.list.notDelivered")}
        </p>
        {letter.reply ? (
          <p className="row-meta">
            {t("letters.list.replied", { date: day(letter.reply.receivedOn), stance: t(`letters.stance.${letter.reply.stance}`) })}
            {" — "}
            {letter.reply.summary}
          </p>
        ) : null}
        {letter.canEdit ? (
          <span className="action-group">
            {!letter.deliveryConfirmed ? (
              <Button variant="secondary" small onClick={onConfirm}>
                {t("letters.list.confirmDelivery")}
              </Button>
            ) : null}
            <ReplyForm coalition={coalition} campaignId={campaignId} letter={letter} />
          </span>
        ) : null}
        {confirmError ? <ErrorNotice error={confirmError} /> : null}
      </div>
    </li>
  );
}

function ActionCard({ coalition, campaignId, action }: { coalition: MeCoalition; campaignId: string; action: LetterAction }) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const letters = useQuery(lettersQuery(coalition.id, campaignId, action.id));
  const { lang } = useLanguage();
  const n = (v: number) => formatNumber(v, lang);
  return (
    <Card
      title={action.title}
      actions={
        action.canEdit && !editing ? (
          <Button variant="secondary" small onClick={() => setEditing(true)}>
            {t("letters.actions.edit")}
          </Button>
        ) : null
      }
    >
      <p className="muted">
        {t("letters.actions.counts", {
          sent: n(action.counts.sent),
          delivered: n(action.counts.delivered),
          replied: action.counts.replied,
          started: n(action.started),
        })}
      </p>
      {editing ? <ActionEditor coalition={coalition} campaignId={campaignId} action={action} onDone={() => setEditing(false)} /> : null}
      <RecordLetterForm coalition={coalition} campaignId={campaignId} action={action} />
      <h3>{t("letters.list.title")}</h3>
      <QueryView query={letters} empty={t("letters.list.empty")}>
        {(data) => (
          <ul className="rows">
            {data.map((l) => (
              <LetterRow key={l.id} coalition={coalition} campaignId={campaignId} letter={l} />
            ))}
          </ul>
        )}
      </QueryView>
    </Card>
  );
}

function Rates({ title, group, rows, label }: { title: string; group: string; rows: ResponseRate[]; label: (key: string) => string }) {
  const t = useT();
  const { lang } = useLanguage();
  return (
    <>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t("letters.views.none")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{group}</th>
              <th scope="col">{t("letters.views.letters")}</th>
              <th scope="col">{t("letters.views.replies")}</th>
              <th scope="col">{t("letters.views.rate")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{label(r.key)}</th>
                <td>{formatNumber(r.letters, lang)}</td>
                <td>{formatNumber(r.replied, lang)}</td>
                <td>{r.rate === null ? "" : `${formatNumber(Math.round(r.rate * 100), lang)}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function StatsCard({ coalition, campaignId }: { coalition: MeCoalition; campaignId: string }) {
  const t = useT();
  const organisationName = useOrganisationName();
  const name = useTargetName();
  const province = useProvinceName();
  const day = useDay();
  const stats = useQuery(statsQuery(coalition.id, campaignId));
  if (stats.isPending) return <Loading />;
  if (stats.isError) return <ErrorNotice error={stats.error} onRetry={() => void stats.refetch()} />;
  const s = stats.data;
  return (
    <Card title={t("letters.views.title")}>
      <h3>{t("letters.views.notContacted")}</h3>
      {s.notContacted.length === 0 ? (
        <p className="muted">{t("letters.views.none")}</p>
      ) : (
        <ul className="rows">
          {s.notContacted.map((x) => (
            <li key={x.id} className="row">
              {name(x)}
              {x.province ? ` · ${province(x.province)}` : ""}
              {x.party ? ` · ${x.party}` : ""}
            </li>
          ))}
        </ul>
      )}
      <h3>{t("letters.views.awaitingReply")}</h3>
      {s.awaitingReply.length === 0 ? (
        <p className="muted">{t("letters.views.none")}</p>
      ) : (
        <ul className="rows">
          {s.awaitingReply.map((l) => (
            <li key={l.id} className="row">
              {name(l.target)} · {organisationName.short(l.organisation)} · {day(l.sentOn)}
            </li>
          ))}
        </ul>
      )}
      <Rates
        title={t("letters.views.byParty")}
        group={t("letters.targets.party")}
        rows={s.byParty}
        label={(k) => k || t("letters.views.noParty")}
      />
      <Rates
        title={t("letters.views.byProvince")}
        group={t("letters.targets.province")}
        rows={s.byProvince}
        label={(k) => (k ? province(k) : t("letters.targets.noProvince"))}
      />
    </Card>
  );
}

/** A campaign's letters: its letter actions (editor), the letters sent and their replies, and the follow-up views. */
export function CampaignLettersPage({ coalition, campaignId }: { coalition: MeCoalition; campaignId: string }) {
  const t = useT();
  const local = useLocalName();
  const campaign = useQuery(campaignQuery(coalition.id, campaignId));
  const actions = useQuery(actionsQuery(coalition.id, campaignId));
  const [adding, setAdding] = useState(false);
  // A campaign that is not there says so at once, whatever else is still on its way.
  if (campaign.isError) return <ErrorNotice error={campaign.error} onRetry={() => void campaign.refetch()} />;
  if (campaign.isPending || actions.isPending) return <Loading />;
  if (actions.isError) return <ErrorNotice error={actions.error} onRetry={() => void actions.refetch()} />;
  const canManage = coalition.isCoordinator || actions.data.some((a) => a.canEdit) || campaign.data.canEdit;
  return (
    <>
      <p className="crumbs">
        <Link href={`~${paths.campaign(coalition.id, campaignId)}`}>{t("letters.campaign.back")}</Link>
        {" · "}
        <Link href="/targets">{t("letters.targets.title")}</Link>
      </p>
      <PageHeader
        title={t("letters.campaign.title", { campaign: local(campaign.data) })}
        actions={
          canManage && !adding ? (
            <Button variant="secondary" onClick={() => setAdding(true)}>
              {t("letters.actions.add")}
            </Button>
          ) : null
        }
      />
      {adding ? (
        <Card title={t("letters.actions.add")}>
          <ActionEditor coalition={coalition} campaignId={campaignId} onDone={() => setAdding(false)} />
        </Card>
      ) : null}
      <div className="grid">
        {actions.data.length === 0 ? <p className="muted">{t("letters.actions.empty")}</p> : null}
        {actions.data.map((a) => (
          <ErrorBoundary key={a.id}>
            <ActionCard coalition={coalition} campaignId={campaignId} action={a} />
          </ErrorBoundary>
        ))}
        <ErrorBoundary>
          <StatsCard coalition={coalition} campaignId={campaignId} />
        </ErrorBoundary>
      </div>
    </>
  );
}
