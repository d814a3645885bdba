import type { CampaignStatus } from "@samakki/shared/campaigns";
import { type ExpressionBuilder, type Insertable, sql, type Updateable } from "kysely";
import { prepared, preparedShapes } from "../../db/prepared.ts";
import type { DB } from "../../db/schema.ts";
import type { Executor } from "../../lib/transaction.ts";

export function findCampaign(db: Executor, coalitionId: string, campaignId: string, lock = false) {
  const query = db.selectFrom("campaign").where("coalition_id", "=", coalitionId).where("id", "=", campaignId).selectAll();
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

const organisationsOfCampaigns = (db: Executor) =>
  db
    .selectFrom("campaign_organisation as co")
    .innerJoin("organisation as o", "o.id", "co.organisation_id")
    .select(["co.campaign_id", "co.role", "o.id", "o.name", "o.short_name", "o.second_name", "o.second_name_language"])
    .orderBy("o.name");

/**
 * The organisations of these campaigns, compiled once (they are read on every campaign list and
 * campaign page). Several campaigns are one array parameter, so the SQL is the same for any number
 * of them. One campaign (its page) is `= $1`: PostgreSQL never caches a generic plan for a
 * one-element `= any` (measured on 15 in auto plan mode: 0 generic plans in 8 calls, against 3 of 8
 * for `= $1`), so it would plan the query again on every call.
 */
const ofOneCampaign = prepared(["campaignId"], (db, p) => organisationsOfCampaigns(db).where("co.campaign_id", "=", p.campaignId));
const ofSeveralCampaigns = prepared(["campaignIds"], (db, p) =>
  organisationsOfCampaigns(db).where((eb) => eb("co.campaign_id", "=", eb.fn.any(sql<string[]>`${p.campaignIds}::uuid[]`))),
);

export async function campaignOrganisations(db: Executor, campaignIds: string[]) {
  const [only] = campaignIds;
  if (only === undefined) return [];
  if (campaignIds.length === 1) return ofOneCampaign(db, { campaignId: only });
  return ofSeveralCampaigns(db, { campaignIds });
}

/** Organisations that are active or observer members of the coalition, among `ids`. */
export async function memberOrganisationIds(db: Executor, coalitionId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("coalition_member")
    .where("coalition_id", "=", coalitionId)
    .where("organisation_id", "in", ids)
    .where("status", "in", ["active", "observer"])
    .select("organisation_id")
    .execute();
  return new Set(rows.map((r) => r.organisation_id));
}

/**
 * Whether one of these organisations co-owns the campaign, as an expression of any query: the rule
 * of campaigns.access.ts, also read inside the task rules' single query (tasks.repository.ts).
 */
export function coOwnedBy(eb: ExpressionBuilder<DB, never>, campaignId: string, organisationIds: readonly string[]) {
  return eb.exists(
    eb
      .selectFrom("campaign_organisation")
      .where("campaign_id", "=", campaignId)
      .where("role", "=", "owner")
      .where("organisation_id", "in", [...organisationIds])
      .select(sql.lit(1).as("one")),
  );
}

export async function isCoOwnedBy(db: Executor, campaignId: string, organisationIds: readonly string[]): Promise<boolean> {
  if (organisationIds.length === 0) return false;
  const row = await db.selectNoFrom((eb) => coOwnedBy(eb, campaignId, organisationIds).as("co_owned")).executeTakeFirst();
  return Boolean(row?.co_owned);
}

interface CampaignListFilter {
  status?: CampaignStatus | undefined;
  organisationId?: string | undefined;
  q?: string | undefined;
  cursor?: { updatedAt: Date; id: string } | undefined;
  limit: number;
}

/**
 * A page of the coalition's campaigns (one row more than the limit tells there is a next page),
 * compiled once per combination of filters: the campaign list is a hot read.
 */
const campaignPageQuery = preparedShapes(
  (
    db,
    p: {
      coalitionId: string;
      limit: number;
      status?: CampaignStatus | undefined;
      organisationId?: string | undefined;
      /** An ILIKE pattern. */
      pattern?: string | undefined;
      cursorUpdatedAt?: Date | undefined;
      cursorId?: string | undefined;
    },
  ) => {
    let query = db
      .selectFrom("campaign as c")
      .where("c.coalition_id", "=", p.coalitionId)
      .select([
        "c.id",
        "c.slug",
        "c.title",
        "c.second_title",
        "c.second_title_language",
        "c.summary",
        "c.status",
        "c.visibility",
        "c.starts_on",
        "c.ends_on",
        "c.updated_at",
      ])
      .orderBy("c.updated_at", "desc")
      .orderBy("c.id", "desc")
      .limit(p.limit);
    if (p.status) query = query.where("c.status", "=", p.status);
    else query = query.where("c.status", "!=", "archived");
    const { organisationId, pattern, cursorUpdatedAt, cursorId } = p;
    if (organisationId) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom("campaign_organisation as co")
            .whereRef("co.campaign_id", "=", "c.id")
            .where("co.organisation_id", "=", organisationId)
            .select(sql.lit(1).as("one")),
        ),
      );
    }
    if (pattern) {
      query = query.where((eb) =>
        eb.or([eb("c.title", "ilike", pattern), eb("c.second_title", "ilike", pattern), eb("c.summary", "ilike", pattern)]),
      );
    }
    if (cursorUpdatedAt && cursorId) {
      // A row comparison: an index condition, so a deep page costs what the first does.
      query = query.where((eb) => eb(eb.refTuple("c.updated_at", "c.id"), "<", eb.tuple(cursorUpdatedAt, cursorId)));
    }
    return query;
  },
);

