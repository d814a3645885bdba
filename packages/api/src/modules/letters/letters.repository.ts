import type { LetterChannel, Stance } from "@samakki/shared/letters";
import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";
import { TARGET_COLUMNS } from "./targets.repository.ts";

/**
 * The queries of letters and replies, the campaign and membership lookups of the letters policy, the
 * follow-up job and the delivered-letters metric; the db handle (or transaction) first. Targets,
 * actions and the public page have their own (targets / actions / public .repository.ts).
 */

// --- campaigns and organisations -----------------------------------------------------------------

export async function findCampaign(db: Executor, coalitionId: string, campaignId: string) {
  return db
    .selectFrom("campaign")
    .where("coalition_id", "=", coalitionId)
    .where("id", "=", campaignId)
    .select(["id", "title", "slug", "visibility"])
    .executeTakeFirst();
}

/** Whether the person is an admin of one of the campaign's co-owner organisations, active in the coalition. */
export async function isOwnerAdmin(db: Executor, coalitionId: string, campaignId: string, personId: string) {
  const row = await db
    .selectFrom("campaign_organisation as co")
    .innerJoin("membership as m", "m.organisation_id", "co.organisation_id")
    .innerJoin("coalition_member as cm", (j) =>
      j.onRef("cm.organisation_id", "=", "co.organisation_id").on("cm.coalition_id", "=", coalitionId),
    )
    .where("co.campaign_id", "=", campaignId)
    .where("co.role", "=", "owner")
    .where("m.person_id", "=", personId)
    .where("m.role", "=", "admin")
    .where("cm.status", "=", "active")
    .select("co.organisation_id")
    .executeTakeFirst();
  return Boolean(row);
}

/** The person's role in the organisation, if it is an active member of the coalition. */
export async function activeMembership(db: Executor, coalitionId: string, organisationId: string, personId: string) {
  return db
    .selectFrom("membership as m")
    .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
    .where("cm.coalition_id", "=", coalitionId)
    .where("cm.status", "=", "active")
    .where("m.organisation_id", "=", organisationId)
    .where("m.person_id", "=", personId)
    .select("m.role")
    .executeTakeFirst();
}

/** Organisations of the coalition in any status (to tell "not a member" from "not yours"). */
export async function coalitionOrganisation(db: Executor, coalitionId: string, organisationId: string) {
  return db
    .selectFrom("coalition_member")
    .where("coalition_id", "=", coalitionId)
    .where("organisation_id", "=", organisationId)
    .select("status")
    .executeTakeFirst();
}

// --- letters and replies -------------------------------------------------------------------------

export async function insertLetter(
  db: Executor,
  values: {
    coalition_id: string;
    action_id: string;
    target_id: string;
    organisation_id: string;
    sent_on: string;
    channel: LetterChannel;
    delivery_confirmed: boolean;
    recorded_by: string;
  },
) {
  return db.insertInto("letter").values(values).returning("id").executeTakeFirstOrThrow();
}

export async function isActionTarget(db: Executor, actionId: string, targetId: string) {
  const row = await db
    .selectFrom("letter_action_target")
    .where("action_id", "=", actionId)
    .where("target_id", "=", targetId)
    .select("target_id")
    .executeTakeFirst();
  return Boolean(row);
}

export async function lockLetter(db: Executor, coalitionId: string, actionId: string, letterId: string) {
  return db
    .selectFrom("letter")
    .where("coalition_id", "=", coalitionId)
    .where("action_id", "=", actionId)
    .where("id", "=", letterId)
    .select(["id", "organisation_id", "target_id", "sent_on", "channel", "delivery_confirmed"])
    .forUpdate()
    .executeTakeFirst();
}

export async function updateLetter(
  db: Executor,
  letterId: string,
  values: Partial<{ delivery_confirmed: boolean; sent_on: string; channel: LetterChannel }>,
) {
  await db.updateTable("letter").set(values).where("id", "=", letterId).execute();
}

export async function findReply(db: Executor, letterId: string) {
  return db.selectFrom("letter_reply").where("letter_id", "=", letterId).selectAll().executeTakeFirst();
}

export async function upsertReply(
  db: Executor,
  values: { letter_id: string; received_on: string; summary: string; stance: Stance; scan_reference: string; recorded_by: string },
) {
  await db
    .insertInto("letter_reply")
    .values(values)
    .onConflict((oc) =>
      oc.column("letter_id").doUpdateSet({
        received_on: values.received_on,
        summary: values.summary,
        stance: values.stance,
        scan_reference: values.scan_reference,
        recorded_by: values.recorded_by,
      }),
    )
    .execute();
}

/** Letters of the coalition with their target, organisation and reply; filtered by action(s), awaiting a reply. */
export async function listLetters(
  db: Executor,
  coalitionId: string,
  filter: { actionIds: string[]; awaitingReply?: boolean | undefined; organisationId?: string | undefined; letterId?: string | undefined },
) {
  if (filter.actionIds.length === 0) return [];
  let query = db
    .selectFrom("letter as l")
    .innerJoin("letter_target as t", "t.id", "l.target_id")
    .innerJoin("organisation as o", "o.id", "l.organisation_id")
    .leftJoin("letter_reply as r", "r.letter_id", "l.id")
    .where("l.coalition_id", "=", coalitionId)
    .where("l.action_id", "in", filter.actionIds)
    .select([
      "l.id",
      "l.action_id",
      "l.sent_on",
      "l.channel",
      "l.delivery_confirmed",
      "l.created_at",
      "t.id as target_id",
      "t.name_km",
      "t.name_en",
      "t.party",
      "t.province",
      "t.archived_at",
      "o.id as organisation_id",
      "o.name as organisation_name",
      "o.short_name as organisation_short_name",
      "o.second_name as organisation_second_name",
      "o.second_name_language as organisation_second_name_language",
      "r.received_on",
      "r.summary",
      "r.stance",
      "r.scan_reference",
      "r.created_at as reply_created_at",
    ]);
  if (filter.awaitingReply === true) query = query.where("r.letter_id", "is", null);
  if (filter.awaitingReply === false) query = query.where("r.letter_id", "is not", null);
  if (filter.organisationId) query = query.where("l.organisation_id", "=", filter.organisationId);
  if (filter.letterId) query = query.where("l.id", "=", filter.letterId);
  return query.orderBy("l.sent_on", "desc").orderBy("l.created_at", "desc").orderBy("l.id").limit(2000).execute();
}
export type LetterRow = Awaited<ReturnType<typeof listLetters>>[number];

