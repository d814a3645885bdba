import type { MemberStatus } from "@samakki/shared/coalitions";
import { prepared } from "../../db/prepared.ts";
import type { Executor } from "../../lib/transaction.ts";
import { VISIBLE_STATUSES } from "../access/access.repository.ts";

/** Every query of a coalition's settings, its member organisations and its coordinators. */

export function findCoalition(db: Executor, coalitionId: string) {
  return db.selectFrom("coalition").where("id", "=", coalitionId).selectAll().executeTakeFirstOrThrow();
}

export function updateCoalition(
  db: Executor,
  coalitionId: string,
  input: {
    name?: string | undefined;
    secondName?: { name: string; language: "en" | "km" } | null | undefined;
    description?: string | undefined;
    timeZone?: string | undefined;
    requireTwoFactor?: boolean | undefined;
  },
) {
  return db
    .updateTable("coalition")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.secondName !== undefined
        ? { second_name: input.secondName?.name ?? null, second_name_language: input.secondName?.language ?? null }
        : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
      ...(input.requireTwoFactor !== undefined ? { require_two_factor: input.requireTwoFactor } : {}),
    })
    .where("id", "=", coalitionId)
    .execute();
}

/** The coalition's member organisations, by name (compiled once: the members page reads it on every visit). */
const membersQuery = prepared(["coalitionId"], (db, p) =>
  db
    .selectFrom("coalition_member as cm")
    .innerJoin("organisation as o", "o.id", "cm.organisation_id")
    .where("cm.coalition_id", "=", p.coalitionId)
    .select(["o.id", "o.name", "o.short_name", "o.second_name", "o.second_name_language", "cm.status", "cm.updated_at"])
    .orderBy("o.name"),
);

export function listMembers(db: Executor, coalitionId: string) {
  return membersQuery(db, { coalitionId });
}

/** Lock the organisation's pending invitation to the coalition, if any. */
export function lockPendingInvitation(db: Executor, coalitionId: string, organisationId: string) {
  return db
    .selectFrom("invitation")
    .where("coalition_id", "=", coalitionId)
    .where("organisation_id", "=", organisationId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .select("id")
    .forUpdate()
    .execute();
}

/** The membership row, locked, with the organisation's name. */
export function lockMember(db: Executor, coalitionId: string, organisationId: string) {
  return db
    .selectFrom("coalition_member as cm")
    .innerJoin("organisation as o", "o.id", "cm.organisation_id")
    .where("cm.coalition_id", "=", coalitionId)
    .where("cm.organisation_id", "=", organisationId)
    .select(["cm.status", "o.name"])
    .forUpdate("cm")
    .executeTakeFirst();
}

export function setMemberStatus(db: Executor, coalitionId: string, organisationId: string, status: MemberStatus) {
  return db
    .updateTable("coalition_member")
    .set({ status, updated_at: new Date() })
    .where("coalition_id", "=", coalitionId)
    .where("organisation_id", "=", organisationId)
    .execute();
}

export function revokePendingInvitation(db: Executor, coalitionId: string, organisationId: string) {
  return db
    .updateTable("invitation")
    .set({ revoked_at: new Date() })
    .where("coalition_id", "=", coalitionId)
    .where("organisation_id", "=", organisationId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .execute();
}

export function organisationPeople(db: Executor, organisationId: string) {
  return db.selectFrom("membership").where("organisation_id", "=", organisationId).select(["person_id", "role"]).execute();
}

/** The coordinators, with whether each shares an organisation with the viewer (who may then see their email). */
export function listCoordinators(db: Executor, coalitionId: string, viewerId: string) {
  return db
    .selectFrom("coordinator as co")
    .innerJoin("person as p", "p.id", "co.person_id")
    .where("co.coalition_id", "=", coalitionId)
    .select((eb) => [
      "p.id",
      "p.display_name",
      "p.email",
      eb
        .exists(
          eb
            .selectFrom("membership as theirs")
            .innerJoin("membership as mine", "mine.organisation_id", "theirs.organisation_id")
            .whereRef("theirs.person_id", "=", "p.id")
            .where("mine.person_id", "=", viewerId)
            .select("theirs.person_id"),
        )
        .as("same_organisation"),
    ])
    .orderBy("p.display_name")
    .execute();
}

/** Enabled people of the coalition's active or observer organisations. */
export function listCoalitionPeople(db: Executor, coalitionId: string) {
  return db
    .selectFrom("membership as m")
    .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
    .innerJoin("person as p", "p.id", "m.person_id")
    .where("cm.coalition_id", "=", coalitionId)
    .where("cm.status", "in", VISIBLE_STATUSES)
    .where("p.disabled_at", "is", null)
    .select(["p.id", "p.display_name", "p.email"])
    .distinct()
    .orderBy("p.display_name")
    .execute();
}

/** True when the person was not a coordinator yet. */
export async function insertCoordinator(db: Executor, coalitionId: string, personId: string) {
  const inserted = await db
    .insertInto("coordinator")
    .values({ coalition_id: coalitionId, person_id: personId })
    .onConflict((oc) => oc.constraint("coordinator_pkey").doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The coordinators' rows, locked: two removals at once queue. */
export function lockCoordinators(db: Executor, coalitionId: string) {
  return db.selectFrom("coordinator").where("coalition_id", "=", coalitionId).select("person_id").forUpdate().execute();
}

export function deleteCoordinator(db: Executor, coalitionId: string, personId: string) {
  return db.deleteFrom("coordinator").where("coalition_id", "=", coalitionId).where("person_id", "=", personId).execute();
}

/** Enabled people of active and observer organisations and the coordinators, by name only. */
export function listDirectory(db: Executor, coalitionId: string) {
  return db
    .selectFrom("person as p")
    .where("p.disabled_at", "is", null)
    .where((eb) =>
      eb.or([
        eb(
          "p.id",
          "in",
          eb
            .selectFrom("membership as m")
            .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
            .where("cm.coalition_id", "=", coalitionId)
            .where("cm.status", "in", VISIBLE_STATUSES)
            .select("m.person_id"),
        ),
        eb("p.id", "in", eb.selectFrom("coordinator").where("coalition_id", "=", coalitionId).select("person_id")),
      ]),
    )
    .select(["p.id", "p.display_name"])
    .orderBy("p.display_name")
    .execute();
}
