import type { TargetInput } from "@samakki/shared/letters";
import { type Insertable, sql } from "kysely";
import type { LetterTargetTable } from "../../db/tables/letter.ts";
import type { Executor } from "../../lib/transaction.ts";

/** The queries of the coalition's letter targets (people letters go to); the db handle (or transaction) first. */

export const TARGET_COLUMNS = [
  "t.id",
  "t.name_km",
  "t.name_en",
  "t.role",
  "t.party",
  "t.province",
  "t.constituency",
  "t.email",
  "t.phone",
  "t.fax",
  "t.postal_address",
  "t.archived_at",
  "t.updated_at",
] as const;

export type TargetRow = Awaited<ReturnType<typeof findTarget>> & {};

export function targetValues(coalitionId: string, input: TargetInput): Insertable<LetterTargetTable> {
  return {
    coalition_id: coalitionId,
    name_km: input.nameKm,
    name_en: input.nameEn,
    role: input.role,
    party: input.party,
    province: input.province,
    constituency: input.constituency,
    email: input.email,
    phone: input.phone,
    fax: input.fax,
    postal_address: input.postalAddress,
  };
}

export async function listTargets(
  db: Executor,
  coalitionId: string,
  filter: { q?: string | undefined; province?: string | undefined; party?: string | undefined; archived: "true" | "false" | "all" },
) {
  let query = db.selectFrom("letter_target as t").where("t.coalition_id", "=", coalitionId).select(TARGET_COLUMNS);
  if (filter.archived === "false") query = query.where("t.archived_at", "is", null);
  if (filter.archived === "true") query = query.where("t.archived_at", "is not", null);
  if (filter.province) query = query.where("t.province", "=", filter.province);
  if (filter.party) query = query.where(sql<boolean>`lower(t.party) = lower(${filter.party})`);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb("t.name_km", "ilike", like),
        eb("t.name_en", "ilike", like),
        eb("t.role", "ilike", like),
        eb("t.constituency", "ilike", like),
      ]),
    );
  }
  return query.orderBy("t.province").orderBy("t.name_en").orderBy("t.name_km").orderBy("t.id").limit(2000).execute();
}

export async function findTarget(db: Executor, coalitionId: string, targetId: string) {
  return db
    .selectFrom("letter_target as t")
    .where("t.coalition_id", "=", coalitionId)
    .where("t.id", "=", targetId)
    .select(TARGET_COLUMNS)
    .executeTakeFirst();
}

export async function lockTarget(db: Executor, coalitionId: string, targetId: string) {
  return db
    .selectFrom("letter_target as t")
    .where("t.coalition_id", "=", coalitionId)
    .where("t.id", "=", targetId)
    .select(TARGET_COLUMNS)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertTargets(db: Executor, rows: Insertable<LetterTargetTable>[]) {
  if (rows.length === 0) return [];
  return db.insertInto("letter_target").values(rows).returning("id").execute();
}

export async function updateTarget(db: Executor, targetId: string, values: Partial<Insertable<LetterTargetTable>>) {
  await db
    .updateTable("letter_target")
    .set({ ...values, updated_at: sql`date_trunc('milliseconds', now())` })
    .where("id", "=", targetId)
    .execute();
}

/** The ids among `ids` that are targets of the coalition (archived or not). */
export async function existingTargetIds(db: Executor, coalitionId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("letter_target").where("coalition_id", "=", coalitionId).where("id", "in", ids).select("id").execute();
  return rows.map((r) => r.id);
}
