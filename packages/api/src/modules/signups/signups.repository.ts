import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

const LOCAL_FORMAT = sql.raw(`'YYYY-MM-DD"T"HH24:MI'`);

/** Activities of a campaign that have not ended yet (by the database clock), earliest first, with local times. */
export function upcomingActivities(db: Executor, campaignId: string, timeZone: string) {
  return db
    .selectFrom("activity as a")
    .where("a.campaign_id", "=", campaignId)
    .where(
      sql<boolean>`greatest(coalesce(a.ends_at, a.starts_at),
        (SELECT (max(ms.stage_date) + 1)::timestamp AT TIME ZONE ${timeZone} FROM march_stage ms WHERE ms.activity_id = a.id)) >= app_now()`,
    )
    .select([
      "a.id",
      "a.kind",
      "a.title",
      "a.location",
      sql<string>`to_char(a.starts_at AT TIME ZONE ${timeZone}, ${LOCAL_FORMAT})`.as("starts_local"),
      sql<string | null>`to_char(a.ends_at AT TIME ZONE ${timeZone}, ${LOCAL_FORMAT})`.as("ends_local"),
    ])
    .orderBy("a.starts_at")
    .orderBy("a.id")
    .limit(50)
    .execute();
}

/** March stages of the activities that are today or later in the coalition's time zone. */
export function upcomingStages(db: Executor, activityIds: string[], timeZone: string) {
  if (activityIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("march_stage")
    .where("activity_id", "in", activityIds)
    .where(sql<boolean>`stage_date >= (app_now() AT TIME ZONE ${timeZone})::date`)
    .select(["activity_id", "position", sql<string>`to_char(stage_date, 'YYYY-MM-DD')`.as("stage_date"), "from_place", "to_place"])
    .orderBy("activity_id")
    .orderBy("position")
    .execute();
}

/** The campaign's activity, if the campaign is the coalition's (so it can be read at once with the campaign). */
export function findActivity(db: Executor, coalitionId: string, campaignId: string, activityId: string) {
  return db
    .selectFrom("activity")
    .innerJoin("campaign", "campaign.id", "activity.campaign_id")
    .where("activity.id", "=", activityId)
    .where("activity.campaign_id", "=", campaignId)
    .where("campaign.coalition_id", "=", coalitionId)
    .select(["activity.id", "activity.kind", "activity.title"])
    .executeTakeFirst();
}

/** Whether the person is an admin of one of the campaign's co-owner organisations (among those visible in the coalition). */
export async function isOwnerAdmin(db: Executor, campaignId: string, personId: string, organisationIds: string[]): Promise<boolean> {
  if (organisationIds.length === 0) return false;
  const row = await db
    .selectFrom("campaign_organisation as co")
    .innerJoin("membership as m", "m.organisation_id", "co.organisation_id")
    .where("co.campaign_id", "=", campaignId)
    .where("co.role", "=", "owner")
    .where("co.organisation_id", "in", organisationIds)
    .where("m.person_id", "=", personId)
    .where("m.role", "=", "admin")
    .select(sql.lit(1).as("one"))
    .executeTakeFirst();
  return Boolean(row);
}

interface SignupWrite {
  activityId: string;
  name: string;
  email: string | null;
  phone: string | null;
  contactKey: string;
  guests: number;
  language: "km" | "en";
  confirmTokenHash: string | null;
  cancelTokenHash: string;
}

/**
 * Insert the sign-up, or update a pending one with the same contact for this activity (one
 * statement, so parallel submissions of the same address make one row). Signing up again asks for
 * a new confirmation: the old links stop working. A confirmed sign-up is never changed from the
 * public form (anyone may type anyone's address or phone: they could undo a confirmation, rename
 * the person and watch the public count fall): undefined then, and the row is as it was.
 */
export async function upsertSignup(db: Executor, input: SignupWrite): Promise<string | undefined> {
  const row = await db
    .insertInto("signup")
    .values({
      activity_id: input.activityId,
      name: input.name,
      email: input.email,
      phone: input.phone,
      contact_key: input.contactKey,
      guests: input.guests,
      language: input.language,
      confirm_token_hash: input.confirmTokenHash,
      confirm_expires_at: input.confirmTokenHash ? sql<Date>`app_now() + interval '7 days'` : null,
      cancel_token_hash: input.cancelTokenHash,
      confirmed_via: null,
      confirmed_by: null,
      confirmed_at: null,
      erased_at: null,
    })
    .onConflict((oc) =>
      oc
        .constraint("signup_activity_contact_key")
        .doUpdateSet((eb) => ({
          name: eb.ref("excluded.name"),
          email: eb.ref("excluded.email"),
          phone: eb.ref("excluded.phone"),
          guests: eb.ref("excluded.guests"),
          language: eb.ref("excluded.language"),
          status: "pending",
          confirmed_via: null,
          confirmed_by: null,
          confirmed_at: null,
          confirm_token_hash: eb.ref("excluded.confirm_token_hash"),
          confirm_expires_at: eb.ref("excluded.confirm_expires_at"),
          cancel_token_hash: eb.ref("excluded.cancel_token_hash"),
          updated_at: sql<Date>`now()`,
        }))
        .where("signup.status", "<>", "confirmed"),
    )
    .returning("id")
    .executeTakeFirst();
  return row?.id;
}

/** The confirmed sign-up of this contact for this activity: its party size and stages (for the "already signed up" email). */
export async function confirmedSignup(db: Executor, activityId: string, contactKey: string) {
  const row = await db
    .selectFrom("signup as s")
    .where("s.activity_id", "=", activityId)
    .where("s.contact_key", "=", contactKey)
    .where("s.status", "=", "confirmed")
    .select((eb) => [
      "s.guests",
      eb
        .selectFrom("signup_stage as st")
        .whereRef("st.signup_id", "=", "s.id")
        .select(sql<number[]>`coalesce(array_agg(st.position ORDER BY st.position), '{}')`.as("positions"))
        .as("positions"),
    ])
    .executeTakeFirst();
  return row ? { guests: row.guests, positions: (row.positions ?? []).map(Number) } : undefined;
}

export async function replaceStages(db: Executor, signupId: string, positions: number[]) {
  await db.deleteFrom("signup_stage").where("signup_id", "=", signupId).execute();
  if (positions.length === 0) return;
  await db
    .insertInto("signup_stage")
    .values(positions.map((position) => ({ signup_id: signupId, position })))
    .execute();
}

/** The sign-up a link's token belongs to, for the page that asks to confirm or cancel. */
export function findByTokenHash(db: Executor, kind: "confirm" | "cancel", tokenHash: string) {
  let query = db
    .selectFrom("signup as s")
    .innerJoin("activity as a", "a.id", "s.activity_id")
    .innerJoin("campaign as k", "k.id", "a.campaign_id")
    .innerJoin("coalition as c", "c.id", "k.coalition_id")
    .where("s.erased_at", "is", null)
    .select([
      "s.id",
      "s.status",
      "a.title as activity_title",
      "k.slug as campaign_slug",
      "c.slug as coalition_slug",
      "k.title as campaign_title",
      "k.second_title as campaign_second_title",
      "k.second_title_language as campaign_second_title_language",
    ]);
  query =
    kind === "confirm"
      ? query.where("s.confirm_token_hash", "=", tokenHash).where(sql<boolean>`s.confirm_expires_at > app_now()`)
      : query.where("s.cancel_token_hash", "=", tokenHash);
  return query.executeTakeFirst();
}

/** Confirm by the emailed link: one conditional statement, so a link confirms once however often it is posted. */
export function confirmByToken(db: Executor, tokenHash: string) {
  return db
    .updateTable("signup")
    .set({
      status: "confirmed",
      confirmed_via: "email",
      confirmed_at: sql<Date>`now()`,
      confirm_token_hash: null,
      confirm_expires_at: null,
    })
    .where("confirm_token_hash", "=", tokenHash)
    .where(sql<boolean>`confirm_expires_at > app_now()`)
    .where("erased_at", "is", null)
    .returning(["id", "activity_id"])
    .executeTakeFirst();
}

/** Cancel by the emailed link: the sign-up and its data are deleted. */
export function deleteByCancelToken(db: Executor, tokenHash: string) {
  return db
    .deleteFrom("signup")
    .where("cancel_token_hash", "=", tokenHash)
    .where("erased_at", "is", null)
    .returning(["id", "activity_id"])
    .executeTakeFirst();
}

/** People per stage (null: the whole activity), confirmed and pending, computed from the rows (exact by construction). */
export async function countsOf(db: Executor, activityId: string) {
  const rows = await db
    .selectFrom("signup as s")
    .leftJoin("signup_stage as ss", "ss.signup_id", "s.id")
    .where("s.activity_id", "=", activityId)
    .select([
      "ss.position",
      sql<string>`coalesce(sum(1 + s.guests) FILTER (WHERE s.status = 'confirmed'), 0)`.as("people"),
      sql<string>`count(*) FILTER (WHERE s.status = 'confirmed')`.as("signups"),
      sql<string>`coalesce(sum(1 + s.guests) FILTER (WHERE s.status = 'pending'), 0)`.as("pending_people"),
    ])
    .groupBy("ss.position")
    .orderBy(sql`ss.position NULLS FIRST`)
    .execute();
  return rows.map((r) => ({
    position: r.position,
    people: Number(r.people),
    signups: Number(r.signups),
    pendingPeople: Number(r.pending_people),
  }));
}

/** Confirmed people per activity and stage for several activities (the public campaign page). */
export async function confirmedPeople(db: Executor, activityIds: string[]) {
  if (activityIds.length === 0) return [];
  const rows = await db
    .selectFrom("signup as s")
    .leftJoin("signup_stage as ss", "ss.signup_id", "s.id")
    .where("s.activity_id", "in", activityIds)
    .where("s.status", "=", "confirmed")
    .select(["s.activity_id", "ss.position", sql<string>`sum(1 + s.guests)`.as("people")])
    .groupBy(["s.activity_id", "ss.position"])
    .execute();
  return rows.map((r) => ({ activityId: r.activity_id, position: r.position, people: Number(r.people) }));
}

export function listSignups(db: Executor, activityId: string) {
  return db
    .selectFrom("signup as s")
    .leftJoin("person as p", "p.id", "s.confirmed_by")
    .where("s.activity_id", "=", activityId)
    .where("s.erased_at", "is", null)
    .select((eb) => [
      "s.id",
      "s.name",
      "s.email",
      "s.phone",
      "s.guests",
      "s.status",
      "s.confirmed_via",
      "s.confirmed_at",
      "s.created_at",
      "p.id as confirmed_by_id",
      "p.display_name as confirmed_by_name",
      eb
        .selectFrom("signup_stage as ss")
        .whereRef("ss.signup_id", "=", "s.id")
        .select(sql<number[]>`coalesce(array_agg(ss.position ORDER BY ss.position), '{}')`.as("positions"))
        .as("positions"),
    ])
    .orderBy("s.created_at")
    .orderBy("s.id")
    .limit(2000)
    .execute();
}

/** Organisers confirm a sign-up they reached by phone: only a pending one, in one statement. */
export function confirmByPhone(db: Executor, activityId: string, signupId: string, personId: string) {
  return db
    .updateTable("signup")
    .set({
      status: "confirmed",
      confirmed_via: "phone",
      confirmed_by: personId,
      confirmed_at: sql<Date>`now()`,
      confirm_token_hash: null,
      confirm_expires_at: null,
    })
    .where("id", "=", signupId)
    .where("activity_id", "=", activityId)
    .where("status", "=", "pending")
    .where("erased_at", "is", null)
    .returning("id")
    .executeTakeFirst();
}

export function findSignup(db: Executor, activityId: string, signupId: string) {
  return db
    .selectFrom("signup")
    .where("id", "=", signupId)
    .where("activity_id", "=", activityId)
    .where("erased_at", "is", null)
    .select(["id", "status"])
    .executeTakeFirst();
}

export function deleteSignup(db: Executor, activityId: string, signupId: string) {
  return db
    .deleteFrom("signup")
    .where("id", "=", signupId)
    .where("activity_id", "=", activityId)
    .where("erased_at", "is", null)
    .returning("id")
    .executeTakeFirst();
}

/**
 * Claim up to `limit` sign-ups whose activity ended more than `retentionDays` ago (the end, the
 * start, or the day after the last march stage, in the coalition's time zone), skipping rows
 * another instance holds, and erase them in the same statement: unconfirmed ones are deleted,
 * confirmed ones keep only their status, party size and stages (for the counts).
 * Their sent confirmation emails leave the outbox too.
 * Returns how many were erased per activity (with the coalition, for the audit event).
 */
export async function eraseDueSignups(db: Executor, retentionDays: number, limit: number) {
  const result = await sql<{ activity_id: string; coalition_id: string; erased: string }>`
    WITH due AS MATERIALIZED (
      SELECT s.id, s.status FROM signup s
      JOIN activity a ON a.id = s.activity_id
      JOIN campaign k ON k.id = a.campaign_id
      JOIN coalition c ON c.id = k.coalition_id
      WHERE s.erased_at IS NULL
        AND greatest(coalesce(a.ends_at, a.starts_at),
          (SELECT (max(ms.stage_date) + 1)::timestamp AT TIME ZONE c.time_zone FROM march_stage ms WHERE ms.activity_id = a.id))
          + make_interval(days => ${retentionDays}) < app_now()
      ORDER BY s.id
      LIMIT ${limit}
      FOR UPDATE OF s SKIP LOCKED
    ),
    mail AS (
      DELETE FROM outbox_email WHERE template = 'signup_confirmation' AND status <> 'pending'
        AND to_address IN (SELECT email FROM signup WHERE id IN (SELECT id FROM due) AND email IS NOT NULL)
    ),
    deleted AS (
      DELETE FROM signup WHERE id IN (SELECT id FROM due WHERE status = 'pending') RETURNING activity_id
    ),
    erased AS (
      UPDATE signup SET name = NULL, email = NULL, phone = NULL, contact_key = NULL, confirm_token_hash = NULL,
        confirm_expires_at = NULL, cancel_token_hash = NULL, confirmed_by = NULL, erased_at = now()
      WHERE id IN (SELECT id FROM due WHERE status = 'confirmed') RETURNING activity_id
    ),
    done AS (SELECT activity_id FROM deleted UNION ALL SELECT activity_id FROM erased)
    SELECT done.activity_id, k.coalition_id, count(*) AS erased
    FROM done JOIN activity a ON a.id = done.activity_id JOIN campaign k ON k.id = a.campaign_id
    GROUP BY done.activity_id, k.coalition_id`.execute(db);
  return result.rows.map((r) => ({ activityId: r.activity_id, coalitionId: r.coalition_id, erased: Number(r.erased) }));
}
