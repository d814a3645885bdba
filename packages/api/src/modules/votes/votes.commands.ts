import * as paths from "@samakki/shared/paths";
import type { Choice, Threshold } from "@samakki/shared/statements";
import { isRetryableTransactionError, uniqueViolation } from "../../db/errors.ts";
import { AppError, notFound, validationFailed } from "../../lib/errors.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { notify } from "../notifications/notifications.service.ts";
import { assertStatementExists, coalitionPeople, lockStatement } from "../statement-lookups/statement-lookups.repository.ts";
import { newNonce, receiptFor } from "./receipts.ts";
import { closeVote } from "./votes.closing.ts";
import * as repo from "./votes.repository.ts";

/* What people do to a vote: a coordinator opens, cancels or closes it early; representatives cast ballots. */

const ONE_COUNTED_BALLOT = "ballot_one_counted_key";
const OPEN_STATUSES_TO_VOTE = new Set(["draft", "rejected", "no_quorum"]);

/**
 * A coordinator opens a vote on one version. The eligible organisations are snapshotted now:
 * those `active` in the coalition; observers, suspended and later joiners never vote on it.
 * The closing time is a local time of the coalition, at least an hour ahead by the database clock.
 */
export async function openVote(
  ctx: CoalitionCtx,
  statementId: string,
  input: { versionId: string; quorum: number; threshold: Threshold; closesAt: string; totalsVisible: boolean },
) {
  if (!ctx.access.isCoordinator) throw new AppError("forbidden", "coordinators only");
  return withTransaction(ctx.deps.db, async (trx) => {
    const statement = await lockStatement(trx, ctx.access.coalitionId, statementId);
    if (!statement) throw notFound("statement");
    if (!OPEN_STATUSES_TO_VOTE.has(statement.status))
      throw new AppError("precondition_failed", `cannot open a vote on a ${statement.status} statement`);
    const version = await repo.findVersionOfStatement(trx, statementId, input.versionId);
    if (!version) throw validationFailed([{ path: "versionId", message: "validation.not_a_version" }]);
    const closes = await repo.closingTime(trx, input.closesAt, ctx.access.timeZone);
    if (!closes?.ok) throw validationFailed([{ path: "closesAt", message: "validation.one_hour_ahead" }]);
    const vote = await repo.insertVote(trx, {
      statement_id: statementId,
      version_id: version.id,
      coalition_id: ctx.access.coalitionId,
      quorum: input.quorum,
      threshold: input.threshold,
      closes_at: closes.closes_at,
      totals_visible: input.totalsVisible,
      opened_by: ctx.person.id,
      closed_at: null,
      outcome: null,
      tally: null,
      closing_reminder_at: null,
    });
    const eligible = await repo.activeOrganisations(trx, ctx.access.coalitionId);
    if (eligible.length > 0)
      await repo.insertEligible(
        trx,
        vote.id,
        eligible.map((e) => e.organisation_id),
      );
    await repo.setStatementStatus(trx, statementId, "voting");
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "vote.open",
      targetType: "vote",
      targetId: vote.id,
      after: {
        statementId,
        version: version.number,
        sha256: version.sha256,
        quorum: input.quorum,
        threshold: input.threshold,
        closesAt: closes.closes_at.toISOString(),
        totalsVisible: input.totalsVisible,
        eligible: eligible.map((e) => e.organisation_id),
      },
    });
    const reps = await repo.representatives(
      trx,
      eligible.map((e) => e.organisation_id),
    );
    await notify(
      trx,
      reps.map((personId) => ({
        personId,
        coalitionId: ctx.access.coalitionId,
        kind: "vote_opened",
        messageKey: "notifications.vote_opened",
        params: { statement: statement.title, closesAt: closes.closes_at.toISOString() },
        link: paths.statement(ctx.access.coalitionId, statementId),
      })),
    );
    return { voteId: vote.id };
  });
}

/** Cancelling is audited, notifies everyone, and makes the statement a draft again. */
export async function cancelVote(ctx: CoalitionCtx, statementId: string) {
  if (!ctx.access.isCoordinator) throw new AppError("forbidden", "coordinators only");
  await withTransaction(ctx.deps.db, async (trx) => {
    await assertStatementExists(trx, ctx.access.coalitionId, statementId);
    // The vote first, then the statement: the order closeVote takes them in, so a cancel and a close cannot deadlock.
    const vote = await repo.lockOpenVote(trx, ctx.access.coalitionId, statementId);
    if (!vote) throw new AppError("precondition_failed", "no open vote");
    const statement = await lockStatement(trx, ctx.access.coalitionId, statementId);
    if (!statement) throw notFound("statement");
    await repo.markVoteCancelled(trx, vote.id);
    await repo.setStatementStatus(trx, statementId, "draft");
    await recordAudit(trx, {
      coalitionId: ctx.access.coalitionId,
      actorId: ctx.person.id,
      action: "vote.cancel",
      targetType: "vote",
      targetId: vote.id,
      before: { status: "open" },
      after: { status: "cancelled" },
    });
    const people = await coalitionPeople(trx, ctx.access.coalitionId);
    await notify(
      trx,
      people
        .filter((p) => p !== ctx.person.id)
        .map((personId) => ({
          personId,
          coalitionId: ctx.access.coalitionId,
          kind: "vote_cancelled",
          messageKey: "notifications.vote_cancelled",
          params: { statement: statement.title },
          link: paths.statement(ctx.access.coalitionId, statementId),
        })),
    );
  });
}

