import type { MeCoalition } from "@samakki/shared/auth";
import * as paths from "@samakki/shared/paths";
import type { PaperSheet, Petition } from "@samakki/shared/petitions";
import { PROVINCES, ProvinceCode, provinceName, provincesSorted } from "@samakki/shared/provinces";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field, SelectField, TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, type FormValues, Notice, oneOf, optional, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { isApiError } from "../../../lib/api-client.ts";
import { formatDate, formatDateTime, formatNumber } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import {
  closePetition,
  correctPaperSheet,
  createPetition,
  paperSheetsQuery,
  petitionKey,
  petitionQuery,
  recordPaperSheet,
  signersCsvUrl,
  signersQuery,
  updatePetition,
} from "../api/petitions.ts";

/** "12" → 12; empty or not a number → NaN, which the API refuses with a field error. */
const toInt = (value: string | undefined) => (value?.trim() ? Number(value.replace(/[\s,]/g, "")) : Number.NaN);

function todayIn(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

function useFormats(coalition: MeCoalition) {
  const { lang } = useLanguage();
  return {
    lang,
    day: (date: string) => formatDate(`${date}T00:00:00Z`, lang, "UTC"),
    when: (iso: string) => formatDateTime(iso, lang, coalition.timeZone),
    n: (value: number) => formatNumber(value, lang),
  };
}

function useRefresh(coalitionId: string, campaignId: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: petitionKey(coalitionId, campaignId) });
}

const petitionBody = (v: FormValues) => ({
  titleKm: v.titleKm ?? "",
  titleEn: v.titleEn ?? "",
  bodyKm: v.bodyKm ?? "",
  bodyEn: v.bodyEn ?? "",
  target: toInt(v.target),
  opensOn: v.opensOn ?? "",
  closesOn: v.closesOn ?? "",
});

/** Create or edit the bilingual text, the target and the dates. */
function PetitionEditor({
  coalition,
  campaignId,
  petition,
  onDone,
}: {
  coalition: MeCoalition;
  campaignId: string;
  petition?: Petition;
  onDone?: () => void;
}) {
  const t = useT();
  const refresh = useRefresh(coalition.id, campaignId);
  const form = useForm(
    (v) =>
      petition ? updatePetition(coalition.id, campaignId, petitionBody(v)) : createPetition(coalition.id, campaignId, petitionBody(v)),
    {
      required: ["titleKm", "titleEn", "target", "opensOn", "closesOn"],
      onSuccess: () => {
        void refresh();
        onDone?.();
      },
    },
  );
  return (
    <Card title={petition ? t("petitions.edit") : t("petitions.createTitle")}>
      <form noValidate onSubmit={form.onSubmit} aria-label={petition ? t("petitions.edit") : t("petitions.createTitle")}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <Field label={t("petitions.titleKm")} name="titleKm" lang="km" defaultValue={petition?.titleKm} error={form.fieldErrors.titleKm} />
        <TextAreaField
          label={t("petitions.bodyKm")}
          name="bodyKm"
          lang="km"
          rows={6}
          defaultValue={petition?.bodyKm}
          error={form.fieldErrors.bodyKm}
        />
        <Field label={t("petitions.titleEn")} name="titleEn" lang="en" defaultValue={petition?.titleEn} error={form.fieldErrors.titleEn} />
        <TextAreaField
          label={t("petitions.bodyEn")}
          name="bodyEn"
          lang="en"
          rows={6}
          defaultValue={petition?.bodyEn}
          error={form.fieldErrors.bodyEn}
        />
        <Field
          label={t("petitions.target")}
          name="target"
          type="number"
          inputMode="numeric"
          min={1}
          defaultValue={petition?.target}
          error={form.fieldErrors.target}
        />
        <div className="field-pair">
          <Field
            label={t("petitions.opensOn")}
            name="opensOn"
            type="date"
            defaultValue={petition?.opensOn ?? todayIn(coalition.timeZone)}
            error={form.fieldErrors.opensOn}
          />
          <Field
            label={t("petitions.closesOn")}
            name="closesOn"
            type="date"
            defaultValue={petition?.closesOn}
            error={form.fieldErrors.closesOn}
          />
        </div>
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("petitions.save")}
          </Button>
          {onDone ? (
            <Button variant="secondary" onClick={onDone}>
              {t("common.cancel")}
            </Button>
          ) : null}
        </div>
      </form>
    </Card>
  );
}

