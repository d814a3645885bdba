import type { MeCoalition } from "@samakki/shared/auth";
import * as paths from "@samakki/shared/paths";
import type { Statement } from "@samakki/shared/statements";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "wouter";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { useConfirm } from "../../../components/ConfirmDialog.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { PageHeader } from "../../../components/Page.tsx";
import { ErrorBoundary, ErrorNotice, Loading } from "../../../components/Status.tsx";
import { ConflictNotice, compared, useEditConflict } from "../../../lib/edit-conflict.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useT } from "../../../lib/i18n.tsx";
import { useTimeZoneNamesReady } from "../../../lib/time-zones.ts";
import { publishStatement, saveVersion, statementQuery, statementsKey, withdrawStatement } from "../api/statements.ts";
import { StatementStatusBadge } from "./StatusBadge.tsx";
import { readText, TextFields } from "./TextFields.tsx";
import { VersionsCard } from "./VersionsCard.tsx";
import { VersionText } from "./VersionText.tsx";
import { VotePanel } from "./VotePanel.tsx";

const WITHDRAWABLE = new Set(["draft", "adopted", "rejected", "no_quorum"]);

function EditForm({ coalition, statement: loaded, onDone }: { coalition: MeCoalition; statement: Statement; onDone: () => void }) {
  const t = useT();
  const client = useQueryClient();
  // What the fields start from, kept: the statement may be read again while the form is open
  // (another tab's change, a conflict), and a changed default would replace what was typed.
  const [statement] = useState(loaded);
  // The version the text was edited from goes with it; a version saved meanwhile is a conflict, not silently replaced.
  const edit = useEditConflict(
    statement,
    (opened) => opened.current.number,
    () => client.fetchQuery({ ...statementQuery(coalition.id, statement.id), staleTime: 0 }),
    [
      compared<Statement>(t("statements.fieldTitle"), "title", (s) => s.current.title),
      compared<Statement>(t("statements.bodyEn"), "bodyEn", (s) => s.current.bodyEn),
      compared<Statement>(t("statements.bodyKm"), "bodyKm", (s) => s.current.bodyKm),
    ],
  );
  const form = useForm(
    async (values, element) => edit.send(element, (headers) => saveVersion(coalition.id, statement.id, readText(values, t), headers)),
    {
      onSuccess: (updated) => {
        client.setQueryData(statementQuery(coalition.id, statement.id).queryKey, updated);
        void client.invalidateQueries({ queryKey: statementsKey(coalition.id) });
        onDone();
      },
    },
  );
  return (
    <Card title={t("statements.editTitle")}>
      <p className="muted">{t("statements.editIntro", { number: edit.base.current.number + 1 })}</p>
      <form noValidate onSubmit={form.onSubmit}>
        <FormProblem problem={form.problem} unmatched={form.unmatched} />
        <ConflictNotice conflict={edit.conflict} />
        <TextFields errors={form.fieldErrors} initial={statement.current} />
        <div className="form-actions">
          <Button type="submit" pending={form.pending}>
            {t("statements.saveVersion")}
          </Button>
          <Button variant="secondary" onClick={onDone}>
            {t("common.cancel")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function Publication({ coalition, statement, justPublished }: { coalition: MeCoalition; statement: Statement; justPublished: boolean }) {
  const t = useT();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const url = statement.publicUrl ?? `${window.location.origin}${paths.publicStatement(statement.id)}`;
  // Both are plain server pages (no JavaScript), beside the app at the same public address.
  const feed = new URL(paths.statementsFeed(coalition.slug), url).toString();
  return (
    <Card title={t("statements.publicationTitle")} className="publication">
      {/* The coordinator's actions went away with the publication: its confirmation takes the focus. */}
      {justPublished ? <Notice kind="success" title={t("statements.publishedDone")} takeFocus /> : null}
      {statement.publishedAt ? <p>{t("statements.publishedAt", { date: dateTime(statement.publishedAt) })}</p> : null}
      <dl className="facts">
        <dt>{t("statements.publicPage")}</dt>
        <dd>
          <a href={url} className="publication-link" data-testid="public-url">
            {url}
          </a>
        </dd>
        <dt>{t("statements.feed")}</dt>
        <dd>
          <a href={feed} className="publication-link" type="application/atom+xml">
            {feed}
          </a>
        </dd>
      </dl>
      <p className="field-hint">{t("statements.publicHint")}</p>
    </Card>
  );
}

type Done = "published" | "withdrawn";

function Actions({ coalition, statement, onDone }: { coalition: MeCoalition; statement: Statement; onDone: (done: Done) => void }) {
  const t = useT();
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: statementsKey(coalition.id) });
  const publish = useMutation({
    mutationFn: () => publishStatement(coalition.id, statement.id),
    onSuccess: () => {
      onDone("published");
      return refresh();
    },
  });
  const withdraw = useMutation({
    mutationFn: () => withdrawStatement(coalition.id, statement.id),
    onSuccess: () => {
      onDone("withdrawn");
      return refresh();
    },
  });
  const [dialog, confirm] = useConfirm();
  if (!statement.permissions.manage) return null;
  const canPublish = statement.status === "adopted";
  const canWithdraw = WITHDRAWABLE.has(statement.status);
  if (!canPublish && !canWithdraw) return null;
  return (
    <Card title={t("statements.coordinatorActions")}>
      {dialog}
      {canPublish ? <p>{t("statements.publishIntro")}</p> : null}
      <div className="form-actions">
        {canPublish ? (
          <Button
            pending={publish.isPending}
            onClick={() =>
              void confirm({
                title: t("statements.publishConfirmTitle", { title: statement.title }),
                consequence: t("statements.publishConfirmConsequence"),
                confirmLabel: t("statements.publish"),
              }).then((ok) => ok && publish.mutate())
            }
          >
            {t("statements.publish")}
          </Button>
        ) : null}
        {canWithdraw ? (
          <Button
            variant="danger"
            pending={withdraw.isPending}
            onClick={() => {
              void confirm({
                title: t("statements.withdrawConfirmTitle", { title: statement.title }),
                consequence: t("statements.withdrawConfirmConsequence"),
                confirmLabel: t("statements.withdraw"),
              }).then((ok) => ok && withdraw.mutate());
            }}
          >
            {t("statements.withdraw")}
          </Button>
        ) : null}
      </div>
      {publish.isError ? <ErrorNotice error={publish.error} /> : null}
      {withdraw.isError ? <ErrorNotice error={withdraw.error} /> : null}
    </Card>
  );
}

export function StatementPage({ coalition, statementId }: { coalition: MeCoalition; statementId: string }) {
  const t = useT();
  const { dateTime } = useDateFormat(coalition.timeZone);
  // While a vote is open, refresh now and then so who has voted (and the close) shows without a reload.
  const query = useQuery({
    ...statementQuery(coalition.id, statementId),
    refetchInterval: (q) => (q.state.data?.status === "voting" ? 60_000 : false),
  });
  const [editing, setEditing] = useState(false);
  const [reading, setReading] = useState<number | null>(null);
  // What the coordinator just did (Actions), confirmed once the statement shows it.
  const [done, setDone] = useState<Done | null>(null);
  // The vote's form names the coalition's time zone: drawn once the names are in, its hint does
  // not grow a line and push the buttons below it.
  const zoneNames = useTimeZoneNamesReady();
  if (query.isPending || !zoneNames) return <Loading />;
  if (query.isError) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  const statement = query.data;
  const number = reading ?? statement.current.number;
  const voting = statement.status === "voting";
  const textActions =
    statement.permissions.edit && !editing ? (
      <Button variant="secondary" small onClick={() => setEditing(true)}>
        {t("statements.edit")}
      </Button>
    ) : null;
  const read = (n: number) => {
    setReading(n);
    document.getElementById("statement-text")?.scrollIntoView({ block: "start" });
  };
  return (
    <>
      <p className="breadcrumb">
        <Link href="/">← {t("statements.backToList")}</Link>
      </p>
      <PageHeader
        title={statement.title}
        subtitle={
          <>
            <StatementStatusBadge status={statement.status} />{" "}
            {t("statements.versionBy", {
              number: statement.current.number,
              author: statement.current.author.displayName,
              date: dateTime(statement.current.createdAt),
            })}
          </>
        }
      />
      {voting ? (
        <Notice kind="info" title={t("statements.lockedTitle")}>
          {t("statements.lockedDuringVote")}
        </Notice>
      ) : null}
      {statement.status === "withdrawn" ? (
        <Notice kind="warning" title={t("statements.withdrawnNotice")} takeFocus={done === "withdrawn"} />
      ) : null}
      {/* On a phone the vote comes first once there is one; a draft shows its text first. */}
      <div className={statement.vote || voting ? "statement-layout" : "statement-layout statement-layout-text-first"}>
        <div className="statement-side">
          {statement.status === "published" ? (
            <Publication coalition={coalition} statement={statement} justPublished={done === "published"} />
          ) : null}
          <ErrorBoundary>
            <VotePanel coalition={coalition} statement={statement} />
          </ErrorBoundary>
          <Actions coalition={coalition} statement={statement} onDone={setDone} />
        </div>
        <div className="statement-main" id="statement-text">
          {editing && statement.permissions.edit ? (
            <EditForm coalition={coalition} statement={statement} onDone={() => setEditing(false)} />
          ) : null}
          <ErrorBoundary>
            <VersionText coalition={coalition} statement={statement} number={number} onNumberChange={setReading} actions={textActions} />
          </ErrorBoundary>
          <ErrorBoundary>
            <VersionsCard coalition={coalition} statement={statement} onRead={read} />
          </ErrorBoundary>
        </div>
      </div>
    </>
  );
}
