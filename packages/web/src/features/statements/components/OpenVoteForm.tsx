import type { MeCoalition } from "@samakki/shared/auth";
import { type Statement, Threshold } from "@samakki/shared/statements";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Field, SelectField } from "../../../components/Field.tsx";
import { FormProblem, Notice, oneOf, useForm } from "../../../components/Form.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { useTimeZoneLabel } from "../../../lib/time-zones.ts";
import { openVote, statementQuery, statementsKey } from "../api/statements.ts";
import { useStatementLabel } from "../hooks/use-labels.ts";
import { invalid } from "../utils/invalid.ts";
import { defaultClosingTime, isAtLeastAnHourAhead, localDateTime } from "../utils/local-time.ts";

/** A coordinator opens a vote on one version, with its rules. */
export function OpenVoteForm({
  coalition,
  statement,
  onOpened,
}: {
  coalition: MeCoalition;
  statement: Statement;
  /** Called once the vote is open (the form then goes away: VotePanel confirms it). */
  onOpened?: () => void;
}) {
  const t = useT();
  const zoneLabel = useTimeZoneLabel();
  const label = useStatementLabel();
  const client = useQueryClient();
  const [now] = useState(() => new Date());
  const [threshold, setThreshold] = useState<string>("majority");
  const [totalsVisible, setTotalsVisible] = useState(false);
  const form = useForm(
    async (values) => {
      const errors: Record<string, string> = {};
      const quorumText = values.quorum?.trim() ?? "";
      const quorum = Number(quorumText);
      if (!quorumText || !Number.isFinite(quorum) || quorum < 0 || quorum > 100) errors.quorum = t("votes.quorumInvalid");
      const closesAt = values.closesAt ?? "";
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(closesAt)) errors.closesAt = t("validation.required");
      else if (!isAtLeastAnHourAhead(closesAt, new Date(), coalition.timeZone)) errors.closesAt = t("votes.closesAtTooSoon");
      if (Object.keys(errors).length > 0) throw invalid(t, errors);
      return openVote(coalition.id, statement.id, {
        versionId: values.versionId ?? statement.current.id,
        quorum: quorum / 100,
        threshold: oneOf(Threshold.options, values.threshold ?? "majority"),
        closesAt,
        totalsVisible: values.totalsVisible === "on",
      });
    },
    {
      required: ["versionId"],
      onSuccess: (updated) => {
        client.setQueryData(statementQuery(coalition.id, statement.id).queryKey, updated);
        void client.invalidateQueries({ queryKey: statementsKey(coalition.id) });
        onOpened?.();
      },
    },
  );
  const versions = [...statement.versions].reverse();
  return (
    <form noValidate onSubmit={form.onSubmit} className="open-vote-form" aria-labelledby="open-vote-title">
      <h3 id="open-vote-title">{t("votes.openTitle")}</h3>
      <p className="muted">{t("votes.openIntro")}</p>
      <FormProblem problem={form.problem} unmatched={form.unmatched} />
      <SelectField
        label={t("votes.version")}
        name="versionId"
        defaultValue={statement.current.id}
        error={form.fieldErrors.versionId}
        hint={t("votes.versionHint")}
      >
        {versions.map((v) => (
          <option key={v.id} value={v.id}>
            {v.number === statement.current.number
              ? t("statements.versionCurrent", { number: v.number })
              : t("statements.versionNumber", { number: v.number })}
          </option>
        ))}
      </SelectField>
      <Field
        label={t("votes.quorumPercent")}
        name="quorum"
        type="number"
        inputMode="numeric"
        min={0}
        max={100}
        step={1}
        defaultValue="50"
        hint={t("votes.quorumHint")}
        error={form.fieldErrors.quorum}
      />
      <SelectField
        label={t("votes.threshold")}
        name="threshold"
        value={threshold}
        onChange={(event) => setThreshold(event.target.value)}
        hint={t(`votes.thresholdHint_${Threshold.safeParse(threshold).data ?? "majority"}`)}
        error={form.fieldErrors.threshold}
      >
        {Threshold.options.map((th) => (
          <option key={th} value={th}>
            {label("threshold", th)}
          </option>
        ))}
      </SelectField>
      <Field
        label={t("votes.closesAt")}
        name="closesAt"
        type="datetime-local"
        defaultValue={defaultClosingTime(now, coalition.timeZone)}
        min={localDateTime(new Date(now.getTime() + 3600_000), coalition.timeZone)}
        hint={t("votes.closesAtHint", { zone: zoneLabel(coalition.timeZone) })}
        error={form.fieldErrors.closesAt}
      />
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            name="totalsVisible"
            checked={totalsVisible}
            onChange={(event) => setTotalsVisible(event.target.checked)}
            aria-describedby={totalsVisible ? "totals-visible-warning" : undefined}
          />
          <span>{t("votes.totalsVisible")}</span>
        </label>
        <p className="field-hint">{t("votes.totalsVisibleHint")}</p>
        {/* Before opening: running totals plus "who has voted" let members infer each ballot as it arrives. */}
        {totalsVisible ? (
          <div id="totals-visible-warning" data-testid="totals-visible-warning">
            <Notice kind="warning" title={t("votes.totalsVisibleWarningTitle")}>
              <p>{t("votes.totalsVisibleWarning")}</p>
            </Notice>
          </div>
        ) : null}
      </div>
      <div className="form-actions">
        <Button type="submit" pending={form.pending}>
          {t("votes.open")}
        </Button>
      </div>
    </form>
  );
}
