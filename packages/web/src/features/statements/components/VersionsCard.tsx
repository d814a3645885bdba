import type { MeCoalition } from "@samakki/shared/auth";
import type { Statement } from "@samakki/shared/statements";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { SelectField } from "../../../components/Field.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { diffQuery } from "../api/statements.ts";

type Part = { value: string; added: boolean; removed: boolean };

/** Word-level changes: <ins>/<del> with a text marker for screen readers, and underline/strike-through, never colour alone. */
function DiffText({ parts, side, lang }: { parts: Part[]; side: "old" | "new"; lang: string | undefined }) {
  const t = useT();
  const { lang: ui } = useLanguage();
  // The old side shows what was removed, the new side what was added; unchanged words on both.
  const shown = parts.map((p, i) => ({ ...p, i })).filter((p) => (side === "old" ? !p.added : !p.removed));
  return (
    <p className="diff-text" lang={lang}>
      {shown.map(({ i, ...p }) =>
        p.added ? (
          <ins key={i}>
            <span className="visually-hidden" lang={ui}>
              {t("statements.diffAddedStart")}
            </span>
            {p.value}
            <span className="visually-hidden" lang={ui}>
              {t("statements.diffEnd")}
            </span>
          </ins>
        ) : p.removed ? (
          <del key={i}>
            <span className="visually-hidden" lang={ui}>
              {t("statements.diffRemovedStart")}
            </span>
            {p.value}
            <span className="visually-hidden" lang={ui}>
              {t("statements.diffEnd")}
            </span>
          </del>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </p>
  );
}

const changed = (parts: Part[]) => parts.some((p) => p.added || p.removed);

function DiffView({ coalitionId, statementId, from, to }: { coalitionId: string; statementId: string; from: number; to: number }) {
  const t = useT();
  const diff = useQuery(diffQuery(coalitionId, statementId, from, to));
  if (diff.isPending) return <Loading />;
  if (diff.isError) return <ErrorNotice error={diff.error} onRetry={() => void diff.refetch()} />;
  const sections = [
    { key: "title", label: t("statements.fieldTitle"), parts: diff.data.title, lang: undefined },
    { key: "bodyKm", label: t("statements.khmer"), parts: diff.data.bodyKm, lang: "km" },
    { key: "bodyEn", label: t("statements.english"), parts: diff.data.bodyEn, lang: "en" },
  ].filter((s) => s.parts.some((p) => p.value.trim()));
  return (
    <section className="diff" aria-labelledby="diff-title">
      <h3 id="diff-title">{t("statements.diffTitle", { from: diff.data.from, to: diff.data.to })}</h3>
      <p className="diff-legend">
        <span className="muted">{t("statements.diffLegend")}</span> <ins>{t("statements.diffAdded")}</ins>{" "}
        <del>{t("statements.diffRemoved")}</del>
      </p>
      {sections.map((s) => (
        <div key={s.key} className="diff-section">
          <h4>
            {s.label}
            {changed(s.parts) ? null : <span className="muted"> — {t("statements.diffUnchanged")}</span>}
          </h4>
          {changed(s.parts) ? (
            <div className="diff-sides">
              <div className="diff-side">
                <p className="diff-side-label">{t("statements.versionNumber", { number: diff.data.from })}</p>
                <DiffText parts={s.parts} side="old" lang={s.lang} />
              </div>
              <div className="diff-side">
                <p className="diff-side-label">{t("statements.versionNumber", { number: diff.data.to })}</p>
                <DiffText parts={s.parts} side="new" lang={s.lang} />
              </div>
            </div>
          ) : (
            <div className="diff-side">
              <DiffText parts={s.parts} side="new" lang={s.lang} />
            </div>
          )}
        </div>
      ))}
    </section>
  );
}

/** Every version (author, time, fingerprint), and a side-by-side comparison of any two. */
export function VersionsCard({
  coalition,
  statement,
  onRead,
}: {
  coalition: MeCoalition;
  statement: Statement;
  onRead: (n: number) => void;
}) {
  const t = useT();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const versions = [...statement.versions].reverse();
  const latest = statement.current.number;
  const [compare, setCompare] = useState<{ from: number; to: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Both buttons change text elsewhere (the text above, the comparison below) while the focus stays on
  // them: a polite status, in the page from the start, says what is shown now.
  const [shown, setShown] = useState("");
  const read = (n: number) => {
    onRead(n);
    setShown(t("statements.readingVersion", { number: n }));
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const from = Number(data.get("from"));
    const to = Number(data.get("to"));
    if (from === to) {
      setError(t("statements.compareSame"));
      return;
    }
    setError(null);
    setCompare({ from: Math.min(from, to), to: Math.max(from, to) });
    setShown(t("statements.diffShown", { from: Math.min(from, to), to: Math.max(from, to) }));
  };
  return (
    <Card title={t("statements.versionsTitle")}>
      <p className="visually-hidden" role="status" aria-live="polite">
        {shown}
      </p>
      <ol className="rows version-list" reversed>
        {versions.map((v) => (
          <li key={v.id} className="row">
            <div className="row-main">
              <span className="row-title">
                {t("statements.versionNumber", { number: v.number })}
                {v.number === latest ? <span className="badge badge-active">{t("statements.current")}</span> : null}
              </span>
              <p className="row-meta">
                {v.author.displayName} · {dateTime(v.createdAt)}
              </p>
              <p className="row-meta">
                <span className="visually-hidden">{t("statements.sha256")} </span>
                <code className="hash">{v.sha256}</code>
              </p>
            </div>
            <Button variant="link" small onClick={() => read(v.number)}>
              {t("statements.read", { number: v.number })}
            </Button>
          </li>
        ))}
      </ol>
      {versions.length > 1 ? (
        <form noValidate onSubmit={onSubmit} className="inline-form compare-form">
          <SelectField
            label={t("statements.compareFrom")}
            name="from"
            defaultValue={String(Math.max(1, latest - 1))}
            error={error ?? undefined}
          >
            {versions.map((v) => (
              <option key={v.id} value={v.number}>
                {t("statements.versionNumber", { number: v.number })}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("statements.compareTo")} name="to" defaultValue={String(latest)}>
            {versions.map((v) => (
              <option key={v.id} value={v.number}>
                {t("statements.versionNumber", { number: v.number })}
              </option>
            ))}
          </SelectField>
          <Button type="submit" variant="secondary">
            {t("statements.compare")}
          </Button>
        </form>
      ) : (
        <p className="muted">{t("statements.onlyOneVersion")}</p>
      )}
      {compare ? <DiffView coalitionId={coalition.id} statementId={statement.id} from={compare.from} to={compare.to} /> : null}
    </Card>
  );
}
