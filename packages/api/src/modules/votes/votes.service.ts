import type { Choice, Tally, Threshold, VoteInfo } from "@samakki/shared/statements";
import { sql } from "kysely";
import { isRetryableTransactionError, uniqueViolation } from "../../db/errors.ts";
import type { AppDeps } from "../../lib/context.ts";
import { AppError, notFound, validationFailed } from "../../lib/errors.ts";
import { jsonb } from "../../lib/jsonb.ts";
import type { CoalitionCtx } from "../../lib/service-context.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { notify } from "../notifications/notifications.service.ts";
import { assertStatementExists, coalitionPeople, lockStatement } from "../statements/statements.repository.ts";
import { computeOutcome } from "./outcome.ts";
import { newNonce, receiptFor } from "./receipts.ts";

const ONE_COUNTED_BALLOT = "ballot_one_counted_key";
const OPEN_STATUSES_TO_VOTE = new Set(["draft", "rejected", "no_quorum"]);

/** Representatives of the given organisations (who receive vote notifications). */
async function representatives(db: Executor, organisationIds: string[]) {
  if (organisationIds.length === 0) return [];
  const rows = await db
    .selectFrom("membership")
    .where("organisation_id", "in", organisationIds)
    .where("representative", "=", true)
    .select("person_id")
    .distinct()
    .execute();
  return rows.map((r) => r.person_id);
}

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
    const version = await trx
      .selectFrom("statement_version")
      .where("id", "=", input.versionId)
      .where("statement_id", "=", statementId)
      .select(["id", "number", "sha256"])
      .executeTakeFirst();
    if (!version) throw validationFailed([{ path: "versionId", message: "validation.not_a_version" }]);
    const timing = await sql<{ closes_at: Date; ok: boolean }>`
      SELECT (${input.closesAt}::timestamp AT TIME ZONE ${ctx.access.timeZone}) AS closes_at,
             (${input.closesAt}::timestamp AT TIME ZONE ${ctx.access.timeZone}) >= now() + interval '1 hour' AS ok`.execute(trx);
    const closes = timing.rows[0];
    if (!closes?.ok) throw validationFailed([{ path: "closesAt", message: "validation.one_hour_ahead" }]);
    const vote = await trx
      .insertInto("vote")
      .values({
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
      })
      .returning(["id"])
      .executeTakeFirstOrThrow();
    const eligible = await trx
      .selectFrom("coalition_member")
      .where("coalition_id", "=", ctx.access.coalitionId)
      .where("status", "=", "active")
      .select("organisation_id")
      .execute();
    if (eligible.length > 0)
      await trx
        .insertInto("vote_eligible")
        .values(eligible.map((e) => ({ vote_id: vote.id, organisation_id: e.organisation_id })))
        .execute();
    await trx.updateTable("statement").set({ status: "voting", updated_at: new Date() }).where("id", "=", statementId).execute();
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
    const reps = await representatives(
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
        link: `/c/${ctx.access.coalitionId}/statements/${statementId}`,
      })),
    );
    return { voteId: vote.id };
  });
}

async function lockOpenVote(trx: Executor, coalitionId: string, statementId: string) {
  const vote = await trx
    .selectFrom("vote")
    .where("statement_id", "=", statementId)
    .where("coalition_id", "=", coalitionId)
    .where("status", "=", "open")
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
  if (!vote) throw new AppError("precondition_failed", "no open vote");
  return vote;
}

