import type { Tally, TurnoutList, VoteInfo } from "@samakki/shared/statements";
import { AppError, notFound } from "../../lib/errors.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { isoOrNull, isoTime } from "../../lib/time.ts";
import type { Executor } from "../../lib/transaction.ts";
import { organisationRef } from "../organisations/organisation-ref.ts";
import { computeOutcome } from "./outcome.ts";
import { receiptFor } from "./receipts.ts";
import * as repo from "./votes.repository.ts";

/* The read side of votes: what a viewer may see of a vote, and the verification of a closed vote. */

/**
 * Recompute a closed vote's outcome from its ballots and compare with what was stored.
 * Only once closed: a recomputed tally of an open vote is a running tally, and with "who has voted"
 * it tells, ballot by ballot, how each organisation voted (issue 7). The refusal comes before any
 * ballot is read, so its answer, size and time are the same whatever the ballots say.
 */
async function verifyVote(db: Executor, vote: NonNullable<Awaited<ReturnType<typeof repo.latestVote>>>) {
  if (vote.status !== "closed") throw new AppError("vote_not_closed", "the vote is not closed");
  const voteId = vote.id;
  // A closed vote's ballots no longer change: the three reads go at once, each on its own connection,
  // and still see the same ballots.
  const [ballots, rows, eligible] = await Promise.all([
    repo.countedBallots(db, voteId),
    repo.countedBallotsForReceipts(db, voteId),
    repo.eligibleCount(db, voteId),
  ]);
  // Each receipt must still match its ballot: a changed choice would no longer hash to its receipt.
  const receiptsValid = rows.every(
    (b) =>
      receiptFor(b.nonce, { voteId, organisationId: b.organisation_id, choice: b.choice, named: b.named, castAt: b.cast_at }) === b.receipt,
  );
  const recomputed = computeOutcome(eligible, ballots, {
    quorum: Number(vote.quorum),
    threshold: vote.threshold,
  });
  const stored = { outcome: vote.outcome, tally: vote.tally };
  const matches =
    receiptsValid &&
    vote.status === "closed" &&
    stored.outcome === recomputed.outcome &&
    JSON.stringify(sortKeys(stored.tally)) === JSON.stringify(sortKeys(recomputed.tally));
  return { matches, stored, recomputed };
}

/** The statement's latest (not cancelled) vote, verified; 409 `vote_not_closed` while it is open. */
export async function verifyStatementVote(ctx: CoalitionCtx, statementId: string) {
  const vote = await repo.latestVote(ctx.deps.db, ctx.access.coalitionId, statementId);
  if (!vote) throw notFound("vote");
  return verifyVote(ctx.deps.db, vote);
}

const sortKeys = (value: object | null) =>
  value ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : null;

/**
 * Who may vote in the statement's latest vote and whether each has voted (never how), by name: for
 * the coordinators, who remind those who have not (the route allows no one else). Members see the
 * counts only: set beside the named endorsements, who voted tells who endorsed anonymously when
 * everyone who voted endorsed (docs/security.md §10). Loaded by the vote panel when it is opened.
 */
export async function getTurnoutList(ctx: CoalitionCtx, statementId: string): Promise<TurnoutList> {
  const vote = await repo.latestVote(ctx.deps.db, ctx.access.coalitionId, statementId);
  if (!vote) throw notFound("vote");
  const organisations = await repo.eligibleOrganisations(ctx.deps.db, vote.id);
  return {
    eligible: organisations.length,
    voted: organisations.filter((o) => o.has_voted).length,
    organisations: organisations.map((o) => ({ ...organisationRef(o.id, o), hasVoted: Boolean(o.has_voted) })),
  };
}

