import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { DB } from "../../db/schema.ts";
import { type Executor, withTransaction } from "../../lib/transaction.ts";

interface DeletedCoalitionCounts {
  /** Rows deleted per table, as counted by each statement (rows below them go by ON DELETE CASCADE and are not counted). */
  tables: Record<string, number>;
  organisations: number;
  people: number;
}

/**
 * Delete everything of a coalition, inside the caller's transaction. The tables are listed
 * children first (FK-safe order), each by its own coalition_id; rows below them (ballots,
 * versions, comments, stages, signatures…) go with their parents by ON DELETE CASCADE, which the
 * deletion test checks by walking every foreign key. To add a table with a coalition_id, add a
 * line to COALITION_TABLES before the table it refers to.
 *
 * Then what belonged to the coalition alone: its organisations that are members of no other
 * coalition (with their memberships and invitations), and the accounts of people who belong to
 * no other coalition (neither coordinator of one nor in an organisation that is a member of one)
 * and are not instance operators — privacy: an account that only existed for this coalition
 * goes with it.
 *
 * Audit events and ballots are append-only (triggers); the erasure is the one exception, allowed by
 * the transaction-local setting `samakki.erasure`.
 *
 * Audit events of the coalition go too (its audit chain goes with it), and the organisation-level
 * events of the organisations deleted and the account events of the people deleted.
 */
export async function deleteCoalitionData(executor: Executor, coalitionId: string): Promise<DeletedCoalitionCounts> {
  return withTransaction(executor, async (db) => {
    // The append-only guards of audit_event and ballot allow deletes in this transaction only (migration 20261202T100000Z).
    await sql`SELECT set_config('samakki.erasure', ${coalitionId}, true)`.execute(db);
    const tables: Record<string, number> = {};
    const count = (table: string, n: bigint | number | undefined) => {
      tables[table] = (tables[table] ?? 0) + Number(n ?? 0);
    };

    // Decided before anything is deleted: organisations in no other coalition, and the people to look at.
    const organisations = (
      await db
        .selectFrom("coalition_member as cm")
        .where("cm.coalition_id", "=", coalitionId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("coalition_member as other")
                .whereRef("other.organisation_id", "=", "cm.organisation_id")
                .where("other.coalition_id", "<>", coalitionId)
                .select("other.organisation_id"),
            ),
          ),
        )
        .select("cm.organisation_id")
        .execute()
    ).map((r) => r.organisation_id);
    const candidates = (
      await db
        .selectFrom("coordinator")
        .where("coalition_id", "=", coalitionId)
        .select("person_id")
        .union(
          db
            .selectFrom("membership as m")
            .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
            .where("cm.coalition_id", "=", coalitionId)
            .select("m.person_id"),
        )
        .execute()
    ).map((r) => r.person_id);

    // Emails of the coalition, and their copies in the dev mailbox.
    const outbox = db.selectFrom("outbox_email").where("coalition_id", "=", coalitionId).select("id");
    count("dev_mailbox", (await db.deleteFrom("dev_mailbox").where("outbox_id", "in", outbox).executeTakeFirst()).numDeletedRows);

    /** Children first: a table comes before every table it refers to. */
    const COALITION_TABLES = [
      "idempotent_request",
      "outbox_email",
      "notification",
      "audit_event",
      "invitation",
      "coordinator",
      "letter",
      "letter_action",
      "letter_target",
      "vote",
      "task",
      "statement",
      "campaign",
      "coalition_member",
      "coalition_deletion",
    ] as const;
    // The coalition's own chain goes whole (its head too); its events still in the legacy global
    // chain (written before per-coalition chains) leave stubs so that chain still verifies.
    await stubErasedEvents(db, coalitionId, (eb) => eb("coalition_id", "=", coalitionId));
    count(
      "audit_chain_head",
      (await db.deleteFrom("audit_chain_head").where("chain_key", "=", coalitionId).executeTakeFirst()).numDeletedRows,
    );
    for (const table of COALITION_TABLES)
      count(table, (await db.deleteFrom(table).where("coalition_id", "=", coalitionId).executeTakeFirst()).numDeletedRows);
    count("coalition", (await db.deleteFrom("coalition").where("id", "=", coalitionId).executeTakeFirst()).numDeletedRows);

    if (organisations.length > 0) {
      const ofOrganisations = (eb: ExpressionBuilder<DB, "audit_event">) =>
        eb.and([eb("coalition_id", "is", null), eb("target_type", "=", "organisation"), eb("target_id", "in", organisations)]);
      await stubErasedEvents(db, coalitionId, ofOrganisations);
      count("audit_event", (await db.deleteFrom("audit_event").where(ofOrganisations).executeTakeFirst()).numDeletedRows);
      count("organisation", (await db.deleteFrom("organisation").where("id", "in", organisations).executeTakeFirst()).numDeletedRows);
    }

    // People left in no coalition (their memberships of deleted organisations are gone by now).
    const people =
      candidates.length === 0
        ? []
        : await db
            .selectFrom("person as p")
            .where("p.id", "in", candidates)
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom("coordinator as co")
                    .whereRef("co.person_id", "=", "p.id")
                    .select("co.person_id")
                    .union(
                      selectFrom("membership as m")
                        .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
                        .whereRef("m.person_id", "=", "p.id")
                        .select("m.person_id"),
                    )
                    .union(selectFrom("instance_operator as io").whereRef("io.person_id", "=", "p.id").select("io.person_id")),
                ),
              ),
            )
            .select(["p.id", "p.email"])
            .execute();
    if (people.length > 0) {
      const ids = people.map((p) => p.id);
      const emails = people.map((p) => p.email);
      count("dev_mailbox", (await db.deleteFrom("dev_mailbox").where("to_address", "in", emails).executeTakeFirst()).numDeletedRows);
      count("outbox_email", (await db.deleteFrom("outbox_email").where("to_address", "in", emails).executeTakeFirst()).numDeletedRows);
      const ofPeople = (eb: ExpressionBuilder<DB, "audit_event">) =>
        eb.and([
          eb("coalition_id", "is", null),
          eb.or([eb("actor_id", "in", ids), eb.and([eb("target_type", "=", "person"), eb("target_id", "in", ids)])]),
        ]);
      await stubErasedEvents(db, coalitionId, ofPeople);
      count("audit_event", (await db.deleteFrom("audit_event").where(ofPeople).executeTakeFirst()).numDeletedRows);
      count("person", (await db.deleteFrom("person").where("id", "in", ids).executeTakeFirst()).numDeletedRows);
    }
    await sql`SELECT set_config('samakki.erasure', '', true)`.execute(db);
    return { tables, organisations: organisations.length, people: people.length };
  });
}

/**
 * Before audit events are erased: each one that belongs to a chain that stays (the instance
 * chain, the legacy global chain; not the deleted coalition's own, which goes whole) leaves its
 * id and hashes in audit_erasure, so audit:verify still links the events around it. Its content,
 * who and what, is gone with it.
 */
async function stubErasedEvents(
  db: Executor,
  coalitionId: string,
  which: (eb: ExpressionBuilder<DB, "audit_event">) => Expression<SqlBool>,
): Promise<void> {
  await db
    .insertInto("audit_erasure")
    .columns(["event_id", "chain_key", "prev_hash", "hash"])
    .expression(
      db
        .selectFrom("audit_event")
        .where(which)
        .where((eb) => eb.or([eb("chain_key", "is", null), eb("chain_key", "!=", coalitionId)]))
        .select(["id", "chain_key", "prev_hash", "hash"]),
    )
    .execute();
}