/**
 * Cast (or change) an organisation's ballot. Inside one transaction:
 * - the vote row is share-locked, so a close (which takes it exclusively) waits for casts in flight
 *   and every cast that starts after a close sees it closed;
 * - the database clock decides: the ballot is accepted only while `app_now() < closes_at` (the real time in production; tests move it);
 * - the organisation's eligibility row is locked, so two representatives of one organisation cast
 *   one after the other; once it is held, one statement reads the clock, the organisation's
 *   standing and the caster's membership (both under a share lock, so a suspension or removal in
 *   progress is waited for and one that comes later waits for this cast) and marks the earlier
 *   ballot superseded, which stays in the history (takeCastTurn);
 * - the partial unique index `ballot_one_counted_key` guarantees one counted ballot per
 *   organisation whatever the code does; a lost race is retried.
 */
export async function castBallot(
  ctx: CoalitionCtx,
  statementId: string,
  input: { organisationId: string; choice: Choice; named: boolean; comment: string },
) {
  const membership = await repo.findMembership(ctx.deps.db, input.organisationId, ctx.person.id);
  if (!membership?.representative) throw new AppError("forbidden", "only the organisation's representatives cast its ballot");
  const named = input.choice === "endorse" ? input.named : true;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(ctx.deps.db, async (trx) => {
        const vote = await repo.shareLockOpenVote(trx, ctx.access.coalitionId, statementId);
        if (!vote) {
          await assertStatementExists(trx, ctx.access.coalitionId, statementId);
          throw new AppError("precondition_failed", "the vote is not open");
        }
        const eligible = await repo.lockEligibility(trx, vote.id, input.organisationId);
        if (!eligible) throw new AppError("forbidden", "the organisation is not eligible in this vote");
        // Eligibility is a snapshot of the opening; an organisation suspended (or gone) since then does not act for the coalition.
        const turn = await repo.takeCastTurn(trx, {
          coalitionId: ctx.access.coalitionId,
          voteId: vote.id,
          organisationId: input.organisationId,
          personId: ctx.person.id,
        });
        if (turn.standing !== "active") throw new AppError("forbidden", "the organisation is not an active member of the coalition");
        // Checked above before any lock, for a quick answer; again here, as it stands now the cast's turn has come.
        if (!turn.representative) throw new AppError("forbidden", "only the organisation's representatives cast its ballot");
        if (turn.at.getTime() >= vote.closes_at.getTime()) throw new AppError("precondition_failed", "the vote has closed");
        // Millisecond precision (the query truncates), so the receipt computed now is the one recomputed from the stored row.
        const { at, previousId } = turn;
        const nonce = newNonce();
        const receipt = receiptFor(nonce, {
          voteId: vote.id,
          organisationId: input.organisationId,
          choice: input.choice,
          named,
          castAt: at,
        });
        const ballot = await repo.insertBallot(trx, {
          vote_id: vote.id,
          organisation_id: input.organisationId,
          choice: input.choice,
          named,
          comment: input.comment,
          cast_by: ctx.person.id,
          cast_at: at,
          nonce,
          receipt,
          superseded_at: null,
        });
        await recordAudit(trx, {
          coalitionId: ctx.access.coalitionId,
          actorId: ctx.person.id,
          action: previousId ? "ballot.change" : "ballot.cast",
          targetType: "vote",
          targetId: vote.id,
          // Not the choice: coordinators read the audit log, and before the close nobody may learn how an
          // organisation voted. The ballot row (append-only) holds the choice; its receipt, an HMAC over
          // the choice, is chained here, so a later change to the ballot would no longer match.
          before: previousId ? { organisationId: input.organisationId, ballotId: previousId } : null,
          after: { organisationId: input.organisationId, ballotId: ballot.id, receipt },
        });
        return { receipt, castAt: at.toISOString(), changed: previousId !== null };
      });
    } catch (error) {
      const retryable = uniqueViolation(error) === ONE_COUNTED_BALLOT || isRetryableTransactionError(error);
      if (!retryable || attempt >= 5) throw retryable ? new AppError("conflict", "ballot race") : error;
    }
  }
}

/** A coordinator closes the vote before its time, once every eligible organisation has voted (see closeVote). */
export async function closeVoteEarly(ctx: CoalitionCtx, statementId: string) {
  if (!ctx.access.isCoordinator) throw new AppError("forbidden", "coordinators only");
  await withTransaction(ctx.deps.db, async (trx) => {
    const vote = await repo.latestVoteAnyStatus(trx, ctx.access.coalitionId, statementId);
    if (!vote) {
      await assertStatementExists(trx, ctx.access.coalitionId, statementId);
      throw new AppError("precondition_failed", "no vote");
    }
    if (vote.status === "closed") return;
    if (vote.status !== "open") throw new AppError("precondition_failed", "no open vote");
    await closeVote(trx, vote.id, { actorId: ctx.person.id, early: true });
  });
}