/** Active targets of the actions that no letter of these actions went to yet. */
export async function targetsNotContacted(db: Executor, actionIds: string[]) {
  if (actionIds.length === 0) return [];
  return db
    .selectFrom("letter_action_target as at")
    .innerJoin("letter_target as t", "t.id", "at.target_id")
    .where("at.action_id", "in", actionIds)
    .where("t.archived_at", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("letter as l").whereRef("l.target_id", "=", "t.id").where("l.action_id", "in", actionIds).select(sql.lit(1).as("one")),
        ),
      ),
    )
    .select(TARGET_COLUMNS)
    .distinct()
    .orderBy("t.province")
    .orderBy("t.name_en")
    .orderBy("t.id")
    .execute();
}

/** Letters, replies and stances grouped by the target's party or province. */
export async function responseRates(db: Executor, actionIds: string[], by: "party" | "province") {
  if (actionIds.length === 0) return [];
  const key = by === "party" ? sql<string>`t.party` : sql<string>`coalesce(t.province, '')`;
  return db
    .selectFrom("letter as l")
    .innerJoin("letter_target as t", "t.id", "l.target_id")
    .leftJoin("letter_reply as r", "r.letter_id", "l.id")
    .where("l.action_id", "in", actionIds)
    .groupBy(key)
    .select([
      key.as("key"),
      sql<string>`count(*)`.as("letters"),
      sql<string>`count(r.letter_id)`.as("replied"),
      sql<string>`count(*) FILTER (WHERE r.stance = 'supportive')`.as("supportive"),
      sql<string>`count(*) FILTER (WHERE r.stance = 'undecided')`.as("undecided"),
      sql<string>`count(*) FILTER (WHERE r.stance = 'opposed')`.as("opposed"),
    ])
    .orderBy(key)
    .execute();
}

// --- follow-up job -------------------------------------------------------------------------------

export interface ClaimedLetter {
  id: string;
  coalition_id: string;
  organisation_id: string;
  action_id: string;
  campaign_id: string;
  target_name: string;
  action_title: string;
}

/**
 * Claim letters whose 14 days have passed (end of the sent date + 14 in the coalition's time zone)
 * without a reply and without a follow-up, and mark them in the same statement.
 */
export async function claimDueFollowUps(db: Executor, batch: number): Promise<ClaimedLetter[]> {
  const result = await sql<ClaimedLetter>`
    WITH due AS MATERIALIZED (
      SELECT l.id FROM letter l JOIN coalition c ON c.id = l.coalition_id
      WHERE l.follow_up_sent_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM letter_reply r WHERE r.letter_id = l.id)
        AND ((l.sent_on + 14)::timestamp AT TIME ZONE c.time_zone) <= now()
      ORDER BY l.sent_on LIMIT ${batch}
      FOR UPDATE OF l SKIP LOCKED)
    UPDATE letter SET follow_up_sent_at = now()
    FROM due, letter_action a, letter_target t
    WHERE letter.id = due.id AND a.id = letter.action_id AND t.id = letter.target_id
    RETURNING letter.id, letter.coalition_id, letter.organisation_id, letter.action_id, a.campaign_id,
      CASE WHEN t.name_en <> '' THEN t.name_en ELSE t.name_km END AS target_name, a.title AS action_title`.execute(db);
  return result.rows;
}

export async function organisationAdmins(db: Executor, organisationId: string) {
  const rows = await db
    .selectFrom("membership")
    .where("organisation_id", "=", organisationId)
    .where("role", "=", "admin")
    .select("person_id")
    .execute();
  return rows.map((r) => r.person_id);
}

/**
 * SQL for the number of delivered letters of the campaign `campaignId` (a column reference) names:
 * the total of a metric whose source is 'letters', for the lists that total metrics in one query.
 */
export function deliveredLettersCountSql(campaignId: ReturnType<typeof sql.ref>) {
  return sql<string>`(SELECT count(*) FROM letter AS dl JOIN letter_action AS da ON da.id = dl.action_id WHERE da.campaign_id = ${campaignId} AND dl.delivery_confirmed)`;
}

/** Delivered letters of a campaign's letter actions per sending organisation (the 'letters' metric source). */
export async function deliveredLettersByOrganisation(db: Executor, campaignId: string) {
  return db
    .selectFrom("letter as l")
    .innerJoin("letter_action as a", "a.id", "l.action_id")
    .innerJoin("organisation as o", "o.id", "l.organisation_id")
    .where("a.campaign_id", "=", campaignId)
    .where("l.delivery_confirmed", "=", true)
    .groupBy(["o.id", "o.name", "o.short_name", "o.second_name", "o.second_name_language"])
    .select(["o.id", "o.name", "o.short_name", "o.second_name", "o.second_name_language", sql<string>`count(*)`.as("amount")])
    .orderBy(sql`count(*)`, "desc")
    .orderBy("o.name")
    .orderBy("o.id")
    .execute();
}
