import type { MeCoalition } from "@samakki/shared/auth";
import type { Statement, Tally, VoteInfo } from "@samakki/shared/statements";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { useConfirm } from "../../../components/ConfirmDialog.tsx";
import { Notice } from "../../../components/Form.tsx";
import { ErrorNotice, Loading } from "../../../components/Status.tsx";
import { formatNumber, useDateFormat } from "../../../lib/format.ts";
import { useLanguage, useT } from "../../../lib/i18n.tsx";
import { useLocalName, useOrganisationName } from "../../../lib/local-name.ts";
import { cancelVote, closeVoteEarly, statementQuery, statementsKey, turnoutQuery, verifyQuery } from "../api/statements.ts";
import { useStatementLabel } from "../hooks/use-labels.ts";
import { BallotBox } from "./BallotBox.tsx";
import { OpenVoteForm } from "./OpenVoteForm.tsx";
import { Hash } from "./VersionText.tsx";

const VOTABLE = new Set(["draft", "rejected", "no_quorum"]);

function VoteRules({ coalition, vote }: { coalition: MeCoalition; vote: VoteInfo }) {
  const t = useT();
  const { lang } = useLanguage();
  const label = useStatementLabel();
  const { dateTime } = useDateFormat(coalition.timeZone);
  return (
    <>
      <dl className="facts">
        <dt>{t("votes.onVersion")}</dt>
        <dd>{t("statements.versionNumber", { number: vote.versionNumber })}</dd>
        <dt>{t("votes.threshold")}</dt>
        <dd>{label("threshold", vote.threshold)}</dd>
        <dt>{t("votes.quorum")}</dt>
        <dd>{t("votes.quorumValue", { percent: formatNumber(Math.round(vote.quorum * 100), lang) })}</dd>
        <dt>{vote.status === "open" ? t("votes.closesAtLabel") : t("votes.closedAtLabel")}</dt>
        <dd>
          <time dateTime={vote.closedAt ?? vote.closesAt}>{dateTime(vote.closedAt ?? vote.closesAt)}</time>
        </dd>
        <dt>{t("votes.totalsLabel")}</dt>
        <dd>
          {vote.status === "open"
            ? t(vote.totalsVisible ? "votes.totalsShown" : "votes.totalsHidden")
            : t(vote.totalsVisible ? "votes.totalsWereShown" : "votes.totalsWereHidden")}
        </dd>
      </dl>
      <Hash value={vote.sha256} label={t("votes.frozenHash")} />
    </>
  );
}

function TallyTable({ tally, caption }: { tally: Tally; caption: string }) {
  const t = useT();
  const { lang } = useLanguage();
  const label = useStatementLabel();
  const n = (v: number) => formatNumber(v, lang);
  return (
    <table className="tally">
      <caption>{caption}</caption>
      <tbody>
        <tr>
          <th scope="row">{label("choice", "endorse")}</th>
          <td>{n(tally.endorse)}</td>
        </tr>
        <tr className="tally-sub">
          <th scope="row">{t("votes.tallyNamed")}</th>
          <td>{n(tally.named)}</td>
        </tr>
        <tr className="tally-sub">
          <th scope="row">{t("votes.tallyAnonymous")}</th>
          <td>{n(tally.anonymous)}</td>
        </tr>
        <tr>
          <th scope="row">{label("choice", "object")}</th>
          <td>{n(tally.object)}</td>
        </tr>
        <tr>
          <th scope="row">{label("choice", "abstain")}</th>
          <td>{n(tally.abstain)}</td>
        </tr>
        <tr>
          <th scope="row">{t("votes.tallyTurnout")}</th>
          <td>{t("votes.turnoutValue", { cast: n(tally.cast), eligible: tally.eligible })}</td>
        </tr>
        <tr>
          <th scope="row">{t("votes.quorum")}</th>
          <td>{tally.quorumMet ? t("votes.quorumMet") : t("votes.quorumNotMet")}</td>
        </tr>
      </tbody>
    </table>
  );
}

