import type { MeCoalition } from "@samakki/shared/auth";
import { Choice, type VoteInfo } from "@samakki/shared/statements";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { TextAreaField } from "../../../components/Field.tsx";
import { FormProblem, Notice, useForm } from "../../../components/Form.tsx";
import { useDateFormat } from "../../../lib/format.ts";
import { useT } from "../../../lib/i18n.tsx";
import { useLocalName } from "../../../lib/local-name.ts";
import { castBallot, statementsKey } from "../api/statements.ts";
import { useStatementLabel } from "../hooks/use-labels.ts";
import { invalid } from "../utils/invalid.ts";
import { CopyButton } from "./CopyButton.tsx";

type Mine = VoteInfo["myOrganisations"][number];

/** How an endorsement will appear publicly, in words. */
function NamedNote({ choice, named }: { choice: string; named: boolean }) {
  const t = useT();
  if (choice !== "endorse") return null;
  return (
    <span className={named ? "named-note" : "named-note named-anonymous"}>{named ? t("votes.namedShort") : t("votes.anonymousShort")}</span>
  );
}

/** The ballot form: choice, then (for endorse) an explicit yes/no on being named publicly, and a comment. */
function CastForm({
  coalition,
  statementId,
  mine,
  onCast,
}: {
  coalition: MeCoalition;
  statementId: string;
  mine: Mine;
  onCast: (result: { receipt: string; changed: boolean }) => void;
}) {
  const t = useT();
  const label = useStatementLabel();
  const client = useQueryClient();
  const id = useId();
  const current = mine.ballot;
  const [choice, setChoice] = useState<string>(current?.choice ?? "");
  const [named, setNamed] = useState<string>(current?.choice === "endorse" ? (current.named ? "yes" : "no") : "");
  const orgName = useLocalName()(mine.organisation);
  const form = useForm(
    async (values) => {
      const errors: Record<string, string> = {};
      const parsed = Choice.safeParse(values.choice);
      if (!parsed.success) errors.choice = t("votes.chooseChoice");
      if (parsed.data === "endorse" && values.named !== "yes" && values.named !== "no") errors.named = t("votes.chooseNamed");
      if (!parsed.success || Object.keys(errors).length > 0) throw invalid(t, errors);
      return castBallot(coalition.id, statementId, {
        organisationId: mine.organisation.id,
        choice: parsed.data,
        named: parsed.data === "endorse" ? values.named === "yes" : true,
        comment: values.comment?.trim() ?? "",
      });
    },
    {
      onSuccess: (result) => {
        onCast(result);
        void client.invalidateQueries({ queryKey: statementsKey(coalition.id) });
      },
    },
  );
  const choiceError = form.fieldErrors.choice;
  const namedError = form.fieldErrors.named;
  return (
    <form noValidate onSubmit={form.onSubmit} className="ballot-form">
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <fieldset
        className="field"
        aria-describedby={choiceError ? `${id}-choice-error` : undefined}
        aria-invalid={choiceError ? true : undefined}
      >
        <legend className="field-label">
          {current ? t("votes.changeLegend", { organisation: orgName }) : t("votes.castLegend", { organisation: orgName })}
        </legend>
        <div className="choices ballot-choices">
          {Choice.options.map((c) => (
            <label key={c} className={`choice choice-${c}`}>
              <input
                type="radio"
                name="choice"
                value={c}
                checked={choice === c}
                onChange={() => setChoice(c)}
                aria-invalid={choiceError ? true : undefined}
              />
              <span>{label("choice", c)}</span>
            </label>
          ))}
        </div>
        {choiceError ? (
          <p className="field-error" id={`${id}-choice-error`}>
            {choiceError}
          </p>
        ) : null}
      </fieldset>
      {choice === "endorse" ? (
        <fieldset className="field naming" aria-describedby={`${id}-named-hint${namedError ? ` ${id}-named-error` : ""}`}>
          <legend className="field-label">{t("votes.namedLegend", { organisation: orgName })}</legend>
          <p className="field-hint" id={`${id}-named-hint`}>
            {t("votes.namedExplained")}
          </p>
          <div className="naming-options">
            <label className="choice naming-option">
              <input
                type="radio"
                name="named"
                value="yes"
                checked={named === "yes"}
                onChange={() => setNamed("yes")}
                aria-invalid={namedError ? true : undefined}
              />
              <span>
                <strong>{t("votes.namedYes")}</strong>
                <span className="naming-detail">{t("votes.namedYesDetail", { organisation: orgName })}</span>
              </span>
            </label>
            <label className="choice naming-option">
              <input
                type="radio"
                name="named"
                value="no"
                checked={named === "no"}
                onChange={() => setNamed("no")}
                aria-invalid={namedError ? true : undefined}
              />
              <span>
                <strong>{t("votes.namedNo")}</strong>
                <span className="naming-detail">{t("votes.namedNoDetail")}</span>
              </span>
            </label>
          </div>
          {namedError ? (
            <p className="field-error" id={`${id}-named-error`}>
              {namedError}
            </p>
          ) : null}
        </fieldset>
      ) : null}
      <TextAreaField
        label={t("votes.comment")}
        name="comment"
        rows={2}
        optionalLabel={t("common.optional")}
        defaultValue={current?.comment}
        hint={t("votes.commentHint")}
        error={form.fieldErrors.comment}
      />
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {current ? t("votes.changeSubmit") : t("votes.castSubmit")}
        </Button>
        <span className="muted">{t("votes.changeUntilClose")}</span>
      </div>
    </form>
  );
}

