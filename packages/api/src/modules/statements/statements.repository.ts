import type { StatementStatus } from "@samakki/shared/statements";
import { type Insertable, sql } from "kysely";
import { prepared } from "../../db/prepared.ts";
import type { StatementTable, StatementVersionTable } from "../../db/tables/statement.ts";
import type { Executor } from "../../lib/transaction.ts";

/** The coalition's statement (compiled once: every statement route reads it first). */
const statementQuery = prepared(["coalitionId", "statementId"], (db, p) =>
  db.selectFrom("statement").where("coalition_id", "=", p.coalitionId).where("id", "=", p.statementId).selectAll(),
);

export async function findStatement(db: Executor, coalitionId: string, statementId: string) {
  const [row] = await statementQuery(db, { coalitionId, statementId });
  return row;
}

/** Every version of the statement with its full text, in order (a version's page and the diff). */
export function versionsOf(db: Executor, statementId: string) {
  return db
    .selectFrom("statement_version as v")
    .leftJoin("person as p", "p.id", "v.author_id")
    .where("v.statement_id", "=", statementId)
    .select(["v.id", "v.number", "v.title", "v.body_en", "v.body_km", "v.sha256", "v.created_at", "v.author_id", "p.display_name"])
    .orderBy("v.number")
    .execute();
}

/**
 * Every version of the statement in order, with the text of the last one only (the statement's
 * page shows the current text and lists the others): the earlier versions' bodies, each up to the
 * whole text, are neither sent by the server nor parsed here. Compiled once: a hot read.
 */
const versionListQuery = prepared(["statementId"], (db, p) =>
  db
    .selectFrom("statement_version as v")
    .leftJoin("person as p", "p.id", "v.author_id")
    .where("v.statement_id", "=", p.statementId)
    .select(["v.id", "v.number", "v.title", "v.sha256", "v.created_at", "v.author_id", "p.display_name"])
    .select(sql<string | null>`case when v.number = max(v.number) over () then v.body_en end`.as("body_en"))
    .select(sql<string | null>`case when v.number = max(v.number) over () then v.body_km end`.as("body_km"))
    .orderBy("v.number"),
);

export function versionsWithCurrentText(db: Executor, statementId: string) {
  return versionListQuery(db, { statementId });
}

