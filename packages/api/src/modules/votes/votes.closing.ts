import * as paths from "@samakki/shared/paths";
import type { AppDeps } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { notify } from "../notifications/notifications.service.ts";
import { coalitionPeople } from "../statement-lookups/statement-lookups.repository.ts";
import { computeOutcome } from "./outcome.ts";
import * as repo from "./votes.repository.ts";

/* Closing votes and the background jobs around the close: closing due votes and the 24-hour reminders. */

/**
 * Close a vote and store its outcome, computed from the ballots alone. Idempotent: the vote row
 * is locked, and a vote that is no longer open is left as it is (no second result, no second
 * set of notifications). `options.early` is a coordinator asking to close now: before the time it
 * is allowed only once every eligible organisation has voted (and audited as early); otherwise the
 * closing time must have passed.
 */
export async function closeVote(trx: Executor, voteId: string, options: { actorId: string | null; early: boolean }): Promise<boolean> {
  const vote = await repo.lockVoteForClose(trx, voteId);
  if (vote?.status !== "open") return false;
  const ballots = await repo.countedBallots(trx, voteId);
  const eligible = await repo.eligibleCount(trx, voteId);
  // Closed early: asked for before the closing time (allowed once every eligible organisation has
  // voted). Once the closing time has passed, a coordinator's close is the ordinary close.
  const closedEarly = options.early && !vote.due;
  if (!vote.due && !(options.early && ballots.length >= eligible))
    throw new AppError("precondition_failed", options.early ? "not every organisation has voted" : "the vote is still open");
  const { outcome, tally } = computeOutcome(eligible, ballots, { quorum: Number(vote.quorum), threshold: vote.threshold });
  await repo.markVoteClosed(trx, voteId, outcome, tally);
  // The vote is locked above, the statement now: vote before statement, as everywhere.
  const statement = await repo.lockStatementOfVote(trx, vote.statement_id);
  await repo.setStatementOutcome(trx, vote.statement_id, voteId, outcome);
  await recordAudit(trx, {
    coalitionId: vote.coalition_id,
    actorId: options.actorId,
    action: "vote.close",
    targetType: "vote",
    targetId: voteId,
    before: { status: "open" },
    after: { status: "closed", outcome, tally, early: closedEarly },
  });
  const people = await coalitionPeople(trx, vote.coalition_id);
  await notify(
    trx,
    people.map((personId) => ({
      personId,
      coalitionId: vote.coalition_id,
      kind: "vote_result",
      messageKey: `notifications.vote_result_${outcome}`,
      params: { statement: statement.title },
      link: paths.statement(vote.coalition_id, statement.id),
    })),
  );
  return true;
}

/** The background job: close every vote whose time has come, each claimed with SKIP LOCKED. */
export async function closeDueVotes(deps: Pick<AppDeps, "db">, limit = 20): Promise<number> {
  let closed = 0;
  for (let i = 0; i < limit; i++) {
    const done = await withTransaction(deps.db, async (trx) => {
      const due = await repo.claimDueVote(trx);
      if (!due) return null;
      return closeVote(trx, due.id, { actorId: null, early: false });
    });
    if (done === null) break;
    if (done) closed++;
  }
  return closed;
}

/** The background job: 24 hours before the close, remind the representatives of organisations that have not voted; once per vote. */
export async function remindClosingVotes(deps: Pick<AppDeps, "db">): Promise<number> {
  return withTransaction(deps.db, async (trx) => {
    const claimed = await repo.claimClosingReminders(trx);
    for (const vote of claimed) {
      const pending = await repo.pendingOrganisations(trx, vote.id, vote.coalition_id);
      const statement = await repo.statementTitle(trx, vote.statement_id);
      const reps = await repo.representatives(
        trx,
        pending.map((p) => p.organisation_id),
      );
      await notify(
        trx,
        reps.map((personId) => ({
          personId,
          coalitionId: vote.coalition_id,
          kind: "vote_closing",
          messageKey: "notifications.vote_closing",
          params: { statement: statement.title },
          link: paths.statement(vote.coalition_id, vote.statement_id),
        })),
      );
    }
    return claimed.length;
  });
}