/** Cancelling is audited, notifies everyone, and makes the statement a draft again. */
export async function cancelVote(ctx: CoalitionCtx, statementId: string) {
  if (!ctx.access.isCoordinator) throw new AppError("forbidden", "coordinators only");
  await withTransaction(ctx.deps.db, async (trx) => {
    await assertStatementExists(trx, ctx.access.coalitionId, statementId);
    // The vote first, then the statement: the order closeVote takes them in, so a cancel and a close cannot deadlock.
    const vote = await lockOpenVote(trx, ctx.access.coalitionId, statementId);
    const statement = await lockStatement(trx, ctx.access.coalitionId, statementId);
    if (!statement) throw notFound("statement");
    await trx.updateTable("vote").set({ status: "cancelled", closed_at: sql<Date>`now()` }).where("id", "=", vote.id).execute();
    await trx.updateTable("statement").set({ status: "draft", updated_at: new Date() }).where("id", "=", statementId).execute();
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
          link: `/c/${ctx.access.coalitionId}/statements/${statementId}`,
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
 *   one after the other; the earlier ballot is marked superseded and stays in the history;
 * - the partial unique index `ballot_one_counted_key` guarantees one counted ballot per
 *   organisation whatever the code does; a lost race is retried.
 */
export async function castBallot(
  ctx: CoalitionCtx,
  statementId: string,
  input: { organisationId: string; choice: Choice; named: boolean; comment: string },
) {
  const membership = await ctx.deps.db
    .selectFrom("membership")
    .where("organisation_id", "=", input.organisationId)
    .where("person_id", "=", ctx.person.id)
    .select("representative")
    .executeTakeFirst();
  if (!membership?.representative) throw new AppError("forbidden", "only the organisation's representatives cast its ballot");
  const named = input.choice === "endorse" ? input.named : true;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(ctx.deps.db, async (trx) => {
        const vote = await trx
          .selectFrom("vote")
          .where("statement_id", "=", statementId)
          .where("coalition_id", "=", ctx.access.coalitionId)
          .where("status", "=", "open")
          .select(["id", "closes_at", sql<boolean>`app_now() < closes_at`.as("before_close")])
          .forShare()
          .executeTakeFirst();
        if (!vote) {
          await assertStatementExists(trx, ctx.access.coalitionId, statementId);
          throw new AppError("precondition_failed", "the vote is not open");
        }
        const eligible = await trx
          .selectFrom("vote_eligible")
          .where("vote_id", "=", vote.id)
          .where("organisation_id", "=", input.organisationId)
          .select("organisation_id")
          .forUpdate()
          .executeTakeFirst();
        if (!eligible) throw new AppError("forbidden", "the organisation is not eligible in this vote");
        // Eligibility is a snapshot of the opening; an organisation suspended (or gone) since then does not act for the coalition.
        const standing = await trx
          .selectFrom("coalition_member")
          .where("coalition_id", "=", ctx.access.coalitionId)
          .where("organisation_id", "=", input.organisationId)
          .select("status")
          .executeTakeFirst();
        if (standing?.status !== "active") throw new AppError("forbidden", "the organisation is not an active member of the coalition");
        const clock = await sql<{ now: Date }>`SELECT app_now() AS now`.execute(trx);
        const castAt = clock.rows[0]?.now;
        if (!castAt || castAt.getTime() >= vote.closes_at.getTime()) throw new AppError("precondition_failed", "the vote has closed");
        // Millisecond precision, so the receipt computed now is the one recomputed from the stored row.
        const at = new Date(castAt.getTime());
        const previous = await trx
          .updateTable("ballot")
          .set({ superseded_at: at })
          .where("vote_id", "=", vote.id)
          .where("organisation_id", "=", input.organisationId)
          .where("superseded_at", "is", null)
          .returning(["id"])
          .executeTakeFirst();
        const nonce = newNonce();
        const receipt = receiptFor(nonce, {
          voteId: vote.id,
          organisationId: input.organisationId,
          choice: input.choice,
          named,
          castAt: at,
        });
        const ballot = await trx
          .insertInto("ballot")
          .values({
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
          })
          .returning(["id"])
          .executeTakeFirstOrThrow();
        await recordAudit(trx, {
          coalitionId: ctx.access.coalitionId,
          actorId: ctx.person.id,
          action: previous ? "ballot.change" : "ballot.cast",
          targetType: "vote",
          targetId: vote.id,
          // Not the choice: coordinators read the audit log, and before the close nobody may learn how an
          // organisation voted. The ballot row (append-only) holds the choice; its receipt, an HMAC over
          // the choice, is chained here, so a later change to the ballot would no longer match.
          before: previous ? { organisationId: input.organisationId, ballotId: previous.id } : null,
          after: { organisationId: input.organisationId, ballotId: ballot.id, receipt },
        });
        return { receipt, castAt: at.toISOString(), changed: Boolean(previous) };
      });
    } catch (error) {
      const retryable = uniqueViolation(error) === ONE_COUNTED_BALLOT || isRetryableTransactionError(error);
      if (!retryable || attempt >= 5) throw retryable ? new AppError("conflict", "ballot race") : error;
    }
  }
}

async function countedBallots(db: Executor, voteId: string) {
  return db
    .selectFrom("ballot")
    .where("vote_id", "=", voteId)
    .where("superseded_at", "is", null)
    .select(["organisation_id", "choice", "named", "receipt"])
    .execute();
}

async function eligibleCount(db: Executor, voteId: string) {
  const row = await db
    .selectFrom("vote_eligible")
    .where("vote_id", "=", voteId)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Close a vote and store its outcome, computed from the ballots alone. Idempotent: the vote row
 * is locked, and a vote that is no longer open is left as it is (no second result, no second
 * set of notifications). `early` is a coordinator closing before the time, allowed only once
 * every eligible organisation has voted; otherwise the closing time must have passed.
 */
export async function closeVote(trx: Executor, voteId: string, options: { actorId: string | null; early: boolean }): Promise<boolean> {
  const vote = await trx
    .selectFrom("vote")
    .where("id", "=", voteId)
    .selectAll()
    .select(sql<boolean>`closes_at <= app_now()`.as("due"))
    .forUpdate()
    .executeTakeFirst();
  if (vote?.status !== "open") return false;
  const ballots = await countedBallots(trx, voteId);
  const eligible = await eligibleCount(trx, voteId);
  // Early: every eligible organisation has voted. Once the closing time has passed, a coordinator's close is the ordinary close.
  const early = options.early && !vote.due;
  if (!vote.due && !(options.early && ballots.length >= eligible))
    throw new AppError("precondition_failed", options.early ? "not every organisation has voted" : "the vote is still open");
  const { outcome, tally } = computeOutcome(eligible, ballots, { quorum: Number(vote.quorum), threshold: vote.threshold });
  await trx
    .updateTable("vote")
    .set({ status: "closed", closed_at: sql<Date>`now()`, outcome, tally: jsonb(tally) })
    .where("id", "=", voteId)
    .execute();
  const statement = await trx
    .selectFrom("statement")
    .where("id", "=", vote.statement_id)
    .select(["id", "title"])
    .forUpdate()
    .executeTakeFirstOrThrow();
  await trx
    .updateTable("statement")
    .set({ status: outcome, adopted_vote_id: outcome === "adopted" ? voteId : null, updated_at: new Date() })
    .where("id", "=", vote.statement_id)
    .execute();
  await recordAudit(trx, {
    coalitionId: vote.coalition_id,
    actorId: options.actorId,
    action: "vote.close",
    targetType: "vote",
    targetId: voteId,
    before: { status: "open" },
    after: { status: "closed", outcome, tally, early },
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
      link: `/c/${vote.coalition_id}/statements/${statement.id}`,
    })),
  );
  return true;
}

