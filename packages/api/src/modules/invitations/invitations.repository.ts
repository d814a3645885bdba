import type { Executor } from "../../lib/transaction.ts";

/** Make the person a coordinator of the coalition (once: a second grant changes nothing). */
export async function grantCoordinator(db: Executor, coalitionId: string, personId: string): Promise<void> {
  await db
    .insertInto("coordinator")
    .values({ coalition_id: coalitionId, person_id: personId })
    .onConflict((oc) => oc.constraint("coordinator_pkey").doNothing())
    .execute();
}