/**
 * Who has voted (not how) while the vote is open: the count; for coordinators, who remind the
 * others, the organisations by name when the list is opened (a coalition of a few hundred would
 * otherwise send and draw them all each time). Members see the count alone: beside the named
 * endorsements, who voted would tell who endorsed anonymously (the API refuses them the names).
 */
function Turnout({ coalition, statementId, vote }: { coalition: MeCoalition; statementId: string; vote: VoteInfo }) {
  const t = useT();
  const { lang } = useLanguage();
  const [open, setOpen] = useState(false);
  const counts = { voted: formatNumber(vote.turnout.voted, lang), eligible: formatNumber(vote.turnout.eligible, lang) };
  if (!coalition.isCoordinator)
    return (
      <p className="turnout-title" data-testid="turnout-count">
        {t("votes.howManyVoted", counts)}
      </p>
    );
  return (
    <section aria-labelledby="turnout-title">
      <details className="turnout-details" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <h3 id="turnout-title" className="turnout-title">
            {t("votes.whoVoted", counts)}
          </h3>
        </summary>
        {open ? <TurnoutNames coalitionId={coalition.id} statementId={statementId} voteId={vote.id} /> : null}
      </details>
    </section>
  );
}

function TurnoutNames({ coalitionId, statementId, voteId }: { coalitionId: string; statementId: string; voteId: string }) {
  const t = useT();
  const organisationName = useOrganisationName();
  const list = useQuery(turnoutQuery(coalitionId, statementId, voteId));
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <ul className="turnout">
      {list.data.organisations.map((o) => (
        <li key={o.id} className={o.hasVoted ? "turnout-voted" : "turnout-pending"}>
          <span aria-hidden="true" className="turnout-mark">
            {o.hasVoted ? "✓" : "…"}
          </span>{" "}
          {organisationName.full(o)} — <span className="muted">{o.hasVoted ? t("votes.hasVoted") : t("votes.hasNotVoted")}</span>
        </li>
      ))}
    </ul>
  );
}

/** What the coordinator just did to the vote, confirmed in the panel once the vote shows it. */
type Done = "opened" | "closed" | "cancelled";

function CoordinatorControls({
  coalition,
  statement,
  vote,
  onDone,
}: {
  coalition: MeCoalition;
  statement: Statement;
  vote: VoteInfo;
  onDone: (done: Done) => void;
}) {
  const t = useT();
  const client = useQueryClient();
  const { dateTime } = useDateFormat(coalition.timeZone);
  const allVoted = vote.turnout.eligible > 0 && vote.turnout.voted === vote.turnout.eligible;
  const refresh = () => client.invalidateQueries({ queryKey: statementsKey(coalition.id) });
  const close = useMutation({
    mutationFn: () => closeVoteEarly(coalition.id, statement.id),
    onSuccess: (updated) => {
      client.setQueryData(statementQuery(coalition.id, statement.id).queryKey, updated);
      onDone("closed");
      void refresh();
    },
  });
  const cancel = useMutation({
    mutationFn: () => cancelVote(coalition.id, statement.id),
    onSuccess: () => {
      onDone("cancelled");
      return refresh();
    },
  });
  const [dialog, confirm] = useConfirm();
  return (
    <section className="coordinator-controls" aria-labelledby="vote-controls-title">
      {dialog}
      <h3 id="vote-controls-title">{t("votes.coordinatorControls")}</h3>
      <p className="field-hint" id="close-early-hint">
        {allVoted ? t("votes.closeEarlyReady") : t("votes.closeEarlyHint", { date: dateTime(vote.closesAt) })}
      </p>
      <div className="form-actions">
        <Button
          disabled={!allVoted}
          aria-describedby="close-early-hint"
          pending={close.isPending}
          onClick={() =>
            void confirm({
              title: t("votes.closeConfirmTitle"),
              consequence: t("votes.closeConfirmConsequence"),
              confirmLabel: t("votes.closeConfirmAction"),
            }).then((ok) => ok && close.mutate())
          }
        >
          {t("votes.closeNow")}
        </Button>
        <Button
          variant="danger"
          pending={cancel.isPending}
          onClick={() => {
            void confirm({
              title: t("votes.cancelConfirmTitle"),
              consequence: t("votes.cancelConfirmConsequence"),
              confirmLabel: t("votes.cancelConfirmAction"),
              cancelLabel: t("votes.keepVote"),
            }).then((ok) => ok && cancel.mutate());
          }}
        >
          {t("votes.cancel")}
        </Button>
      </div>
      {close.isError ? <ErrorNotice error={close.error} /> : null}
      {cancel.isError ? <ErrorNotice error={cancel.error} /> : null}
    </section>
  );
}