export async function closeVoteEarly(ctx: CoalitionCtx, statementId: string) {
  if (!ctx.access.isCoordinator) throw new AppError("forbidden", "coordinators only");
  await withTransaction(ctx.deps.db, async (trx) => {
    const vote = await trx
      .selectFrom("vote")
      .where("statement_id", "=", statementId)
      .where("coalition_id", "=", ctx.access.coalitionId)
      .orderBy("opened_at", "desc")
      .select(["id", "status"])
      .executeTakeFirst();
    if (!vote) {
      await assertStatementExists(trx, ctx.access.coalitionId, statementId);
      throw new AppError("precondition_failed", "no vote");
    }
    if (vote.status === "closed") return;
    if (vote.status !== "open") throw new AppError("precondition_failed", "no open vote");
    await closeVote(trx, vote.id, { actorId: ctx.person.id, early: true });
  });
}

/** The background job: close every vote whose time has come, each claimed with SKIP LOCKED. */
export async function closeDueVotes(deps: Pick<AppDeps, "db">, limit = 20): Promise<number> {
  let closed = 0;
  for (let i = 0; i < limit; i++) {
    const done = await withTransaction(deps.db, async (trx) => {
      const due = await trx
        .selectFrom("vote")
        // A literal, not a parameter: a generic plan can then use the partial index vote_open_closes_idx.
        .where("status", "=", sql.lit("open"))
        .where("closes_at", "<=", sql<Date>`app_now()`)
        .select("id")
        .orderBy("closes_at")
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
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
    const claimed = await sql<{ id: string; statement_id: string; coalition_id: string }>`
      WITH due AS MATERIALIZED (
        SELECT id FROM vote
        WHERE status = 'open' AND closing_reminder_at IS NULL AND closes_at <= now() + interval '24 hours' AND closes_at > now()
        ORDER BY closes_at LIMIT 20 FOR UPDATE SKIP LOCKED)
      UPDATE vote SET closing_reminder_at = now() FROM due WHERE vote.id = due.id
      RETURNING vote.id, vote.statement_id, vote.coalition_id`.execute(trx);
    for (const vote of claimed.rows) {
      const pending = await trx
        .selectFrom("vote_eligible as e")
        // Only organisations that can still cast (an organisation suspended since the opening cannot).
        .innerJoin("coalition_member as cm", (join) =>
          join.onRef("cm.organisation_id", "=", "e.organisation_id").on("cm.coalition_id", "=", vote.coalition_id),
        )
        .where("cm.status", "=", "active")
        .where("e.vote_id", "=", vote.id)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("ballot as b")
                .whereRef("b.vote_id", "=", "e.vote_id")
                .whereRef("b.organisation_id", "=", "e.organisation_id")
                .select(sql.lit(1).as("one")),
            ),
          ),
        )
        .select("e.organisation_id")
        .execute();
      const statement = await trx.selectFrom("statement").where("id", "=", vote.statement_id).select("title").executeTakeFirstOrThrow();
      const reps = await representatives(
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
          link: `/c/${vote.coalition_id}/statements/${vote.statement_id}`,
        })),
      );
    }
    return claimed.rows.length;
  });
}