/** The vote as the viewer may see it (see shared VoteInfo for what is shown when). */
export async function getVoteInfo(ctx: CoalitionCtx, statementId: string): Promise<VoteInfo | null> {
  const { db } = ctx.deps;
  const vote = await repo.latestVote(db, ctx.access.coalitionId, statementId);
  if (!vote) return null;
  const closed = vote.status === "closed";
  const { coalitionId, organisationIds } = ctx.access;
  // Four reads that need only the vote, at once (one round trip of waiting, not four).
  // Other organisations' choices are read only when the viewer may see them or their totals: after the
  // close, or while open when the vote shows running totals. An open vote with hidden totals never loads
  // them, so nothing in this answer (content, size, time) can depend on how others voted. The viewer's
  // ballots are those of all their organisations in the coalition, kept below for the eligible ones.
  const [turnout, counted, organisationsOfMine, ballotsOfMine] = await Promise.all([
    repo.turnout(db, vote.id),
    closed || (vote.status === "open" && vote.totals_visible) ? repo.countedBallotsByOrganisation(db, vote.id) : [],
    repo.myVoteOrganisations(db, vote.id, coalitionId, ctx.person.id, organisationIds),
    repo.ballotHistory(db, vote.id, organisationIds),
  ]);
  let tally: Tally | null = closed ? vote.tally : null;
  if (vote.status === "open" && vote.totals_visible)
    tally = computeOutcome(turnout.eligible, counted, { quorum: Number(vote.quorum), threshold: vote.threshold }).tally;
  // The viewer's organisations, in the order of ctx.access: the eligible ones, and the others with the reason why.
  const ofMine = organisationIds.flatMap((id) => organisationsOfMine.filter((o) => o.id === id));
  const mine = ofMine.filter((o) => o.eligible);
  const mineIds = new Set(mine.map((o) => o.id));
  const myBallots = ballotsOfMine.filter((b) => mineIds.has(b.organisation_id));
  return {
    id: vote.id,
    versionId: vote.version_id,
    versionNumber: vote.version_number,
    sha256: vote.version_sha256,
    status: vote.status,
    quorum: Number(vote.quorum),
    threshold: vote.threshold,
    closesAt: isoTime(vote.closes_at),
    totalsVisible: vote.totals_visible,
    openedAt: isoTime(vote.opened_at),
    closedAt: isoOrNull(vote.closed_at),
    outcome: vote.outcome,
    tally,
    turnout,
    // After the close, the named endorsements (the signatories), and nothing else by name: objections
    // and abstentions are counted, like anonymous endorsements. Were they named, every voter who is not
    // would be an anonymous endorser to anyone who knows who voted (docs/security.md §10).
    ballots: closed
      ? counted
          .filter((b) => b.named && b.choice === "endorse")
          .map((b) => ({
            organisation: organisationRef(b.organisation_id, b),
            choice: b.choice,
            named: b.named,
          }))
      : null,
    receipts: closed ? counted.map((b) => b.receipt).sort() : null,
    myOrganisations: mine.map((org) => {
      const organisationId = org.id;
      const own = myBallots.filter((b) => b.organisation_id === organisationId);
      const current = own.find((b) => b.superseded_at === null);
      return {
        organisation: organisationRef(organisationId, org),
        canCast: vote.status === "open" && org.representative === true && org.status === "active",
        ballot: current
          ? {
              choice: current.choice,
              named: current.named,
              comment: current.comment,
              receipt: current.receipt,
              castAt: isoTime(current.cast_at),
            }
          : null,
        history: own.map((b) => ({ choice: b.choice, named: b.named, castAt: isoTime(b.cast_at), castBy: b.display_name ?? "" })),
      };
    }),
    // Only the viewer's own organisations and their own standing: the same whatever anyone voted.
    myOrganisationsNotVoting: ofMine
      .filter((o) => !o.eligible)
      .map((org) => ({
        organisation: organisationRef(org.id, org),
        // Not in the snapshot: an observer now, or an active member that was not one when the vote opened.
        reason: org.status === "observer" ? ("observer" as const) : ("not_member_at_opening" as const),
      })),
  };
}
