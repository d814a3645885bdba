import type { Executor } from "../../lib/transaction.ts";

/** Every coalition the organisation belongs to, whatever its standing there. */
export async function coalitionsOf(db: Executor, organisationId: string): Promise<string[]> {
  const rows = await db.selectFrom("coalition_member").where("organisation_id", "=", organisationId).select("coalition_id").execute();
  return rows.map((r) => r.coalition_id);
}

/**
 * Lock the coalition rows (in id order, so two transactions never wait on each other in a
 * cycle). FOR NO KEY UPDATE: it serialises the name checks of one coalition without blocking the
 * inserts that merely reference the coalition (their foreign-key checks take KEY SHARE).
 */
export async function lockCoalitions(db: Executor, coalitionIds: string[]): Promise<void> {
  if (coalitionIds.length === 0) return;
  await db.selectFrom("coalition").where("id", "in", coalitionIds).orderBy("id").select("id").forNoKeyUpdate().execute();
}

/** Names and short names of the other organisations of these coalitions (any standing: invited, left and suspended ones keep their name). */
export function otherMemberNames(db: Executor, coalitionIds: string[], exceptOrganisationId: string | null) {
  let q = db
    .selectFrom("coalition_member as cm")
    .innerJoin("organisation as o", "o.id", "cm.organisation_id")
    .where("cm.coalition_id", "in", coalitionIds)
    .select(["o.id", "o.name", "o.short_name"])
    .distinct();
  if (exceptOrganisationId) q = q.where("o.id", "!=", exceptOrganisationId);
  return q.execute();
}