/** One of the viewer's organisations: its current ballot, receipt, history, and (while open) the form. */
export function BallotBox({
  coalition,
  statementId,
  mine,
  open,
}: {
  coalition: MeCoalition;
  statementId: string;
  mine: Mine;
  open: boolean;
}) {
  const t = useT();
  const localName = useLocalName();
  const label = useStatementLabel();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const id = useId();
  const ballot = mine.ballot;
  const receiptId = `${id}-receipt`;
  const [last, setLast] = useState<{ receipt: string; changed: boolean } | null>(null);
  const castForm = open && mine.canCast ? <CastForm coalition={coalition} statementId={statementId} mine={mine} onCast={setLast} /> : null;
  return (
    <section className="ballot-box" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("votes.ballotOf", { organisation: localName(mine.organisation) })}</h3>
      {last && open ? (
        // Keyed by the receipt: each cast is confirmed anew, and its notice takes the focus from the form, which closes.
        <Notice key={last.receipt} kind="success" title={last.changed ? t("votes.changedDone") : t("votes.castDone")} takeFocus>
          <p>{t("votes.receiptSaved", { receipt: last.receipt })}</p>
        </Notice>
      ) : null}
      {ballot ? (
        <div className="current-ballot" data-testid="current-ballot">
          <p>
            <span className="muted">{t("votes.currentBallot")}</span>{" "}
            <strong className={`choice-label choice-label-${ballot.choice}`}>{label("choice", ballot.choice)}</strong>{" "}
            <NamedNote choice={ballot.choice} named={ballot.named} />
          </p>
          {ballot.comment ? <p className="prose">“{ballot.comment}”</p> : null}
          <p className="row-meta">{t("votes.castAt", { date: dateTime(ballot.castAt) })}</p>
          <div className="receipt-line">
            <span className="muted">{t("votes.receipt")}</span>{" "}
            <code className="receipt" id={receiptId}>
              {ballot.receipt}
            </code>{" "}
            <CopyButton value={ballot.receipt} targetId={receiptId} />
          </div>
          <p className="field-hint">{t("votes.receiptHint")}</p>
        </div>
      ) : (
        <p className="muted">{open ? t("votes.notVotedYet") : t("votes.didNotVote")}</p>
      )}
      {mine.history.length > 1 ? (
        <details className="ballot-history">
          <summary>{t("votes.history", { count: mine.history.length })}</summary>
          <ol>
            {mine.history.map((h) => (
              <li key={h.castAt}>
                {label("choice", h.choice)} <NamedNote choice={h.choice} named={h.named} /> —{" "}
                {t("votes.historyBy", { date: dateTime(h.castAt), person: h.castBy })}
                {h.castAt === ballot?.castAt ? (
                  <span className="badge badge-active history-badge">{t("votes.counted")}</span>
                ) : (
                  <span className="badge history-badge">{t("votes.replaced")}</span>
                )}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {castForm && ballot ? (
        // Closed again after every cast (keyed by the receipt): the current ballot above is what matters.
        <details key={ballot.receipt} className="ballot-change">
          <summary>{t("votes.changeOpen")}</summary>
          {castForm}
        </details>
      ) : (
        castForm
      )}
      {open && !mine.canCast ? <p className="muted">{t("votes.onlyRepresentatives")}</p> : null}
    </section>
  );
}
