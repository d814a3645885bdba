import type { MeCoalition } from "@samakki/shared/auth";
import { PROVINCE_PATTERN, type Target, type TargetImportPreview } from "@samakki/shared/letters";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { useLocation, useSearch } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { Field, SelectField, TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, Notice, readForm, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { withQuery } from "../../../lib/api-client.ts";
import { useDrawnOnce } from "../../../lib/drawn-once.ts";
import { formatNumber } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import {
  commitImport,
  createTarget,
  lettersKey,
  previewImport,
  type TargetFilters,
  targetsCsvUrl,
  targetsQuery,
  updateTarget,
} from "../api/letters.ts";
import { ProvinceOptions, useProvinceName, useTargetName } from "./shared.tsx";

const FIELDS = ["nameKm", "nameEn", "role", "party", "constituency", "email", "phone", "fax", "postalAddress"] as const;

function TargetForm({ coalition, target, onDone }: { coalition: MeCoalition; target?: Target; onDone: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const form = useForm(
    (v) => {
      const body: Record<string, unknown> = Object.fromEntries(FIELDS.map((f) => [f, (v[f] ?? "").trim()]));
      body.province = v.province ? v.province : null;
      return target ? updateTarget(coalition.id, target.id, body) : createTarget(coalition.id, body);
    },
    {
      onSuccess: () => {
        void client.invalidateQueries({ queryKey: lettersKey(coalition.id) });
        onDone();
      },
    },
  );
  return (
    <form noValidate onSubmit={form.onSubmit} aria-label={target ? t("letters.targets.edit") : t("letters.targets.add")}>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      {FIELDS.map((f) => (
        <Field
          key={f}
          label={t(`letters.targets.${f}`)}
          name={f}
          type={f === "email" ? "email" : "text"}
          defaultValue={target?.[f] ?? ""}
          error={form.fieldErrors[f]}
        />
      ))}
      <SelectField
        label={t("letters.targets.province")}
        name="province"
        defaultValue={target?.province ?? ""}
        error={form.fieldErrors.province}
      >
        <ProvinceOptions empty={t("letters.targets.noProvince")} />
      </SelectField>
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {t("letters.targets.save")}
        </Button>
        <Button variant="link" onClick={onDone}>
          {t("letters.targets.cancel")}
        </Button>
      </div>
    </form>
  );
}

function ImportCard({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const { lang } = useLanguage();
  const name = useTargetName();
  const client = useQueryClient();
  const [csv, setCsv] = useState("");
  const [preview, setPreview] = useState<TargetImportPreview | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const check = useForm(
    async (v) => {
      const text = v.csv ?? "";
      setCsv(text);
      setDone(null);
      return previewImport(coalition.id, text);
    },
    { required: ["csv"], onSuccess: (result) => setPreview(result) },
  );
  const commit = useForm(() => commitImport(coalition.id, csv), {
    onSuccess: (result) => {
      setDone(result.imported);
      setPreview(null);
      void client.invalidateQueries({ queryKey: lettersKey(coalition.id) });
    },
  });
  return (
    <Card title={t("letters.import.title")}>
      {done !== null ? <Notice kind="success" title={t("letters.import.done", { count: done })} /> : null}
      <form noValidate onSubmit={check.onSubmit} aria-label={t("letters.import.title")}>
        <FormProblem problem={check.problem} unmatched={check.unmatched} />
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label={t("letters.import.file")}
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            const area = e.currentTarget.form?.elements.namedItem("csv");
            if (file && area instanceof HTMLTextAreaElement) area.value = await file.text();
          }}
        />
        <TextAreaField label={t("letters.import.file")} name="csv" rows={5} hint={t("letters.import.hint")} error={check.fieldErrors.csv} />
        <Button type="submit" variant="secondary" pending={check.pending}>
          {t("letters.import.preview")}
        </Button>
      </form>
      {preview ? (
        <div className="stack">
          <p>{t("letters.import.summary", { valid: preview.valid, invalid: preview.invalid })}</p>
          <ul className="rows">
            {preview.rows.map((row) => (
              <li key={row.line} className="row">
                <div className="row-main">
                  <span className="row-title">
                    {t("letters.import.line")} {formatNumber(row.line, lang)}: {row.target ? name(row.target) : ""}
                  </span>
                  {row.errors.length === 0 ? (
                    <p className="row-meta">{t("letters.import.ok")}</p>
                  ) : (
                    row.errors.map((e) => (
                      <p key={`${e.path}-${e.message}`} className="field-error">
                        {e.path ? `${e.path}: ` : ""}
                        {e.message}
                      </p>
                    ))
                  )}
                </div>
              </li>
            ))}
          </ul>
          <form noValidate onSubmit={commit.onSubmit}>
            <FormProblem problem={commit.problem} unmatched={commit.unmatched} />
            <Button type="submit" pending={commit.pending} disabled={preview.valid === 0}>
              {t("letters.import.confirm", { count: preview.valid })}
            </Button>
          </form>
        </div>
      ) : null}
    </Card>
  );
}

/** How many recipients the list draws at first, and how many more each "Show more" adds. */
export const TARGETS_PAGE = 25;

/**
 * The directory in pages, drawn here: the API answers a search with every recipient that matches
 * (no paging), already in one response, but drawing hundreds of rows made the page some 20,000 px
 * long on a phone and slow to lay out. The count says how many there are; "Show more" adds a page
 * (no request) and takes the focus to the first row it added, as the button may then be gone.
 */
function PagedRows({ targets, children }: { targets: readonly Target[]; children: (target: Target) => ReactNode }) {
  const t = useT();
  const [shown, setShown] = useState(TARGETS_PAGE);
  const [firstAdded, setFirstAdded] = useState<number | null>(null);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (firstAdded === null) return;
    const row = list.current?.children.item(firstAdded);
    if (row instanceof HTMLElement) row.focus();
  }, [firstAdded]);
  const rows = targets.slice(0, shown);
  const left = targets.length - rows.length;
  return (
    <>
      <p className="muted" role="status">
        {left > 0
          ? t("letters.targets.shownOf", { shown: rows.length, total: targets.length })
          : t("letters.targets.count", { count: targets.length })}
      </p>
      <ul className="rows" ref={list}>
        {rows.map((target) => (
          <li key={target.id} className="row" tabIndex={-1}>
            {children(target)}
          </li>
        ))}
      </ul>
      {left > 0 ? (
        <div className="form-actions">
          <Button
            variant="secondary"
            onClick={() => {
              setFirstAdded(rows.length);
              setShown(rows.length + TARGETS_PAGE);
            }}
          >
            {t("letters.targets.showMore", { count: Math.min(left, TARGETS_PAGE) })}
          </Button>
        </div>
      ) : null}
    </>
  );
}