/**
 * Recompute a closed vote's outcome from its ballots and compare with what was stored.
 * Only once closed: a recomputed tally of an open vote is a running tally, and with "who has voted"
 * it tells, ballot by ballot, how each organisation voted (issue 7). The refusal comes before any
 * ballot is read, so its answer, size and time are the same whatever the ballots say.
 */
export async function verifyVote(db: Executor, voteId: string) {
  const vote = await db.selectFrom("vote").where("id", "=", voteId).selectAll().executeTakeFirst();
  if (!vote) throw notFound("vote");
  if (vote.status !== "closed") throw new AppError("vote_not_closed", "the vote is not closed");
  const ballots = await countedBallots(db, voteId);
  // Each receipt must still match its ballot: a changed choice would no longer hash to its receipt.
  const rows = await db
    .selectFrom("ballot")
    .where("vote_id", "=", voteId)
    .where("superseded_at", "is", null)
    .select(["organisation_id", "choice", "named", "cast_at", "nonce", "receipt"])
    .execute();
  const receiptsValid = rows.every(
    (b) =>
      receiptFor(b.nonce, { voteId, organisationId: b.organisation_id, choice: b.choice, named: b.named, castAt: b.cast_at }) === b.receipt,
  );
  const recomputed = computeOutcome(await eligibleCount(db, voteId), ballots, { quorum: Number(vote.quorum), threshold: vote.threshold });
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
  const vote = await latestVote(ctx.deps.db, ctx.access.coalitionId, statementId);
  if (!vote) throw notFound("vote");
  return verifyVote(ctx.deps.db, vote.id);
}

const sortKeys = (value: object | null) =>
  value ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : null;

export async function latestVote(db: Executor, coalitionId: string, statementId: string) {
  return db
    .selectFrom("vote")
    .where("statement_id", "=", statementId)
    .where("coalition_id", "=", coalitionId)
    .where("status", "!=", "cancelled")
    .orderBy("opened_at", "desc")
    .selectAll()
    .executeTakeFirst();
}

