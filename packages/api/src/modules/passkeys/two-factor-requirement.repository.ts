import { type ExpressionBuilder, sql } from "kysely";
import { prepared } from "../../db/prepared.ts";
import type { DB } from "../../db/schema.ts";
import type { Executor } from "../../lib/transaction.ts";

/** Organisation statuses whose representatives a coalition's 2FA requirement covers (as for visibility). */
const COVERED_STATUSES = ["active", "observer"] as const;

/**
 * Whether the person `p` must have two-factor authentication (they coordinate a coalition that
 * requires it, or represent an active or observer organisation of one) and whether they have it
 * (TOTP enabled or at least one passkey): two columns of any query over `person as p`. The session
 * lookup selects them, so the check on every signed-in request costs no query of its own.
 */
export function twoFactorColumns(eb: ExpressionBuilder<DB & { p: DB["person"] }, "p">) {
  return [
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
      .as("two_factor_required"),
    eb
      .or([
        eb("p.totp_enabled_at", "is not", null),
        eb.exists(eb.selectFrom("passkey as pk").whereRef("pk.person_id", "=", "p.id").select(sql.lit(1).as("one"))),
      ])
      .as("two_factor_satisfied"),
  ] as const;
}

/** The requirement on its own (account pages): one query, compiled once. */
const twoFactorRequirementQuery = prepared(["personId"], (db, params) =>
  db
    .selectFrom("person as p")
    .where("p.id", "=", params.personId)
    .select((eb) => twoFactorColumns(eb)),
);

export async function findTwoFactorRequirement(db: Executor, personId: string): Promise<{ required: boolean; satisfied: boolean }> {
  const [row] = await twoFactorRequirementQuery(db, { personId });
  return { required: Boolean(row?.two_factor_required), satisfied: Boolean(row?.two_factor_satisfied) };
}
