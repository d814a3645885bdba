import { notFound } from "../../lib/errors.ts";
import type { Executor } from "../../lib/transaction.ts";

/*
 * The lookups both statements and votes need, in one home below both: statements (and its routes)
 * use votes, votes use these, and neither of these imports either module, so the dependencies
 * point one way (statements -> votes -> statement-lookups).
 */

/** 404 unless the statement exists in this coalition (another coalition's is as missing as a missing one). */
export async function assertStatementExists(db: Executor, coalitionId: string, statementId: string): Promise<void> {
  const row = await db
    .selectFrom("statement")
    .where("id", "=", statementId)
    .where("coalition_id", "=", coalitionId)
    .select("id")
    .executeTakeFirst();
  if (!row) throw notFound("statement");
}

export function lockStatement(db: Executor, coalitionId: string, statementId: string) {
  return db
    .selectFrom("statement")
    .where("coalition_id", "=", coalitionId)
    .where("id", "=", statementId)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

/** Everyone who can see the coalition: people of active/observer organisations and coordinators. */
export async function coalitionPeople(db: Executor, coalitionId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("membership as m")
    .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
    .where("cm.coalition_id", "=", coalitionId)
    .where("cm.status", "in", ["active", "observer"])
    .select("m.person_id as id")
    .union(db.selectFrom("coordinator").where("coalition_id", "=", coalitionId).select("person_id as id"))
    .execute();
  return [...new Set(rows.map((r) => r.id))];
}