/** The vote as the viewer may see it (see shared VoteInfo for what is shown when). */
export async function getVoteInfo(ctx: CoalitionCtx, statementId: string): Promise<VoteInfo | null> {
  const { db } = ctx.deps;
  const vote = await latestVote(db, ctx.access.coalitionId, statementId);
  if (!vote) return null;
  const version = await db
    .selectFrom("statement_version")
    .where("id", "=", vote.version_id)
    .select(["number", "sha256"])
    .executeTakeFirstOrThrow();
  const eligibleOrgs = await db
    .selectFrom("vote_eligible as e")
    .innerJoin("organisation as o", "o.id", "e.organisation_id")
    .where("e.vote_id", "=", vote.id)
    .select((eb) => [
      "o.id",
      "o.name",
      "o.short_name",
      eb
        .exists(
          eb
            .selectFrom("ballot as b")
            .whereRef("b.vote_id", "=", "e.vote_id")
            .whereRef("b.organisation_id", "=", "e.organisation_id")
            .select(sql.lit(1).as("one")),
        )
        .as("has_voted"),
    ])
    .orderBy("o.name")
    .execute();
  const closed = vote.status === "closed";
  // Other organisations' choices are read only when the viewer may see them or their totals: after the
  // close, or while open when the vote shows running totals. An open vote with hidden totals never loads
  // them, so nothing in this answer (content, size, time) can depend on how others voted.
  const counted =
    closed || (vote.status === "open" && vote.totals_visible)
      ? await db
          .selectFrom("ballot as b")
          .innerJoin("organisation as o", "o.id", "b.organisation_id")
          .where("b.vote_id", "=", vote.id)
          .where("b.superseded_at", "is", null)
          .select(["b.organisation_id", "b.choice", "b.named", "b.receipt", "o.name", "o.short_name"])
          .orderBy("o.name")
          .execute()
      : [];
  let tally: Tally | null = closed ? vote.tally : null;
  if (vote.status === "open" && vote.totals_visible)
    tally = computeOutcome(eligibleOrgs.length, counted, { quorum: Number(vote.quorum), threshold: vote.threshold }).tally;
  const mine = ctx.access.organisationIds.filter((id) => eligibleOrgs.some((o) => o.id === id));
  const myMemberships = mine.length
    ? await db
        .selectFrom("membership as m")
        .innerJoin("coalition_member as cm", (join) =>
          join.onRef("cm.organisation_id", "=", "m.organisation_id").on("cm.coalition_id", "=", ctx.access.coalitionId),
        )
        .where("m.person_id", "=", ctx.person.id)
        .where("m.organisation_id", "in", mine)
        .select(["m.organisation_id", "m.representative", "cm.status"])
        .execute()
    : [];
  const myBallots = mine.length
    ? await db
        .selectFrom("ballot as b")
        .leftJoin("person as p", "p.id", "b.cast_by")
        .where("b.vote_id", "=", vote.id)
        .where("b.organisation_id", "in", mine)
        .select(["b.organisation_id", "b.choice", "b.named", "b.comment", "b.receipt", "b.cast_at", "b.superseded_at", "p.display_name"])
        .orderBy("b.cast_at")
        .execute()
    : [];
  return {
    id: vote.id,
    versionId: vote.version_id,
    versionNumber: version.number,
    sha256: version.sha256,
    status: vote.status,
    quorum: Number(vote.quorum),
    threshold: vote.threshold,
    closesAt: vote.closes_at.toISOString(),
    totalsVisible: vote.totals_visible,
    openedAt: vote.opened_at.toISOString(),
    closedAt: vote.closed_at?.toISOString() ?? null,
    outcome: vote.outcome,
    tally,
    eligibleOrganisations: eligibleOrgs.map((o) => ({ id: o.id, name: o.name, shortName: o.short_name, hasVoted: Boolean(o.has_voted) })),
    ballots: closed
      ? counted.map((b) => ({
          organisation: { id: b.organisation_id, name: b.name, shortName: b.short_name },
          choice: b.choice,
          named: b.named,
        }))
      : null,
    receipts: closed ? counted.map((b) => b.receipt).sort() : null,
    myOrganisations: mine.map((organisationId) => {
      const org = eligibleOrgs.find((o) => o.id === organisationId);
      const own = myBallots.filter((b) => b.organisation_id === organisationId);
      const current = own.find((b) => b.superseded_at === null);
      return {
        organisation: { id: organisationId, name: org?.name ?? "", shortName: org?.short_name ?? null },
        canCast:
          vote.status === "open" &&
          myMemberships.some((m) => m.organisation_id === organisationId && m.representative && m.status === "active"),
        ballot: current
          ? {
              choice: current.choice,
              named: current.named,
              comment: current.comment,
              receipt: current.receipt,
              castAt: current.cast_at.toISOString(),
            }
          : null,
        history: own.map((b) => ({ choice: b.choice, named: b.named, castAt: b.cast_at.toISOString(), castBy: b.display_name ?? "" })),
      };
    }),
  };
}