function Verify({ coalition, statement, vote }: { coalition: MeCoalition; statement: Statement; vote: VoteInfo }) {
  const t = useT();
  const label = useStatementLabel();
  const [asked, setAsked] = useState(false);
  const verify = useQuery({ ...verifyQuery(coalition.id, statement.id, vote.id), enabled: asked });
  return (
    <section aria-labelledby="verify-title">
      <h3 id="verify-title">{t("votes.verifyTitle")}</h3>
      <p className="muted">{t("votes.verifyIntro")}</p>
      <Button variant="secondary" pending={asked && verify.isFetching} onClick={() => (asked ? void verify.refetch() : setAsked(true))}>
        {t("votes.verify")}
      </Button>
      {asked && verify.isError ? <ErrorNotice error={verify.error} /> : null}
      {verify.data ? (
        verify.data.matches ? (
          <Notice kind="success" title={t("votes.verifyMatches")}>
            <p>{t("votes.verifyRecomputed", { outcome: label("outcome", verify.data.recomputed.outcome) })}</p>
          </Notice>
        ) : (
          <Notice kind="error" title={t("votes.verifyMismatch")}>
            <p>
              {t("votes.verifyRecomputed", { outcome: label("outcome", verify.data.recomputed.outcome) })}{" "}
              {t("votes.verifyStored", { outcome: verify.data.stored.outcome ? label("outcome", verify.data.stored.outcome) : "—" })}
            </p>
          </Notice>
        )
      ) : null}
    </section>
  );
}