/** Close, choosing whether to delete the signers' personal data after N days. */
function CloseForm({ coalition, campaignId, onDone }: { coalition: MeCoalition; campaignId: string; onDone: () => void }) {
  const t = useT();
  const refresh = useRefresh(coalition.id, campaignId);
  const [mode, setMode] = useState<"keep" | "delete">("keep");
  const form = useForm((v) => closePetition(coalition.id, campaignId, v.mode === "delete" ? toInt(v.deleteAfterDays) : null), {
    onSuccess: () => {
      void refresh();
      onDone();
    },
  });
  return (
    <form noValidate onSubmit={form.onSubmit} aria-label={t("petitions.closeTitle")}>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <p>{t("petitions.closeHint")}</p>
      <fieldset className="field">
        <label>
          <input type="radio" name="mode" value="keep" checked={mode === "keep"} onChange={() => setMode("keep")} />{" "}
          {t("petitions.keepData")}
        </label>
        <label>
          <input type="radio" name="mode" value="delete" checked={mode === "delete"} onChange={() => setMode("delete")} />{" "}
          {t("petitions.deleteData")}
        </label>
      </fieldset>
      {mode === "delete" ? (
        <Field
          label={t("petitions.deleteAfterDays")}
          name="deleteAfterDays"
          type="number"
          inputMode="numeric"
          min={0}
          defaultValue={30}
          error={form.fieldErrors.deleteAfterDays}
        />
      ) : null}
      <div className="form-actions">
        <Button type="submit" variant="danger" pending={form.pending}>
          {t("petitions.closeConfirm")}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          {t("common.cancel")}
        </Button>
      </div>
    </form>
  );
}

function Summary({ coalition, campaignId, petition }: { coalition: MeCoalition; campaignId: string; petition: Petition }) {
  const t = useT();
  const { lang, when, n } = useFormats(coalition);
  const [closing, setClosing] = useState(false);
  const [editing, setEditing] = useState(false);
  const { counts } = petition;
  const percent = petition.target > 0 ? Math.floor((counts.total / petition.target) * 100) : 0;
  return (
    <>
      <Card
        title={lang === "km" ? petition.titleKm : petition.titleEn}
        actions={
          <span className={`badge badge-petition-${petition.status}`}>
            {t(petition.status === "open" ? "petitions.statusOpen" : "petitions.statusClosed")}
          </span>
        }
      >
        <p>
          <strong>{t("petitions.totals", { total: counts.total, online: n(counts.online), paper: n(counts.paper) })}</strong>
        </p>
        <progress
          max={petition.target}
          value={Math.min(counts.total, petition.target)}
          aria-label={t("petitions.progress", { percent: n(percent), target: n(petition.target) })}
        />
        <p className="row-meta">{t("petitions.progress", { percent: n(percent), target: n(petition.target) })}</p>
        {counts.byProvince.length > 0 ? (
          <ul className="plain-list">
            {counts.byProvince.map((p) => (
              <li key={p.province}>
                {provinceName(p.province, lang)}: {n(p.online)} · {n(p.paper)}
              </li>
            ))}
          </ul>
        ) : null}
        {petition.closedAt ? <p className="row-meta">{t("petitions.closedOn", { date: when(petition.closedAt) })}</p> : null}
        {petition.purgedAt ? (
          <p className="row-meta">{t("petitions.purged", { date: when(petition.purgedAt) })}</p>
        ) : petition.purgeDueAt ? (
          <p className="row-meta">{t("petitions.purgeDue", { date: when(petition.purgeDueAt) })}</p>
        ) : null}
        {petition.canManage && petition.status === "open" && !closing && !editing ? (
          <div className="form-actions">
            <Button variant="secondary" small onClick={() => setEditing(true)}>
              {t("petitions.edit")}
            </Button>
            <Button variant="danger" small onClick={() => setClosing(true)}>
              {t("petitions.close")}
            </Button>
          </div>
        ) : null}
        {closing ? <CloseForm coalition={coalition} campaignId={campaignId} onDone={() => setClosing(false)} /> : null}
      </Card>
      {editing ? (
        <PetitionEditor coalition={coalition} campaignId={campaignId} petition={petition} onDone={() => setEditing(false)} />
      ) : null}
    </>
  );
}

