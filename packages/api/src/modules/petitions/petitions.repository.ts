import { type Selectable, sql } from "kysely";
import type { PetitionTable } from "../../db/tables/petition.ts";
import type { Executor } from "../../lib/transaction.ts";

export type PetitionRow = Selectable<PetitionTable>;

// --- petitions ---------------------------------------------------------------------------------

/** The campaign's petition (the public campaign page, whose campaign is already found). */
export function findPetitionByCampaign(db: Executor, campaignId: string) {
  return db.selectFrom("petition").where("campaign_id", "=", campaignId).selectAll().executeTakeFirst();
}

/** The campaign's petition, if the campaign is the coalition's (so it can be read at once with the campaign). */
export function findCoalitionPetition(db: Executor, coalitionId: string, campaignId: string) {
  return db
    .selectFrom("petition")
    .innerJoin("campaign", "campaign.id", "petition.campaign_id")
    .where("petition.campaign_id", "=", campaignId)
    .where("campaign.coalition_id", "=", coalitionId)
    .selectAll("petition")
    .executeTakeFirst();
}

export function lockPetitionByCampaign(db: Executor, campaignId: string) {
  return db.selectFrom("petition").where("campaign_id", "=", campaignId).selectAll().forUpdate().executeTakeFirst();
}

export function insertPetition(
  db: Executor,
  values: Pick<
    PetitionRow,
    "campaign_id" | "title_km" | "title_en" | "body_km" | "body_en" | "target" | "opens_on" | "closes_on" | "created_by"
  >,
) {
  return db
    .insertInto("petition")
    .values(values)
    .onConflict((oc) => oc.constraint("petition_campaign_key").doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updatePetition(db: Executor, id: string, values: Partial<Omit<PetitionRow, "id" | "campaign_id" | "created_at">>) {
  return db
    .updateTable("petition")
    .set({ ...values, updated_at: sql<Date>`date_trunc('milliseconds', now())` })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Close; the deletion of personal data falls due `deleteAfterDays` after now by the database clock. */
export function closePetition(db: Executor, id: string, v: { closedBy: string; closedAt: Date; deleteAfterDays: number | null }) {
  const days = v.deleteAfterDays;
  return db
    .updateTable("petition")
    .set({
      status: "closed",
      closed_at: v.closedAt,
      closed_by: v.closedBy,
      delete_after_days: days,
      purge_due_at: days === null ? null : sql<Date>`date_trunc('milliseconds', app_now()) + make_interval(days => ${days})`,
      updated_at: sql<Date>`date_trunc('milliseconds', now())`,
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Organisations among the campaign's co-owners where the person is an admin. */
export async function ownerOrganisationsAdministeredBy(db: Executor, campaignId: string, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("campaign_organisation as co")
    .innerJoin("membership as m", "m.organisation_id", "co.organisation_id")
    .where("co.campaign_id", "=", campaignId)
    .where("co.role", "=", "owner")
    .where("m.person_id", "=", personId)
    .where("m.role", "=", "admin")
    .select("co.organisation_id")
    .execute();
  return rows.map((r) => r.organisation_id);
}

// --- public lookups ------------------------------------------------------------------------------

/** A public campaign's petition by the coalition's and the campaign's slugs (nothing for other campaigns). */
export function findPublicPetition(db: Executor, coalitionSlug: string, campaignSlug: string) {
  return db
    .selectFrom("petition as p")
    .innerJoin("campaign as c", "c.id", "p.campaign_id")
    .innerJoin("coalition as co", "co.id", "c.coalition_id")
    .where("co.slug", "=", coalitionSlug)
    .where("c.slug", "=", campaignSlug)
    .where("c.visibility", "=", "public")
    .selectAll("p")
    .select([
      "c.title as campaign_title",
      "c.second_title as campaign_second_title",
      "c.second_title_language as campaign_second_title_language",
      "c.slug as campaign_slug",
      "co.id as coalition_id",
      "co.name as coalition_name",
      "co.second_name as coalition_second_name",
      "co.second_name_language as coalition_second_name_language",
      "co.slug as coalition_slug",
      "co.time_zone",
    ])
    .executeTakeFirst();
}

// --- counts ----------------------------------------------------------------------------------------

/** Confirmed signatures by province, plus those kept as counts after personal data was deleted. */
export async function onlineCountsByProvince(db: Executor, petitionId: string): Promise<Map<string, number>> {
  const rows = await sql<{ province: string; n: string | number }>`
    SELECT province, sum(n)::bigint AS n FROM (
      SELECT province, count(*) AS n FROM petition_signature WHERE petition_id = ${petitionId} AND status = 'confirmed' GROUP BY province
      UNION ALL
      SELECT province, count AS n FROM petition_province_tally WHERE petition_id = ${petitionId}
    ) t GROUP BY province`.execute(db);
  return new Map(rows.rows.map((r) => [r.province, Number(r.n)]));
}

export async function paperCountsByProvince(db: Executor, petitionId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("petition_paper_sheet")
    .where("petition_id", "=", petitionId)
    .groupBy("province")
    .select(["province", sql<string>`sum(count)::bigint`.as("n")])
    .execute();
  return new Map(rows.map((r) => [r.province, Number(r.n)]));
}

/** The most recently confirmed signers who agreed to be shown: name and province only. */
export function recentPublicNames(db: Executor, petitionId: string, limit: number) {
  return db
    .selectFrom("petition_signature")
    .where("petition_id", "=", petitionId)
    .where("status", "=", "confirmed")
    .where("show_name", "=", true)
    .select(["name", "province", "confirmed_at"])
    .orderBy("confirmed_at", "desc")
    .limit(limit)
    .execute();
}

// --- signatures --------------------------------------------------------------------------------------

export interface SignatureValues {
  petitionId: string;
  emailKey: string;
  email: string;
  name: string;
  province: string;
  comment: string;
  showName: boolean;
  language: "en" | "km";
  confirmTokenHash: string;
  confirmExpiresAt: Date;
  withdrawTokenHash: string;
}

/**
 * Sign, or sign again, in one statement (the UNIQUE (petition_id, email_key) constraint decides):
 * a new address gets a pending signature; while still pending, signing again replaces the
 * details and the tokens (the newest email's links work, earlier ones no longer). A confirmed
 * signature keeps its details, its status and its confirmation token (the email then carries
 * only a new withdrawal link): signing again never counts twice.
 */
export async function upsertSignature(db: Executor, v: SignatureValues) {
  const result = await sql<{ status: "pending" | "confirmed"; name: string }>`
    INSERT INTO petition_signature AS s
      (petition_id, email_key, email, name, province, comment, show_name, language, confirm_token_hash, confirm_expires_at, withdraw_token_hash)
    VALUES (${v.petitionId}, ${v.emailKey}, ${v.email}, ${v.name}, ${v.province}, ${v.comment}, ${v.showName}, ${v.language},
      ${v.confirmTokenHash}, ${v.confirmExpiresAt}, ${v.withdrawTokenHash})
    ON CONFLICT ON CONSTRAINT petition_signature_email_key DO UPDATE SET
      name = CASE WHEN s.status = 'pending' THEN EXCLUDED.name ELSE s.name END,
      province = CASE WHEN s.status = 'pending' THEN EXCLUDED.province ELSE s.province END,
      comment = CASE WHEN s.status = 'pending' THEN EXCLUDED.comment ELSE s.comment END,
      show_name = CASE WHEN s.status = 'pending' THEN EXCLUDED.show_name ELSE s.show_name END,
      email = CASE WHEN s.status = 'pending' THEN EXCLUDED.email ELSE s.email END,
      language = CASE WHEN s.status = 'pending' THEN EXCLUDED.language ELSE s.language END,
      confirm_token_hash = CASE WHEN s.status = 'pending' THEN EXCLUDED.confirm_token_hash ELSE s.confirm_token_hash END,
      confirm_expires_at = CASE WHEN s.status = 'pending' THEN EXCLUDED.confirm_expires_at ELSE s.confirm_expires_at END,
      withdraw_token_hash = CASE WHEN s.status = 'pending' THEN EXCLUDED.withdraw_token_hash ELSE s.withdraw_token_hash END
    RETURNING s.status, s.name`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error("upsert returned no row");
  return row;
}

/** The signature a confirmation link points at, with its petition and campaign (for the page). */
export function findSignatureByConfirmHash(db: Executor, tokenHash: string) {
  return signatureWithPetition(db).where("s.confirm_token_hash", "=", tokenHash).executeTakeFirst();
}

export function findSignatureByWithdrawHash(db: Executor, tokenHash: string) {
  return signatureWithPetition(db).where("s.withdraw_token_hash", "=", tokenHash).executeTakeFirst();
}

function signatureWithPetition(db: Executor) {
  return db
    .selectFrom("petition_signature as s")
    .innerJoin("petition as p", "p.id", "s.petition_id")
    .innerJoin("campaign as c", "c.id", "p.campaign_id")
    .innerJoin("coalition as co", "co.id", "c.coalition_id")
    .select([
      "s.id",
      "s.status",
      "s.name",
      "s.confirm_expires_at",
      "p.id as petition_id",
      "p.title_km",
      "p.title_en",
      "c.slug as campaign_slug",
      "co.slug as coalition_slug",
      "co.name as coalition_name",
      sql<boolean>`p.status = 'open' AND p.closes_on >= (app_now() AT TIME ZONE co.time_zone)::date`.as("petition_open"),
      sql<boolean>`s.confirm_expires_at > app_now()`.as("confirm_valid"),
    ]);
}

/**
 * Confirm: one conditional UPDATE. Only a pending signature with this unexpired token, on a
 * petition still open, becomes confirmed; the token is spent in the same statement. Parallel
 * requests with the same token: the row lock makes all but one find it no longer pending.
 */
export async function confirmSignature(db: Executor, tokenHash: string) {
  const result = await sql<{ id: string; petition_id: string }>`
    UPDATE petition_signature s SET status = 'confirmed', confirmed_at = date_trunc('milliseconds', app_now())
    FROM petition p, campaign c, coalition co
    WHERE s.confirm_token_hash = ${tokenHash} AND s.status = 'pending' AND s.confirm_expires_at > app_now()
      AND p.id = s.petition_id AND c.id = p.campaign_id AND co.id = c.coalition_id
      AND p.status = 'open' AND p.closes_on >= (app_now() AT TIME ZONE co.time_zone)::date
    RETURNING s.id, s.petition_id`.execute(db);
  return result.rows[0];
}

/** Whether the token confirmed a signature that counts already. */
export async function isConfirmedToken(db: Executor, tokenHash: string): Promise<boolean> {
  const row = await db
    .selectFrom("petition_signature")
    .where("confirm_token_hash", "=", tokenHash)
    .where("status", "=", "confirmed")
    .select("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Withdraw: the signature is deleted, personal data and all. */
export function withdrawSignature(db: Executor, tokenHash: string) {
  return db
    .deleteFrom("petition_signature")
    .where("withdraw_token_hash", "=", tokenHash)
    .returning(["id", "petition_id"])
    .executeTakeFirst();
}

export interface SignerFilter {
  status?: "pending" | "confirmed" | undefined;
  cursor?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

export function listSignatures(db: Executor, petitionId: string, filter: SignerFilter) {
  let query = db
    .selectFrom("petition_signature")
    .where("petition_id", "=", petitionId)
    .select(["id", "name", "email", "province", "comment", "show_name", "language", "status", "created_at", "confirmed_at"])
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit + 1);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.cursor) {
    const { createdAt, id } = filter.cursor;
    query = query.where((eb) => eb.or([eb("created_at", "<", createdAt), eb.and([eb("created_at", "=", createdAt), eb("id", "<", id)])]));
  }
  return query.execute();
}

/** Every confirmed signature, oldest first, for the CSV export. */
export function confirmedSignatures(db: Executor, petitionId: string) {
  return db
    .selectFrom("petition_signature")
    .where("petition_id", "=", petitionId)
    .where("status", "=", "confirmed")
    .select(["name", "email", "province", "comment", "show_name", "language", "confirmed_at"])
    .orderBy("confirmed_at")
    .orderBy("id")
    .execute();
}

export async function countSignatureRows(db: Executor, petitionId: string) {
  const row = await db
    .selectFrom("petition_signature")
    .where("petition_id", "=", petitionId)
    .select((eb) => [eb.fn.countAll<string>().as("all"), eb.fn.count<string>("id").filterWhere("status", "=", "confirmed").as("confirmed")])
    .executeTakeFirstOrThrow();
  return { all: Number(row.all), confirmed: Number(row.confirmed) };
}

// --- deletion of personal data after closing -------------------------------------------------------

/**
 * Claim petitions whose personal data is due for deletion and mark them in the same statement
 * (FOR UPDATE SKIP LOCKED in a MATERIALIZED CTE), so two instances never purge the same one.
 */
export async function claimDuePurges(db: Executor, limit: number) {
  const result = await sql<{ id: string; coalition_id: string }>`
    WITH due AS MATERIALIZED (
      SELECT id FROM petition WHERE purge_due_at <= app_now() AND purged_at IS NULL
      ORDER BY purge_due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    )
    UPDATE petition p SET purged_at = date_trunc('milliseconds', now()) FROM due, campaign c
    WHERE p.id = due.id AND c.id = p.campaign_id
    RETURNING p.id, c.coalition_id`.execute(db);
  return result.rows;
}

/** Keep the confirmed signatures as counts by province, added to what is already kept. */
export async function tallyConfirmedByProvince(db: Executor, petitionId: string) {
  await sql`
    INSERT INTO petition_province_tally (petition_id, province, count)
    SELECT petition_id, province, count(*) FROM petition_signature
    WHERE petition_id = ${petitionId} AND status = 'confirmed' GROUP BY petition_id, province
    ON CONFLICT ON CONSTRAINT petition_province_tally_pkey DO UPDATE SET count = petition_province_tally.count + EXCLUDED.count`.execute(
    db,
  );
}

export async function deleteSignatures(db: Executor, petitionId: string): Promise<number> {
  const rows = await db.deleteFrom("petition_signature").where("petition_id", "=", petitionId).returning("id").execute();
  return rows.length;
}
