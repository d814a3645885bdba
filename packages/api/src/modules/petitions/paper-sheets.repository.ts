import type { Executor } from "../../lib/transaction.ts";

/** The queries of petitions' paper sheets (counted offline by organisations) and their revisions; the db handle first. */

export function insertPaperSheet(
  db: Executor,
  values: {
    petition_id: string;
    organisation_id: string;
    count: number;
    province: string;
    counted_on: string;
    note: string;
    created_by: string;
  },
) {
  return db.insertInto("petition_paper_sheet").values(values).returningAll().executeTakeFirstOrThrow();
}

export function insertPaperSheetRevision(
  db: Executor,
  values: { sheet_id: string; revision: number; count: number; province: string; counted_on: string; note: string; changed_by: string },
) {
  return db.insertInto("petition_paper_sheet_revision").values(values).execute();
}

export function lockPaperSheet(db: Executor, petitionId: string, sheetId: string) {
  return db
    .selectFrom("petition_paper_sheet")
    .where("id", "=", sheetId)
    .where("petition_id", "=", petitionId)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

export function updatePaperSheet(
  db: Executor,
  sheetId: string,
  values: { count: number; province: string; counted_on: string; note: string; revision: number },
) {
  return db.updateTable("petition_paper_sheet").set(values).where("id", "=", sheetId).execute();
}

export function listPaperSheets(db: Executor, petitionId: string) {
  return db
    .selectFrom("petition_paper_sheet as s")
    .innerJoin("organisation as o", "o.id", "s.organisation_id")
    .where("s.petition_id", "=", petitionId)
    .select([
      "s.id",
      "s.count",
      "s.province",
      "s.counted_on",
      "s.note",
      "s.revision",
      "s.created_at",
      "o.id as organisation_id",
      "o.name",
      "o.short_name",
      "o.second_name",
      "o.second_name_language",
    ])
    .orderBy("s.counted_on", "desc")
    .orderBy("s.created_at", "desc")
    .limit(1000)
    .execute();
}

export function paperSheetRevisions(db: Executor, petitionId: string) {
  return db
    .selectFrom("petition_paper_sheet_revision as r")
    .innerJoin("petition_paper_sheet as s", "s.id", "r.sheet_id")
    .leftJoin("person as p", "p.id", "r.changed_by")
    .where("s.petition_id", "=", petitionId)
    .select([
      "r.sheet_id",
      "r.revision",
      "r.count",
      "r.province",
      "r.counted_on",
      "r.note",
      "r.changed_at",
      "p.id as person_id",
      "p.display_name",
    ])
    .orderBy("r.sheet_id")
    .orderBy("r.revision", "desc")
    .execute();
}

/** Whether the organisation takes part in the campaign (co-owner or participant). */
export async function isInvolved(db: Executor, campaignId: string, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom("campaign_organisation")
    .where("campaign_id", "=", campaignId)
    .where("organisation_id", "=", organisationId)
    .select("role")
    .executeTakeFirst();
  return row !== undefined;
}