function Signers({ coalition, campaignId }: { coalition: MeCoalition; campaignId: string }) {
  const t = useT();
  const { lang, when } = useFormats(coalition);
  const query = useInfiniteQuery(signersQuery(coalition.id, campaignId));
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  const items = query.data.pages.flatMap((p) => p.items);
  return (
    <Card
      title={t("petitions.signers")}
      actions={
        <a className="btn btn-secondary btn-small" href={signersCsvUrl(coalition.id, campaignId)} download>
          {t("petitions.exportCsv")}
        </a>
      }
    >
      {items.length === 0 ? (
        <p className="empty">{t("petitions.signersEmpty")}</p>
      ) : (
        <ul className="rows">
          {items.map((s) => (
            <li key={s.id} className="row">
              <div>
                <p className="row-title">{s.name}</p>
                <p className="row-meta">
                  {s.email} · {provinceName(s.province, lang)} ·{" "}
                  {t(s.status === "confirmed" ? "petitions.signerStatusConfirmed" : "petitions.signerStatusPending")}
                  {s.showName ? ` · ${t("petitions.shown")}` : ""} · {when(s.confirmedAt ?? s.createdAt)}
                </p>
                {s.comment ? <p>{s.comment}</p> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage ? (
        <div className="form-actions">
          <Button variant="secondary" small pending={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {t("common.loadMore")}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function ProvinceOptions() {
  const { lang } = useLanguage();
  return (
    <>
      {provincesSorted(lang).map((p) => (
        <option key={p.code} value={p.code}>
          {p[lang]}
        </option>
      ))}
    </>
  );
}

function SheetForm({
  coalition,
  campaignId,
  sheet,
  onDone,
}: {
  coalition: MeCoalition;
  campaignId: string;
  sheet?: PaperSheet;
  onDone?: () => void;
}) {
  const t = useT();
  const localName = useLocalName();
  const refresh = useRefresh(coalition.id, campaignId);
  const form = useForm(
    (v, el) => {
      const body = {
        count: toInt(v.count),
        province: oneOf(ProvinceCode.options, v.province ?? ""),
        date: v.date ?? "",
        note: optional(v, "note") ?? "",
      };
      return sheet
        ? correctPaperSheet(coalition.id, campaignId, sheet.id, body)
        : recordPaperSheet(coalition.id, campaignId, { ...body, organisationId: v.organisationId ?? "" }).then(() => el.reset());
    },
    {
      required: ["count", "province", "date"],
      onSuccess: () => {
        void refresh();
        onDone?.();
      },
    },
  );
  return (
    <form noValidate onSubmit={form.onSubmit} aria-label={sheet ? t("petitions.correctSheet") : t("petitions.recordSheet")}>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      {sheet ? null : (
        <SelectField label={t("petitions.sheetOrganisation")} name="organisationId" error={form.fieldErrors.organisationId}>
          {coalition.organisations.map((o) => (
            <option key={o.id} value={o.id}>
              {localName(o)}
            </option>
          ))}
        </SelectField>
      )}
      <div className="field-pair">
        <Field
          label={t("petitions.sheetCount")}
          name="count"
          type="number"
          inputMode="numeric"
          min={0}
          defaultValue={sheet?.count}
          error={form.fieldErrors.count}
        />
        <Field
          label={t("petitions.sheetDate")}
          name="date"
          type="date"
          defaultValue={sheet?.date ?? todayIn(coalition.timeZone)}
          error={form.fieldErrors.date}
        />
      </div>
      <SelectField
        label={t("petitions.province")}
        name="province"
        defaultValue={sheet?.province ?? PROVINCES[0].code}
        error={form.fieldErrors.province}
      >
        <ProvinceOptions />
      </SelectField>
      <Field
        label={t("petitions.sheetNote")}
        name="note"
        defaultValue={sheet?.note}
        optionalLabel={t("common.optional")}
        error={form.fieldErrors.note}
      />
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {sheet ? t("petitions.saveCorrection") : t("petitions.saveSheet")}
        </Button>
        {onDone ? (
          <Button variant="secondary" onClick={onDone}>
            {t("common.cancel")}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function PaperSheets({ coalition, campaignId }: { coalition: MeCoalition; campaignId: string }) {
  const t = useT();
  const localName = useLocalName();
  const { lang, day, n } = useFormats(coalition);
  const query = useQuery(paperSheetsQuery(coalition.id, campaignId));
  const [correcting, setCorrecting] = useState<string | null>(null);
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  const own = new Set(coalition.organisations.map((o) => o.id));
  return (
    <Card title={t("petitions.paperSheets")}>
      {query.data.length === 0 ? (
        <p className="empty">{t("petitions.paperSheetsEmpty")}</p>
      ) : (
        <ul className="rows">
          {query.data.map((s) => (
            <li key={s.id} className="row">
              <div>
                <p className="row-title">
                  {n(s.count)} · {provinceName(s.province, lang)} · {day(s.date)}
                  {s.revision > 1 ? <span className="badge"> {t("petitions.corrected")}</span> : null}
                </p>
                <p className="row-meta">
                  {localName(s.organisation)}
                  {s.note ? ` · ${s.note}` : ""}
                </p>
                {s.history.length > 1 ? (
                  <details>
                    <summary>{t("petitions.history")}</summary>
                    <ul className="plain-list">
                      {s.history.map((h) => (
                        <li key={h.revision}>
                          {t("petitions.revision", {
                            n: n(h.revision),
                            count: n(h.count),
                            province: provinceName(h.province, lang),
                            date: day(h.date),
                          })}
                          {h.changedBy ? ` · ${h.changedBy.displayName}` : ""}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
                {own.has(s.organisation.id) && correcting !== s.id ? (
                  <Button variant="link" small onClick={() => setCorrecting(s.id)}>
                    {t("petitions.correctSheet")}
                  </Button>
                ) : null}
                {correcting === s.id ? (
                  <SheetForm coalition={coalition} campaignId={campaignId} sheet={s} onDone={() => setCorrecting(null)} />
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {coalition.organisations.length > 0 ? (
        <details>
          <summary>{t("petitions.recordSheet")}</summary>
          <SheetForm coalition={coalition} campaignId={campaignId} />
        </details>
      ) : null}
    </Card>
  );
}

/** The petition of a campaign for its owners and members: summary, editor, close, signers, paper sheets. */
export function PetitionPage({ coalition, campaignId }: { coalition: MeCoalition; campaignId: string }) {
  const t = useT();
  const query = useQuery(petitionQuery(coalition.id, campaignId));
  const header = (
    <>
      <p className="crumbs">
        <Link href={`~${paths.campaign(coalition.id, campaignId)}`}>{t("nav.campaigns")}</Link>
      </p>
      <PageHeader title={t("petitions.title")} />
    </>
  );
  if (query.isPending) return <Loading />;
  if (query.isError) {
    if (isApiError(query.error) && query.error.status === 404) {
      return (
        <>
          {header}
          <Notice>{t("petitions.none")}</Notice>
          <PetitionEditor coalition={coalition} campaignId={campaignId} />
        </>
      );
    }
    return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  }
  const petition = query.data;
  return (
    <>
      {header}
      <div className="grid">
        <Summary coalition={coalition} campaignId={campaignId} petition={petition} />
        {petition.canManage ? <Signers coalition={coalition} campaignId={campaignId} /> : null}
        <PaperSheets coalition={coalition} campaignId={campaignId} />
      </div>
    </>
  );
}
