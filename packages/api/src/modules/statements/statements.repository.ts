import type { Executor } from "../../lib/transaction.ts";

export function findStatement(db: Executor, coalitionId: string, statementId: string) {
  return db.selectFrom("statement").where("coalition_id", "=", coalitionId).where("id", "=", statementId).selectAll().executeTakeFirst();
}

export function versionsOf(db: Executor, statementId: string) {
  return db
    .selectFrom("statement_version as v")
    .leftJoin("person as p", "p.id", "v.author_id")
    .where("v.statement_id", "=", statementId)
    .select(["v.id", "v.number", "v.title", "v.body_en", "v.body_km", "v.sha256", "v.created_at", "v.author_id", "p.display_name"])
    .orderBy("v.number")
    .execute();
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

/** The named signatories of an adopted vote as they were at its close (the `vote_signatory` snapshot), never the live names. */
export function signatoriesOf(db: Executor, voteId: string) {
  return db.selectFrom("vote_signatory").where("vote_id", "=", voteId).select(["organisation_id", "name", "short_name"]).execute();
}

/** How many organisations endorsed without being named (counted ballots only; ballots are append-only). */
export async function anonymousEndorsements(db: Executor, voteId: string): Promise<number> {
  const row = await db
    .selectFrom("ballot")
    .where("vote_id", "=", voteId)
    .where("superseded_at", "is", null)
    .where("choice", "=", "endorse")
    .where("named", "=", false)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
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