export function listCampaigns(db: Executor, coalitionId: string, filter: CampaignListFilter) {
  return campaignPageQuery(db, {
    coalitionId,
    limit: filter.limit + 1,
    // Falsy filters (an empty search) are no filter, as they always were.
    status: filter.status || undefined,
    organisationId: filter.organisationId || undefined,
    pattern: filter.q ? `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : undefined,
    cursorUpdatedAt: filter.cursor?.updatedAt,
    cursorId: filter.cursor?.id,
  });
}

/** The campaign changed (boards and lists order by it). */
export async function touchCampaign(db: Executor, campaignId: string, at: Date = new Date()): Promise<void> {
  await db.updateTable("campaign").set({ updated_at: at }).where("id", "=", campaignId).execute();
}

/** A page of the campaign's updates with their authors, newest first, after the keyset cursor. */
export function updateRows(db: Executor, campaignId: string, cursor: { at: Date; id: string } | null | undefined, limit: number) {
  let query = db
    .selectFrom("campaign_update as u")
    .innerJoin("person as p", "p.id", "u.author_id")
    .where("u.campaign_id", "=", campaignId)
    .select(["u.id", "u.body", "u.created_at", "p.id as author_id", "p.display_name"])
    .orderBy("u.created_at", "desc")
    .orderBy("u.id", "desc")
    .limit(limit);
  if (cursor)
    // A row comparison: an index condition, so a deep page costs what the first does.
    query = query.where((eb) => eb(eb.refTuple("u.created_at", "u.id"), "<", eb.tuple(cursor.at, cursor.id)));
  return query.execute();
}

export function insertUpdate(db: Executor, values: { campaign_id: string; author_id: string; body: string; created_at: Date }) {
  return db.insertInto("campaign_update").values(values).returning(["id"]).executeTakeFirstOrThrow();
}

/** One update of this campaign (none of another's), locked until the transaction ends. */
export function lockUpdate(db: Executor, campaignId: string, updateId: string) {
  return db
    .selectFrom("campaign_update")
    .where("campaign_id", "=", campaignId)
    .where("id", "=", updateId)
    .select(["id", "author_id"])
    .forUpdate()
    .executeTakeFirst();
}

export async function deleteUpdate(db: Executor, updateId: string): Promise<void> {
  await db.deleteFrom("campaign_update").where("id", "=", updateId).execute();
}

type CampaignRow = Insertable<DB["campaign"]>;

export function insertCampaign(db: Executor, values: CampaignRow) {
  return db
    .insertInto("campaign")
    .values(values)
    .returning(["id", "title", "second_title", "second_title_language"])
    .executeTakeFirstOrThrow();
}

/** Involve organisations as co-owners or participants (a later role replaces an earlier one). */
export async function addCampaignOrganisations(
  db: Executor,
  campaignId: string,
  rows: { organisationId: string; role: "owner" | "participant" }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("campaign_organisation")
    .values(rows.map((r) => ({ campaign_id: campaignId, organisation_id: r.organisationId, role: r.role })))
    .onConflict((oc) => oc.constraint("campaign_organisation_pkey").doUpdateSet((eb) => ({ role: eb.ref("excluded.role") })))
    .execute();
}

export async function removeCampaignOrganisations(
  db: Executor,
  campaignId: string,
  role: "owner" | "participant",
  organisationIds: string[],
): Promise<void> {
  if (organisationIds.length === 0) return;
  await db
    .deleteFrom("campaign_organisation")
    .where("campaign_id", "=", campaignId)
    .where("role", "=", role)
    .where("organisation_id", "in", organisationIds)
    .execute();
}

/** The coalition's campaign slugs equal to `base` or of the form `base-…` (LIKE wildcards escaped). */
export async function slugsLike(db: Executor, coalitionId: string, base: string): Promise<string[]> {
  const pattern = `${base.replace(/[\\%_]/g, (ch) => `\\${ch}`)}-%`;
  const rows = await db
    .selectFrom("campaign")
    .where("coalition_id", "=", coalitionId)
    .where((eb) => eb.or([eb("slug", "=", base), eb("slug", "like", pattern)]))
    .select("slug")
    .execute();
  return rows.map((r) => r.slug);
}

/** The admins of these organisations, but `exceptPersonId`, once each. */
export function adminsOf(db: Executor, organisationIds: string[], exceptPersonId: string) {
  return db
    .selectFrom("membership as m")
    .innerJoin("person as p", "p.id", "m.person_id")
    .where("m.organisation_id", "in", organisationIds)
    .where("m.role", "=", "admin")
    .where("m.person_id", "!=", exceptPersonId)
    .select(["m.person_id", "p.language"])
    .distinct()
    .execute();
}

export async function updateCampaignRow(db: Executor, campaignId: string, changes: Updateable<DB["campaign"]>): Promise<void> {
  await db
    .updateTable("campaign")
    .set({ ...changes, updated_at: new Date(), revision: sql<number>`revision + 1` })
    .where("id", "=", campaignId)
    .execute();
}

/** Lock the campaign row: concurrent changes of its organisations wait for each other. */
export async function lockCampaign(db: Executor, campaignId: string): Promise<void> {
  await db.selectFrom("campaign").where("id", "=", campaignId).select("id").forUpdate().execute();
}

export function campaignRoles(db: Executor, campaignId: string) {
  return db.selectFrom("campaign_organisation").where("campaign_id", "=", campaignId).select(["organisation_id", "role"]).execute();
}