export function latestVersion(db: Executor, statementId: string) {
  return db
    .selectFrom("statement_version")
    .where("statement_id", "=", statementId)
    .selectAll()
    .orderBy("number", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * The named signatories of an adopted vote as they were at its close (the `vote_signatory` snapshot),
 * never the live names. Compiled once, as is the count below: a published statement's page reads both.
 */
const signatoriesQuery = prepared(["voteId"], (db, p) =>
  db
    .selectFrom("vote_signatory")
    .where("vote_id", "=", p.voteId)
    .select(["organisation_id", "name", "short_name", "second_name", "second_name_language"]),
);

export function signatoriesOf(db: Executor, voteId: string) {
  return signatoriesQuery(db, { voteId });
}

/** How many organisations endorsed without being named (counted ballots only; ballots are append-only). */
const anonymousEndorsementsQuery = prepared(["voteId"], (db, p) =>
  db
    .selectFrom("ballot")
    .where("vote_id", "=", p.voteId)
    .where("superseded_at", "is", null)
    .where("choice", "=", "endorse")
    .where("named", "=", false)
    .select((eb) => eb.fn.countAll<string>().as("n")),
);

export async function anonymousEndorsements(db: Executor, voteId: string): Promise<number> {
  const [row] = await anonymousEndorsementsQuery(db, { voteId });
  // count(*) without a group by always answers one row; a missing one must not become a published 0.
  if (!row) throw new Error("the count of anonymous endorsements answered no row");
  return Number(row.n);
}

export async function countedReceipts(db: Executor, voteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("ballot")
    .where("vote_id", "=", voteId)
    .where("superseded_at", "is", null)
    .select("receipt")
    .orderBy("receipt")
    .execute();
  return rows.map((r) => r.receipt);
}

/** One page of the coalition's statements, most recently changed first (keyset on updated_at, id); one row more than `limit` tells there is a next page. */
export function listStatements(
  db: Executor,
  coalitionId: string,
  query: { status?: StatementStatus | undefined; cursor: { at: Date; id: string } | null | undefined; limit: number },
) {
  let q = db
    .selectFrom("statement as s")
    .where("s.coalition_id", "=", coalitionId)
    .select((eb) => [
      "s.id",
      "s.title",
      "s.status",
      "s.campaign_id",
      "s.updated_at",
      "s.published_at",
      eb
        .selectFrom("statement_version as v")
        .whereRef("v.statement_id", "=", "s.id")
        .select(eb.fn.countAll<string>().as("n"))
        .as("version_count"),
    ])
    .orderBy("s.updated_at", "desc")
    .orderBy("s.id", "desc")
    .limit(query.limit + 1);
  if (query.status) q = q.where("s.status", "=", query.status);
  const { cursor } = query;
  if (cursor)
    // A row comparison: an index condition, so a deep page costs what the first does.
    q = q.where((eb) => eb(eb.refTuple("s.updated_at", "s.id"), "<", eb.tuple(cursor.at, cursor.id)));
  return q.execute();
}

export function insertStatement(db: Executor, values: Insertable<StatementTable>) {
  return db.insertInto("statement").values(values).returning("id").executeTakeFirstOrThrow();
}

/** A new immutable version of the text. */
export function insertVersion(db: Executor, values: Insertable<StatementVersionTable>) {
  return db.insertInto("statement_version").values(values).returning("id").executeTakeFirstOrThrow();
}

/** Saving a version: the statement takes its title and is a draft (again). */
export async function setDraftTitle(db: Executor, statementId: string, title: string) {
  await db.updateTable("statement").set({ title, status: "draft", updated_at: new Date() }).where("id", "=", statementId).execute();
}

export async function setStatus(db: Executor, statementId: string, status: "withdrawn") {
  await db.updateTable("statement").set({ status, updated_at: new Date() }).where("id", "=", statementId).execute();
}

export async function markPublished(db: Executor, statementId: string, by: string, at: Date, fingerprint: string) {
  await db
    .updateTable("statement")
    .set({
      status: "published",
      published_at: at,
      published_by: by,
      updated_at: at,
      publication_sha256: fingerprint,
    })
    .where("id", "=", statementId)
    .execute();
}

/** The version an adopted vote was on (its frozen text). */
export function votedVersion(db: Executor, voteId: string) {
  return db
    .selectFrom("vote as v")
    .innerJoin("statement_version as sv", "sv.id", "v.version_id")
    .where("v.id", "=", voteId)
    .select(["sv.sha256", "sv.number", "sv.title", "sv.body_en", "sv.body_km"])
    .executeTakeFirstOrThrow();
}

export function findVersionOfStatement(db: Executor, statementId: string, versionId: string) {
  return db
    .selectFrom("statement_version")
    .where("id", "=", versionId)
    .where("statement_id", "=", statementId)
    .select(["id", "number"])
    .executeTakeFirst();
}

/** The comments on version `number` of the statement, oldest first. */
export function commentsOf(db: Executor, statementId: string, number: number) {
  return db
    .selectFrom("statement_comment as c")
    .innerJoin("statement_version as v", "v.id", "c.version_id")
    .innerJoin("person as p", "p.id", "c.author_id")
    .where("v.statement_id", "=", statementId)
    .where("v.number", "=", number)
    .select(["c.id", "c.version_id", "c.body", "c.created_at", "p.id as author_id", "p.display_name"])
    .orderBy("c.created_at")
    .execute();
}

/** Everyone but `personId` who commented on the version (they are notified of a new comment). */
export function earlierCommenters(db: Executor, versionId: string, personId: string) {
  return db
    .selectFrom("statement_comment")
    .where("version_id", "=", versionId)
    .where("author_id", "!=", personId)
    .select("author_id")
    .distinct()
    .execute();
}

export function insertComment(db: Executor, versionId: string, authorId: string, body: string) {
  return db
    .insertInto("statement_comment")
    .values({ version_id: versionId, author_id: authorId, body })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** A published statement with its adopted, closed vote and the voted version; nothing for anything else. */
export function findPublished(db: Executor, statementId: string) {
  return db
    .selectFrom("statement as s")
    .innerJoin("coalition as c", "c.id", "s.coalition_id")
    .innerJoin("vote as v", "v.id", "s.adopted_vote_id")
    .innerJoin("statement_version as sv", "sv.id", "v.version_id")
    .where("s.id", "=", statementId)
    .where("s.status", "=", "published")
    .where("v.status", "=", "closed")
    .where("v.outcome", "=", "adopted")
    .select([
      "s.id",
      "s.published_at",
      "s.publication_sha256",
      "c.name as coalition_name",
      "c.second_name as coalition_second_name",
      "c.second_name_language as coalition_second_name_language",
      "c.slug as coalition_slug",
      "c.time_zone",
      "v.id as vote_id",
      "v.closed_at",
      "sv.title",
      "sv.body_en",
      "sv.body_km",
      "sv.sha256",
      "sv.number",
    ])
    .executeTakeFirst();
}

/**
 * A coalition's published statements, newest first, by the coalition's slug. One query for a
 * coalition without publications and for an unknown slug alike, so the feed cannot tell them apart.
 */
export function publishedOf(db: Executor, coalitionSlug: string, limit: number) {
  return db
    .selectFrom("statement as s")
    .innerJoin("coalition as c", "c.id", "s.coalition_id")
    .innerJoin("vote as v", "v.id", "s.adopted_vote_id")
    .innerJoin("statement_version as sv", "sv.id", "v.version_id")
    .where("c.slug", "=", coalitionSlug)
    .where("s.status", "=", "published")
    .select([
      "s.id",
      "s.published_at",
      "sv.title",
      "sv.body_en",
      "sv.body_km",
      "v.id as vote_id",
      "c.name as coalition_name",
      "c.second_name as coalition_second_name",
      "c.second_name_language as coalition_second_name_language",
      "c.slug as coalition_slug",
    ])
    .orderBy("s.published_at", "desc")
    .orderBy("s.id", "desc")
    .limit(limit)
    .execute();
}

/** The snapshot signatories of several votes at once (for the feed). */
export function signatoriesOfVotes(db: Executor, voteIds: string[]) {
  return db
    .selectFrom("vote_signatory")
    .where("vote_id", "in", voteIds)
    .select(["vote_id", "name", "short_name", "second_name", "second_name_language"])
    .execute();
}
