import type { MeCoalition } from "@samakki/shared/auth";
import type { Statement, StatementVersion } from "@samakki/shared/statements";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { SelectField, TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, useForm } from "../../../components/Form.tsx";
import { QueryView } from "../../../components/QueryView.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useT } from "../../../lib/i18n.tsx";
import { addComment, commentsQuery, versionQuery } from "../api/statements.ts";
import { invalid } from "../utils/invalid.ts";

/** The text of one version in both languages. The HTML comes sanitised from the API's Markdown renderer. */
function Bodies({ version }: { version: StatementVersion }) {
  const t = useT();
  return (
    <div className="statement-bodies">
      {version.bodyKm.trim() ? (
        <section className="statement-body" aria-labelledby={`body-km-${version.id}`}>
          <h3 className="statement-lang" id={`body-km-${version.id}`}>
            {t("statements.khmer")}
          </h3>
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by the API */}
          <div className="statement-prose" lang="km" dangerouslySetInnerHTML={{ __html: version.bodyKmHtml }} />
        </section>
      ) : null}
      {version.bodyEn.trim() ? (
        <section className="statement-body" aria-labelledby={`body-en-${version.id}`}>
          <h3 className="statement-lang" id={`body-en-${version.id}`}>
            {t("statements.english")}
          </h3>
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by the API */}
          <div className="statement-prose" lang="en" dangerouslySetInnerHTML={{ __html: version.bodyEnHtml }} />
        </section>
      ) : null}
    </div>
  );
}

export function Hash({ value, label }: { value: string; label?: string }) {
  const t = useT();
  return (
    <p className="hash-line">
      <span className="muted">{label ?? t("statements.sha256")}</span> <code className="hash">{value}</code>
    </p>
  );
}

function Comments({ coalition, statementId, number }: { coalition: MeCoalition; statementId: string; number: number }) {
  const t = useT();
  const client = useQueryClient();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const comments = useQuery(commentsQuery(coalition.id, statementId, number));
  const form = useForm(
    async (values) => {
      const body = values.body?.trim() ?? "";
      if (!body) throw invalid(t, { body: t("validation.required") });
      await addComment(coalition.id, statementId, number, body);
    },
    {
      onSuccess: (_r, el) => {
        el.reset();
        void client.invalidateQueries({ queryKey: commentsQuery(coalition.id, statementId, number).queryKey });
      },
    },
  );
  return (
    <section className="statement-comments" aria-labelledby={`comments-${number}`}>
      <h3 id={`comments-${number}`}>{t("statements.commentsOn", { version: number })}</h3>
      <QueryView query={comments} empty={t("statements.noComments")}>
        {(data) => (
          <ul className="rows">
            {data.map((c) => (
              <li key={c.id} className="row row-stack">
                <p className="row-meta">
                  <strong>{c.author.displayName}</strong> · {dateTime(c.createdAt)}
                </p>
                <p className="prose">{c.body}</p>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <form noValidate onSubmit={form.onSubmit} className="inline-form">
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <TextAreaField
          label={t("statements.addComment")}
          name="body"
          rows={3}
          error={form.fieldErrors.body}
          hint={t("statements.commentHint", { version: number })}
        />
        <Button type="submit" variant="secondary" pending={form.pending}>
          {t("statements.postComment")}
        </Button>
      </form>
    </section>
  );
}

/** One version's text, its fingerprint and its comments; the version can be switched. */
export function VersionText({
  coalition,
  statement,
  number,
  onNumberChange,
  actions,
}: {
  coalition: MeCoalition;
  statement: Statement;
  number: number;
  onNumberChange: (n: number) => void;
  actions?: ReactNode;
}) {
  const t = useT();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const isCurrent = number === statement.current.number;
  const other = useQuery({ ...versionQuery(coalition.id, statement.id, number), enabled: !isCurrent });
  const version = isCurrent ? statement.current : other.data;
  return (
    <Card title={t("statements.textTitle")} actions={actions}>
      {statement.versions.length > 1 ? (
        <SelectField
          label={t("statements.showVersion")}
          name="version"
          value={String(number)}
          onChange={(event) => onNumberChange(Number(event.target.value))}
          className="field-inline statement-version-pick"
        >
          {[...statement.versions].reverse().map((v) => (
            <option key={v.id} value={v.number}>
              {v.number === statement.current.number
                ? t("statements.versionCurrent", { number: v.number })
                : t("statements.versionNumber", { number: v.number })}
            </option>
          ))}
        </SelectField>
      ) : null}
      {!version ? (
        other.isError ? (
          <ErrorNotice error={other.error} onRetry={() => void other.refetch()} />
        ) : (
          <Loading />
        )
      ) : (
        <>
          <p className="row-meta">
            {t("statements.versionBy", { number: version.number, author: version.author.displayName, date: dateTime(version.createdAt) })}
          </p>
          {!isCurrent ? <p className="notice notice-info">{t("statements.olderVersion", { current: statement.current.number })}</p> : null}
          <h2 className="statement-title">{version.title}</h2>
          <Bodies version={version} />
          <Hash value={version.sha256} />
          <Comments coalition={coalition} statementId={statement.id} number={version.number} />
        </>
      )}
    </Card>
  );
}