/** The API's longest search (TargetListQuery). */
const MAX_SEARCH = 100;

/**
 * The filters are in the address (`?q=…&province=KH-12&archived=all`), as the task list's are: a
 * reload keeps them, and Back and Forward go through the searches made. What the API would refuse
 * (an unknown province, a longer search) is left out rather than shown as an error.
 */
export function readTargetFilters(search: string): TargetFilters {
  const params = new URLSearchParams(search);
  const province = params.get("province") ?? "";
  return {
    q: (params.get("q") ?? "").trim().slice(0, MAX_SEARCH),
    province: PROVINCE_PATTERN.test(province) ? province : "",
    archived: params.get("archived") === "all" ? "all" : "false",
  };
}

const targetSearch = (filters: TargetFilters) =>
  withQuery("", { q: filters.q, province: filters.province, archived: filters.archived === "all" ? "all" : undefined });

/** The coalition's directory of targets: list, filter, edit, archive, CSV import with preview and export. */
export function TargetsPage({ coalition }: { coalition: MeCoalition }) {
  const t = useT();
  const name = useTargetName();
  const province = useProvinceName();
  const client = useQueryClient();
  const search = useSearch();
  const [location, navigate] = useLocation();
  const filters = readTargetFilters(search);
  const [editing, setEditing] = useState<string | null>(null);
  const query = useQuery(targetsQuery(coalition.id, filters));
  const manage = coalition.isCoordinator;
  // A failed archive or restore says why above the list (offline, or refused), rather than nothing.
  const [archiveError, setArchiveError] = useState<unknown>(null);
  const toggleArchive = async (target: Target) => {
    setArchiveError(null);
    try {
      await updateTarget(coalition.id, target.id, { archived: !target.archived });
      await client.invalidateQueries({ queryKey: lettersKey(coalition.id) });
    } catch (error) {
      setArchiveError(error);
    }
  };
  // Drawn once the list has its first answer: on a phone the import card stands below it, and moved
  // down under the finger when the list came in (e2e/layout-stability.e2e.test.ts). A search asked
  // for later shows its progress in the list alone.
  const drawn = useDrawnOnce(!query.isPending);
  if (!drawn) return <Loading />;
  return (
    <>
      <PageHeader
        title={t("letters.targets.title")}
        subtitle={t("letters.targets.intro")}
        actions={
          <a className="btn btn-secondary" href={targetsCsvUrl(coalition.id)} download>
            {t("letters.targets.export")}
          </a>
        }
      />
      <div className="grid">
        <Card>
          <form
            // Back or Forward to other filters: the fields show them again.
            key={search}
            className="filters"
            onSubmit={(e) => {
              e.preventDefault();
              const v = readForm(e.currentTarget);
              const next = targetSearch({ q: (v.q ?? "").trim(), province: v.province ?? "", archived: v.archived ? "all" : "false" });
              // Each search is a step of the history; the same one again is not.
              if (next !== targetSearch(filters)) navigate(`${location}${next}`);
            }}
          >
            <Field label={t("letters.targets.search")} name="q" type="search" defaultValue={filters.q} maxLength={MAX_SEARCH} />
            <SelectField label={t("letters.targets.province")} name="province" defaultValue={filters.province}>
              <ProvinceOptions empty={t("letters.targets.anyProvince")} />
            </SelectField>
            <label className="check">
              <input type="checkbox" name="archived" value="all" defaultChecked={filters.archived === "all"} />{" "}
              {t("letters.targets.showArchived")}
            </label>
            <Button type="submit" variant="secondary" small>
              {t("letters.targets.filter")}
            </Button>
          </form>
          {manage && editing === "new" ? <TargetForm coalition={coalition} onDone={() => setEditing(null)} /> : null}
          {manage && editing !== "new" ? (
            <Button variant="secondary" onClick={() => setEditing("new")}>
              {t("letters.targets.add")}
            </Button>
          ) : null}
          {archiveError ? <ErrorNotice error={archiveError} /> : null}
          <QueryView query={query} empty={t("letters.targets.empty")}>
            {(data) => (
              // Another search starts again at the first page.
              <PagedRows key={search} targets={data}>
                {(target) => (
                  <>
                    <div className="row-main">
                      <span className="row-title">{name(target)}</span>
                      <p className="row-meta">
                        {[target.role, target.party, province(target.province), target.archived ? t("letters.targets.archived") : ""]
                          .filter(Boolean)
                          .join(" · ")}
                      </p>
                      {editing === target.id ? <TargetForm coalition={coalition} target={target} onDone={() => setEditing(null)} /> : null}
                    </div>
                    {manage && editing !== target.id ? (
                      <span className="action-group">
                        <Button variant="secondary" small onClick={() => setEditing(target.id)}>
                          {t("letters.targets.edit")}
                        </Button>
                        <Button variant="link" small onClick={() => void toggleArchive(target)}>
                          {target.archived ? t("letters.targets.restore") : t("letters.targets.archive")}
                        </Button>
                      </span>
                    ) : null}
                  </>
                )}
              </PagedRows>
            )}
          </QueryView>
        </Card>
        {manage ? <ImportCard coalition={coalition} /> : null}
      </div>
    </>
  );
}
