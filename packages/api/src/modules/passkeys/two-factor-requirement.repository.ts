import { sql } from "kysely";
import { prepared } from "../../db/prepared.ts";
import type { Executor } from "../../lib/transaction.ts";

/** Organisation statuses whose representatives a coalition's 2FA requirement covers (as for visibility). */
const COVERED_STATUSES = ["active", "observer"] as const;

/**
 * Whether the person must have two-factor authentication (they coordinate a coalition that requires
 * it, or represent an active or observer organisation of one) and whether they have it (TOTP
 * enabled or at least one passkey). One query, compiled once: it runs on every signed-in request
 * that is not account or 2FA setup.
 */
const twoFactorRequirementQuery = prepared(["personId"], (db, params) =>
  db
    .selectFrom("person as p")
    .where("p.id", "=", params.personId)
    .select((eb) => [
      eb
        .or([
          eb.exists(
            eb
              .selectFrom("coordinator as co")
              .innerJoin("coalition as c", "c.id", "co.coalition_id")
              .whereRef("co.person_id", "=", "p.id")
              .where("c.require_two_factor", "=", true)
              .select(sql.lit(1).as("one")),
          ),
          eb.exists(
            eb
              .selectFrom("membership as m")
              .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
              .innerJoin("coalition as c", "c.id", "cm.coalition_id")
              .whereRef("m.person_id", "=", "p.id")
              .where("m.representative", "=", true)
              .where("cm.status", "in", COVERED_STATUSES)
              .where("c.require_two_factor", "=", true)
              .select(sql.lit(1).as("one")),
          ),
        ])
        .as("required"),
      eb
        .or([
          eb("p.totp_enabled_at", "is not", null),
          eb.exists(eb.selectFrom("passkey as pk").whereRef("pk.person_id", "=", "p.id").select(sql.lit(1).as("one"))),
        ])
        .as("satisfied"),
    ]),
);

export async function findTwoFactorRequirement(db: Executor, personId: string): Promise<{ required: boolean; satisfied: boolean }> {
  const [row] = await twoFactorRequirementQuery(db, { personId });
  return { required: Boolean(row?.required), satisfied: Boolean(row?.satisfied) };
}
