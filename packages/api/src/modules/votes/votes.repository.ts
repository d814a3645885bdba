import type { Outcome, Tally } from "@samakki/shared/statements";
import { type ExpressionBuilder, type Insertable, sql } from "kysely";
import { prepared } from "../../db/prepared.ts";
import type { DB } from "../../db/schema.ts";
import type { BallotTable, VoteTable } from "../../db/tables/statement.ts";
import { jsonb } from "../../lib/jsonb.ts";
import type { Executor } from "../../lib/transaction.ts";

/*
 * Every query of the votes module, one function per query, the db handle first so each works
 * inside the caller's transaction. Lock order is the caller's business and stays: the vote row
 * before the statement row (see votes.commands.ts and votes.closing.ts). A cast takes the vote
 * (share), its organisation's vote_eligible row, the superseded ballot, the organisation's
 * coalition_member row and the caster's membership row (share), then the coalition's audit chain
 * head. What changes a membership or a member's status locks no vote or eligibility row, or locks
 * the vote first (a coalition's deletion), so the two never wait on each other in a cycle.
 */

// ---- people and organisations ----

/** Representatives of the given organisations (who receive vote notifications). */
export async function representatives(db: Executor, organisationIds: string[]) {
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

/** The organisations `active` in the coalition now (the eligibility snapshot of a new vote). */
export function activeOrganisations(db: Executor, coalitionId: string) {
  return db
    .selectFrom("coalition_member")
    .where("coalition_id", "=", coalitionId)
    .where("status", "=", "active")
    .select("organisation_id")
    .execute();
}

/** The person's membership of the organisation (whether they represent it), if any. */
export function findMembership(db: Executor, organisationId: string, personId: string) {
  return db
    .selectFrom("membership")
    .where("organisation_id", "=", organisationId)
    .where("person_id", "=", personId)
    .select("representative")
    .executeTakeFirst();
}

// ---- statement rows a vote reads or changes ----

export function findVersionOfStatement(db: Executor, statementId: string, versionId: string) {
  return db
    .selectFrom("statement_version")
    .where("id", "=", versionId)
    .where("statement_id", "=", statementId)
    .select(["id", "number", "sha256"])
    .executeTakeFirst();
}

/** The statement a vote closes, locked (after its vote: the lock order is vote, then statement). */
export function lockStatementOfVote(db: Executor, statementId: string) {
  return db.selectFrom("statement").where("id", "=", statementId).select(["id", "title"]).forUpdate().executeTakeFirstOrThrow();
}

export function statementTitle(db: Executor, statementId: string) {
  return db.selectFrom("statement").where("id", "=", statementId).select("title").executeTakeFirstOrThrow();
}

/** A vote opens (`voting`) or is cancelled (`draft` again). */
export async function setStatementStatus(db: Executor, statementId: string, status: "voting" | "draft") {
  await db.updateTable("statement").set({ status, updated_at: new Date() }).where("id", "=", statementId).execute();
}

/** The statement takes its vote's outcome; an adopted one remembers the vote. */
export async function setStatementOutcome(db: Executor, statementId: string, voteId: string, outcome: Outcome) {
  await db
    .updateTable("statement")
    .set({ status: outcome, adopted_vote_id: outcome === "adopted" ? voteId : null, updated_at: new Date() })
    .where("id", "=", statementId)
    .execute();
}

// ---- the database clock ----

/** The closing time, a local time of the coalition, and whether it is at least an hour ahead by the database clock. */
export async function closingTime(db: Executor, closesAt: string, timeZone: string) {
  const timing = await sql<{ closes_at: Date; ok: boolean }>`
      SELECT (${closesAt}::timestamp AT TIME ZONE ${timeZone}) AS closes_at,
             (${closesAt}::timestamp AT TIME ZONE ${timeZone}) >= now() + interval '1 hour' AS ok`.execute(db);
  return timing.rows[0];
}

// ---- votes ----

export function insertVote(db: Executor, values: Insertable<VoteTable>) {
  return db.insertInto("vote").values(values).returning(["id"]).executeTakeFirstOrThrow();
}

export async function insertEligible(db: Executor, voteId: string, organisationIds: string[]) {
  await db
    .insertInto("vote_eligible")
    .values(organisationIds.map((organisationId) => ({ vote_id: voteId, organisation_id: organisationId })))
    .execute();
}

/**
 * The statement's latest vote that was not cancelled, with the number and hash of the version it is
 * on (one round trip for what a statement's page shows of it). Compiled once: every statement's page reads it.
 */
const latestVoteQuery = prepared(["coalitionId", "statementId"], (db, p) =>
  db
    .selectFrom("vote")
    .innerJoin("statement_version as sv", "sv.id", "vote.version_id")
    .where("vote.statement_id", "=", p.statementId)
    .where("vote.coalition_id", "=", p.coalitionId)
    .where("vote.status", "!=", "cancelled")
    .orderBy("vote.opened_at", "desc")
    .selectAll("vote")
    .select(["sv.number as version_number", "sv.sha256 as version_sha256"])
    .limit(1),
);

export async function latestVote(db: Executor, coalitionId: string, statementId: string) {
  const [row] = await latestVoteQuery(db, { coalitionId, statementId });
  return row;
}

/** The statement's latest vote, whatever its status. */
export function latestVoteAnyStatus(db: Executor, coalitionId: string, statementId: string) {
  return db
    .selectFrom("vote")
    .where("statement_id", "=", statementId)
    .where("coalition_id", "=", coalitionId)
    .orderBy("opened_at", "desc")
    .select(["id", "status"])
    .executeTakeFirst();
}

/** The statement's open vote, locked FOR UPDATE. */
export function lockOpenVote(db: Executor, coalitionId: string, statementId: string) {
  return db
    .selectFrom("vote")
    .where("statement_id", "=", statementId)
    .where("coalition_id", "=", coalitionId)
    .where("status", "=", "open")
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

/** The statement's open vote, share-locked: a close (FOR UPDATE) waits for the casts in flight. */
export function shareLockOpenVote(db: Executor, coalitionId: string, statementId: string) {
  return db
    .selectFrom("vote")
    .where("statement_id", "=", statementId)
    .where("coalition_id", "=", coalitionId)
    .where("status", "=", "open")
    .select(["id", "closes_at"])
    .forShare()
    .executeTakeFirst();
}

/** The vote, locked FOR UPDATE, with whether its closing time has passed by the database clock. */
export function lockVoteForClose(db: Executor, voteId: string) {
  return db
    .selectFrom("vote")
    .where("id", "=", voteId)
    .selectAll()
    .select(sql<boolean>`closes_at <= app_now()`.as("due"))
    .forUpdate()
    .executeTakeFirst();
}

/**
 * When a vote closed or was cancelled: the database clock once the vote's lock is held, as a
 * ballot's `cast_at` is read, to the millisecond. Not `now()`, the time the transaction began: a
 * close that waited for the casts in flight was dated before the ballots it counted.
 */
const closedNow = sql<Date>`date_trunc('milliseconds', app_now())`;

export async function markVoteCancelled(db: Executor, voteId: string) {
  await db.updateTable("vote").set({ status: "cancelled", closed_at: closedNow }).where("id", "=", voteId).execute();
}

export async function markVoteClosed(db: Executor, voteId: string, outcome: Outcome, tally: Tally) {
  await db
    .updateTable("vote")
    .set({ status: "closed", closed_at: closedNow, outcome, tally: jsonb(tally) })
    .where("id", "=", voteId)
    .execute();
}

/** Claim one open vote whose time has come, SKIP LOCKED so several instances never close the same one. */
export function claimDueVote(db: Executor) {
  return (
    db
      .selectFrom("vote")
      // A literal, not a parameter: a generic plan can then use the partial index vote_open_closes_idx.
      .where("status", "=", sql.lit("open"))
      .where("closes_at", "<=", sql<Date>`app_now()`)
      .select("id")
      .orderBy("closes_at")
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst()
  );
}

/** Claim (and mark, in the same statement) the open votes closing within 24 hours that were not reminded yet. */
export async function claimClosingReminders(db: Executor) {
  const claimed = await sql<{ id: string; statement_id: string; coalition_id: string }>`
      WITH due AS MATERIALIZED (
        SELECT id FROM vote
        WHERE status = 'open' AND closing_reminder_at IS NULL AND closes_at <= now() + interval '24 hours' AND closes_at > now()
        ORDER BY closes_at LIMIT 20 FOR UPDATE SKIP LOCKED)
      UPDATE vote SET closing_reminder_at = now() FROM due WHERE vote.id = due.id
      RETURNING vote.id, vote.statement_id, vote.coalition_id`.execute(db);
  return claimed.rows;
}

// ---- eligibility ----

/** The organisation's eligibility row, locked: two representatives of one organisation cast one after the other. */
export function lockEligibility(db: Executor, voteId: string, organisationId: string) {
  return db
    .selectFrom("vote_eligible")
    .where("vote_id", "=", voteId)
    .where("organisation_id", "=", organisationId)
    .select("organisation_id")
    .forUpdate()
    .executeTakeFirst();
}

export async function eligibleCount(db: Executor, voteId: string) {
  const row = await db
    .selectFrom("vote_eligible")
    .where("vote_id", "=", voteId)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Whether the eligible organisation `e` (a `vote_eligible` row) has cast a ballot in its vote,
 * counted or superseded: one definition for the pending list, the turnout counts and the names.
 */
function hasBallot(eb: ExpressionBuilder<DB & { e: DB["vote_eligible"] }, "e">) {
  return eb.exists(
    eb
      .selectFrom("ballot as b")
      .whereRef("b.vote_id", "=", "e.vote_id")
      .whereRef("b.organisation_id", "=", "e.organisation_id")
      .select(sql.lit(1).as("one")),
  );
}

/** Eligible organisations that can still cast (active in the coalition) and have not cast any ballot. */
export function pendingOrganisations(db: Executor, voteId: string, coalitionId: string) {
  return (
    db
      .selectFrom("vote_eligible as e")
      // Only organisations that can still cast (an organisation suspended since the opening cannot).
      .innerJoin("coalition_member as cm", (join) =>
        join.onRef("cm.organisation_id", "=", "e.organisation_id").on("cm.coalition_id", "=", coalitionId),
      )
      .where("cm.status", "=", "active")
      .where("e.vote_id", "=", voteId)
      .where((eb) => eb.not(hasBallot(eb)))
      .select("e.organisation_id")
      .execute()
  );
}

/**
 * The eligible organisations, by name, each with whether it has voted (never how). Compiled once,
 * as are the other reads of a statement's page below.
 */
const eligibleOrganisationsQuery = prepared(["voteId"], (db, p) =>
  db
    .selectFrom("vote_eligible as e")
    .innerJoin("organisation as o", "o.id", "e.organisation_id")
    .where("e.vote_id", "=", p.voteId)
    .select((eb) => ["o.id", "o.name", "o.short_name", "o.second_name", "o.second_name_language", hasBallot(eb).as("has_voted")])
    .orderBy("o.name"),
);

export function eligibleOrganisations(db: Executor, voteId: string) {
  return eligibleOrganisationsQuery(db, { voteId });
}

/** How many organisations may vote, and how many of them have cast a ballot (counted or superseded). */
const turnoutQuery = prepared(["voteId"], (db, p) =>
  db
    .selectFrom("vote_eligible as e")
    .where("e.vote_id", "=", p.voteId)
    .select((eb) => [eb.fn.countAll<string>().as("eligible"), sql<string>`count(*) filter (where ${hasBallot(eb)})`.as("voted")]),
);

export async function turnout(db: Executor, voteId: string): Promise<{ eligible: number; voted: number }> {
  const [row] = await turnoutQuery(db, { voteId });
  return { eligible: Number(row?.eligible ?? 0), voted: Number(row?.voted ?? 0) };
}

/**
 * The viewer's organisations in the coalition (the caller's active and observer ones), by name, each
 * with whether it is in the vote's eligibility snapshot, the viewer's membership (representative or
 * not) and the organisation's standing in the coalition: what decides whether the viewer can cast for
 * it, or why it has no ballot in this vote. One query for all. Nothing about other organisations, nor
 * any ballot. The organisations are one uuid[] parameter (= any) rather than an `in` list, so the SQL
 * is one shape whatever their number.
 */
const myVoteOrganisationsQuery = prepared(["voteId", "coalitionId", "personId", "organisationIds"], (db, p) =>
  db
    .selectFrom("coalition_member as cm")
    .innerJoin("organisation as o", "o.id", "cm.organisation_id")
    .leftJoin("vote_eligible as e", (join) => join.onRef("e.organisation_id", "=", "cm.organisation_id").on("e.vote_id", "=", p.voteId))
    .leftJoin("membership as m", (join) => join.onRef("m.organisation_id", "=", "cm.organisation_id").on("m.person_id", "=", p.personId))
    .where("cm.coalition_id", "=", p.coalitionId)
    .where((eb) => eb("cm.organisation_id", "=", eb.fn.any(sql<string[]>`${p.organisationIds}::uuid[]`)))
    .select([
      "o.id",
      "o.name",
      "o.short_name",
      "o.second_name",
      "o.second_name_language",
      "m.representative",
      "cm.status",
      sql<boolean>`e.organisation_id IS NOT NULL`.as("eligible"),
    ]),
);

export async function myVoteOrganisations(
  db: Executor,
  voteId: string,
  coalitionId: string,
  personId: string,
  organisationIds: readonly string[],
) {
  if (organisationIds.length === 0) return [];
  return myVoteOrganisationsQuery(db, { voteId, coalitionId, personId, organisationIds: [...organisationIds] });
}

// ---- ballots ----

/**
 * A cast's turn, once the caller holds the organisation's eligibility lock, in one round trip: the
 * database clock (`app_now()`, the real time in production, which tests move; to the millisecond,
 * as a JS Date keeps it), the organisation's standing in the coalition, whether the person casting
 * is still one of its representatives, and the organisation's counted ballot, if any, superseded at
 * that time.
 *
 * All of them are read after the lock is held: a cast that waited for a sibling's reads the clock
 * when its own turn comes, so a ballot is never accepted after the close for having queued before
 * it (which a clock read in the locking statement would be: PostgreSQL computes its columns before
 * waiting for the row), nor from a representative removed, or an organisation suspended, while it
 * queued. The standing and the membership are read `FOR SHARE`: a suspension or a removal being
 * written is waited for and then read as it committed, and one that comes later waits for this
 * cast to commit, so every accepted ballot was cast while its caster was a representative of an
 * active organisation. A cast refused throws, and its transaction rolls the superseding back.
 */
export async function takeCastTurn(db: Executor, turn: { coalitionId: string; voteId: string; organisationId: string; personId: string }) {
  const result = await sql<{ at: Date; standing: string | null; representative: boolean | null; previous_id: string | null }>`
    WITH clock AS MATERIALIZED (SELECT date_trunc('milliseconds', app_now()) AS at),
    superseded AS (
      UPDATE ballot SET superseded_at = (SELECT at FROM clock)
      WHERE vote_id = ${turn.voteId} AND organisation_id = ${turn.organisationId} AND superseded_at IS NULL
      RETURNING id
    )
    SELECT clock.at,
      (SELECT status FROM coalition_member
        WHERE coalition_id = ${turn.coalitionId} AND organisation_id = ${turn.organisationId} FOR SHARE) AS standing,
      (SELECT representative FROM membership
        WHERE organisation_id = ${turn.organisationId} AND person_id = ${turn.personId} FOR SHARE) AS representative,
      (SELECT id FROM superseded) AS previous_id
    FROM clock`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error("takeCastTurn: no row");
  return { at: row.at, standing: row.standing, representative: row.representative === true, previousId: row.previous_id };
}

export function insertBallot(db: Executor, values: Insertable<BallotTable>) {
  return db.insertInto("ballot").values(values).returning(["id"]).executeTakeFirstOrThrow();
}

export function countedBallots(db: Executor, voteId: string) {
  return db
    .selectFrom("ballot")
    .where("vote_id", "=", voteId)
    .where("superseded_at", "is", null)
    .select(["organisation_id", "choice", "named", "receipt"])
    .execute();
}

/** The counted ballots with what their receipts are computed from. */
export function countedBallotsForReceipts(db: Executor, voteId: string) {
  return db
    .selectFrom("ballot")
    .where("vote_id", "=", voteId)
    .where("superseded_at", "is", null)
    .select(["organisation_id", "choice", "named", "cast_at", "nonce", "receipt"])
    .execute();
}

/** The counted ballots with their organisations' names, by name. Only for a closed vote or one with visible totals. */
const countedBallotsByOrganisationQuery = prepared(["voteId"], (db, p) =>
  db
    .selectFrom("ballot as b")
    .innerJoin("organisation as o", "o.id", "b.organisation_id")
    .where("b.vote_id", "=", p.voteId)
    .where("b.superseded_at", "is", null)
    .select(["b.organisation_id", "b.choice", "b.named", "b.receipt", "o.name", "o.short_name", "o.second_name", "o.second_name_language"])
    .orderBy("o.name"),
);

export function countedBallotsByOrganisation(db: Executor, voteId: string) {
  return countedBallotsByOrganisationQuery(db, { voteId });
}

/** Every ballot (counted and superseded) of a vote, oldest first, with who cast it. */
const ballotsWithCaster = (db: Executor) =>
  db
    .selectFrom("ballot as b")
    .leftJoin("person as p", "p.id", "b.cast_by")
    .select(["b.organisation_id", "b.choice", "b.named", "b.comment", "b.receipt", "b.cast_at", "b.superseded_at", "p.display_name"])
    .orderBy("b.cast_at");

const ballotHistoryOfOneQuery = prepared(["voteId", "organisationId"], (db, p) =>
  ballotsWithCaster(db).where("b.vote_id", "=", p.voteId).where("b.organisation_id", "=", p.organisationId),
);
const ballotHistoryOfSeveralQuery = prepared(["voteId", "organisationIds"], (db, p) =>
  ballotsWithCaster(db)
    .where("b.vote_id", "=", p.voteId)
    .where((eb) => eb("b.organisation_id", "=", eb.fn.any(sql<string[]>`${p.organisationIds}::uuid[]`))),
);

/**
 * Every ballot (counted and superseded) of the given organisations, oldest first, with who cast it.
 * One organisation (nearly every viewer) has its own query: PostgreSQL plans `= any($2)` for an array
 * of unknown length (it assumes ten), so the prepared statement of the array form never gets a cached
 * generic plan and is planned again on every call, where `= $2` is planned once per connection.
 */
export async function ballotHistory(db: Executor, voteId: string, organisationIds: string[]) {
  const [only] = organisationIds;
  if (only === undefined) return [];
  if (organisationIds.length === 1) return ballotHistoryOfOneQuery(db, { voteId, organisationId: only });
  return ballotHistoryOfSeveralQuery(db, { voteId, organisationIds });
}
