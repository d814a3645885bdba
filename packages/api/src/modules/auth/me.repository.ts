import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { VISIBLE_STATUSES } from "../access/access.repository.ts";

/** What `/api/me` tells the signed-in person about themself, in four queries sent at once. */
export async function meRows(db: Executor, personId: string) {
  const personQuery = db
    .selectFrom("person")
    .where("id", "=", personId)
    .select((eb) => [
      "id",
      "email",
      "display_name",
      "language",
      "email_verified_at",
      "notify_email",
      "totp_enabled_at",
      eb
        .exists(eb.selectFrom("instance_operator as io").whereRef("io.person_id", "=", "person.id").select(sql.lit(1).as("one")))
        .as("operator"),
    ])
    .executeTakeFirstOrThrow();
  const organisationsQuery = db
    .selectFrom("membership as m")
    .innerJoin("organisation as o", "o.id", "m.organisation_id")
    .where("m.person_id", "=", personId)
    .select(["o.id", "o.name", "o.short_name", "o.second_name", "o.second_name_language", "m.role", "m.representative"])
    .orderBy("o.name")
    .execute();
  const coalitionsQuery = db
    .selectFrom("coalition as c")
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("coordinator as co")
            .whereRef("co.coalition_id", "=", "c.id")
            .where("co.person_id", "=", personId)
            .select(sql.lit(1).as("one")),
        ),
        eb.exists(
          eb
            .selectFrom("coalition_member as cm")
            .innerJoin("membership as m", "m.organisation_id", "cm.organisation_id")
            .whereRef("cm.coalition_id", "=", "c.id")
            .where("m.person_id", "=", personId)
            .where("cm.status", "in", VISIBLE_STATUSES)
            .select(sql.lit(1).as("one")),
        ),
      ]),
    )
    .select((eb) => [
      "c.id",
      "c.slug",
      "c.name",
      "c.second_name",
      "c.second_name_language",
      "c.time_zone",
      eb
        .exists(
          eb
            .selectFrom("coordinator as co")
            .whereRef("co.coalition_id", "=", "c.id")
            .where("co.person_id", "=", personId)
            .select(sql.lit(1).as("one")),
        )
        .as("is_coordinator"),
      eb.selectFrom("coalition_deletion as cd").whereRef("cd.coalition_id", "=", "c.id").select("cd.due_at").as("deletion_due_at"),
    ])
    .orderBy("c.name")
    .execute();
  // Which of the person's organisations belong to which coalition: every such visible row's
  // coalition is one of `coalitions` (their second condition), so this needs neither list first.
  const memberRowsQuery = db
    .selectFrom("coalition_member as cm")
    .innerJoin("membership as m", "m.organisation_id", "cm.organisation_id")
    .where("m.person_id", "=", personId)
    .where("cm.status", "in", VISIBLE_STATUSES)
    .select(["cm.coalition_id", "cm.organisation_id"])
    .execute();
  // Four reads of the person alone, at once: one round trip of waiting.
  const [person, organisations, coalitions, memberRows] = await Promise.all([
    personQuery,
    organisationsQuery,
    coalitionsQuery,
    memberRowsQuery,
  ]);
  return { person, organisations, coalitions, memberRows };
}