function ClosedResult({
  coalition,
  statement,
  vote,
  mine,
}: {
  coalition: MeCoalition;
  statement: Statement;
  vote: VoteInfo;
  mine: ReactNode;
}) {
  const t = useT();
  const organisationName = useOrganisationName();
  const myReceipts = new Map(
    vote.myOrganisations.flatMap((m) => (m.ballot ? [[m.ballot.receipt, organisationName.full(m.organisation)] as const] : [])),
  );
  return (
    <>
      {vote.tally ? <TallyTable tally={vote.tally} caption={t("votes.tallyTitle")} /> : null}
      {vote.ballots ? (
        <section aria-labelledby="ballots-title">
          <h3 id="ballots-title">{t("votes.howEachVoted")}</h3>
          <p className="field-hint">{t("votes.howEachVotedHint")}</p>
          <ul className="rows">
            {vote.ballots.map((b) => (
              <li key={b.organisation.id} className="row">
                <span className="row-main">{organisationName.full(b.organisation)}</span>
              </li>
            ))}
          </ul>
          {vote.tally && vote.tally.anonymous > 0 ? (
            <p className="field-hint" data-testid="anonymous-not-listed">
              {t("votes.anonymousNotListed", { count: vote.tally.anonymous })}
            </p>
          ) : null}
        </section>
      ) : null}
      {mine}
      {vote.receipts ? (
        <section aria-labelledby="receipts-title">
          <h3 id="receipts-title">{t("votes.receiptsTitle")}</h3>
          <p className="field-hint">{t("votes.receiptsHint")}</p>
          <ul className="receipts" data-testid="receipts">
            {vote.receipts.map((r) => {
              const mine = myReceipts.get(r);
              return (
                <li key={r} className={mine ? "receipt-mine" : undefined}>
                  {mine ? (
                    <mark>
                      <code>{r}</code> <span className="receipt-tag">{t("votes.yourReceipt", { organisation: mine })}</span>
                    </mark>
                  ) : (
                    <code>{r}</code>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      <Verify coalition={coalition} statement={statement} vote={vote} />
    </>
  );
}

/**
 * Where a ballot box would be, for the reader's organisations that have none in this vote: why (an
 * observer, or not yet a member when it opened); and, when they have no organisation at all, who
 * votes. A person who is not a representative sees their organisation's ballot box, which says so.
 */
function NotVoting({ vote }: { vote: VoteInfo }) {
  const t = useT();
  const localName = useLocalName();
  if (vote.myOrganisations.length === 0 && vote.myOrganisationsNotVoting.length === 0)
    return (
      <p className="muted not-voting" data-testid="not-voting">
        {t("votes.notVotingNoOrganisation")}
      </p>
    );
  return vote.myOrganisationsNotVoting.map(({ organisation, reason }) => (
    <p key={organisation.id} className="muted not-voting" data-testid="not-voting">
      {t(reason === "observer" ? "votes.notVotingObserver" : "votes.notVotingLate", { organisation: localName(organisation) })}
    </p>
  ));
}

/** Everything about the statement's vote: opening it, casting, progress, result and verification. */
export function VotePanel({ coalition, statement }: { coalition: MeCoalition; statement: Statement }) {
  const t = useT();
  const label = useStatementLabel();
  const vote = statement.vote;
  const canOpen = statement.permissions.manage && VOTABLE.has(statement.status);
  // The form or the buttons that did it go away with the change: the confirmation takes the focus
  // (Notice), shown once the statement shows the change, and while it still holds.
  const [done, setDone] = useState<Done | null>(null);
  const confirmation =
    done === "opened" && vote?.status === "open"
      ? t("votes.openedDone")
      : done === "closed" && vote?.status === "closed"
        ? t("votes.closedDone")
        : done === "cancelled" && vote?.status !== "open"
          ? t("votes.cancelledDone")
          : null;
  const mine = vote ? (
    <>
      {vote.myOrganisations.map((m) => (
        <BallotBox key={m.organisation.id} coalition={coalition} statementId={statement.id} mine={m} open={vote.status === "open"} />
      ))}
      <NotVoting vote={vote} />
    </>
  ) : null;
  return (
    <Card title={t("votes.title")} className="vote-panel">
      {confirmation && done ? <Notice key={done} kind="success" title={confirmation} takeFocus /> : null}
      {!vote ? (
        <p className="muted">{canOpen ? t("votes.noneYetCoordinator") : t("votes.noneYet")}</p>
      ) : (
        <div className="stack">
          <p className="vote-state">
            <span className={`badge badge-vote-${vote.status}`}>
              {vote.status === "open" ? t("votes.stateOpen") : t("votes.stateClosed")}
            </span>
          </p>
          {vote.status === "closed" && vote.outcome ? (
            <p className={`outcome outcome-${vote.outcome}`} data-testid="vote-outcome">
              <span className="muted">{t("votes.outcome")}</span> <strong>{label("outcome", vote.outcome)}</strong>
            </p>
          ) : null}
          <VoteRules coalition={coalition} vote={vote} />
          {vote.status === "open" ? (
            <>
              <Turnout coalition={coalition} statementId={statement.id} vote={vote} />
              {vote.tally ? (
                <TallyTable tally={vote.tally} caption={t("votes.runningTotals")} />
              ) : (
                <p className="muted">{t("votes.totalsAfterClose")}</p>
              )}
            </>
          ) : null}
          {vote.status === "open" ? mine : null}
          {vote.status === "open" && statement.permissions.manage ? (
            <CoordinatorControls coalition={coalition} statement={statement} vote={vote} onDone={setDone} />
          ) : null}
          {vote.status === "closed" ? <ClosedResult coalition={coalition} statement={statement} vote={vote} mine={mine} /> : null}
        </div>
      )}
      {canOpen ? (
        <div className={vote ? "inline-form" : undefined}>
          {/* Keyed by the current version, so a newly saved version becomes the default choice. */}
          <OpenVoteForm key={statement.current.id} coalition={coalition} statement={statement} onOpened={() => setDone("opened")} />
        </div>
      ) : null}
    </Card>
  );
}
