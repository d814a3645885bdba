import { sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

export function findCampaign(db: Executor, coalitionId: string, campaignId: string) {
  return db.selectFrom("campaign").where("coalition_id", "=", coalitionId).where("id", "=", campaignId).selectAll().executeTakeFirst();
}

export function campaignOrganisations(db: Executor, campaignIds: string[]) {
  if (campaignIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("campaign_organisation as co")
    .innerJoin("organisation as o", "o.id", "co.organisation_id")
    .where("co.campaign_id", "in", campaignIds)
    .select(["co.campaign_id", "co.role", "o.id", "o.name", "o.short_name"])
    .orderBy("o.name")
    .execute();
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

export function ownerIds(db: Executor, campaignId: string) {
  return db
    .selectFrom("campaign_organisation")
    .where("campaign_id", "=", campaignId)
    .where("role", "=", "owner")
    .select("organisation_id")
    .execute();
}

export interface CampaignListFilter {
  status?: string | undefined;
  organisationId?: string | undefined;
  q?: string | undefined;
  cursor?: { updatedAt: Date; id: string } | undefined;
  limit: number;
}

export function listCampaigns(db: Executor, coalitionId: string, filter: CampaignListFilter) {
  let query = db
    .selectFrom("campaign as c")
    .where("c.coalition_id", "=", coalitionId)
    .select(["c.id", "c.slug", "c.title", "c.summary", "c.status", "c.visibility", "c.starts_on", "c.ends_on", "c.updated_at"])
    .orderBy("c.updated_at", "desc")
    .orderBy("c.id", "desc")
    .limit(filter.limit + 1);
  if (filter.status) query = query.where("c.status", "=", filter.status as never);
  else query = query.where("c.status", "!=", "archived");
  if (filter.organisationId) {
    const orgId = filter.organisationId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("campaign_organisation as co")
          .whereRef("co.campaign_id", "=", "c.id")
          .where("co.organisation_id", "=", orgId)
          .select(sql.lit(1).as("one")),
      ),
    );
  }
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where((eb) => eb.or([eb("c.title", "ilike", pattern), eb("c.summary", "ilike", pattern)]));
  }
  if (filter.cursor) {
    const { updatedAt, id } = filter.cursor;
    // A row comparison: an index condition, so a deep page costs what the first does.
    query = query.where((eb) => eb(eb.refTuple("c.updated_at", "c.id"), "<", eb.tuple(updatedAt, id)));
  }
  return query.execute();
}
