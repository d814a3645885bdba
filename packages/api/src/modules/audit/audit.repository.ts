import { type SelectQueryBuilder, sql } from "kysely";
import type { DB } from "../../db/schema.ts";
import type { Executor } from "../../lib/transaction.ts";

/** The hash every chain starts from. */
export const GENESIS_HASH = "0".repeat(64);

/** SQL for SHA-256(prev ‖ "\n" ‖ canonical content) as lowercase hex: the same bytes chainHash hashes in JavaScript. */
const chained = (prev: ReturnType<typeof sql>, canonical: string) =>
  sql<string>`encode(sha256(convert_to(${prev} || E'\\n' || ${canonical}::text, 'UTF8')), 'hex')`;

interface AppendRow {
  chainKey: string;
  coalitionId: string | null;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** JSON text, or null. */
  before: string | null;
  after: string | null;
  createdAt: Date;
  /** canonicalJson of the event's AuditContent. */
  canonical: string;
}

/**
 * Append one event to its chain in ONE statement: the upsert creates the chain's head (first
 * event) or locks and advances it (the row lock is taken here and held to the end of the
 * caller's transaction), computing the new hash from the head's latest committed value; the
 * event is inserted with the head's previous and new hash. Only writers of the same chain wait.
 */
export async function appendEvent(db: Executor, row: AppendRow): Promise<void> {
  await sql`WITH head AS (
      INSERT INTO audit_chain_head AS h (chain_key, previous_hash, last_hash)
      VALUES (${row.chainKey}, ${GENESIS_HASH}, ${chained(sql`${GENESIS_HASH}::text`, row.canonical)})
      ON CONFLICT (chain_key) DO UPDATE
        SET previous_hash = h.last_hash, last_hash = ${chained(sql.ref("h.last_hash"), row.canonical)}
      RETURNING previous_hash, last_hash
    )
    INSERT INTO audit_event (chain_key, coalition_id, actor_id, action, target_type, target_id, before, after, created_at, prev_hash, hash)
    SELECT ${row.chainKey}, ${row.coalitionId}::uuid, ${row.actorId}::uuid, ${row.action}, ${row.targetType}, ${row.targetId},
      ${row.before}::text::jsonb, ${row.after}::text::jsonb, ${row.createdAt.toISOString()}::timestamptz, head.previous_hash, head.last_hash
    FROM head`.execute(db);
}

interface ChainHead {
  chainKey: string | null;
  lastHash: string;
}

/** Every chain's head: the legacy global chain (chain key NULL) and one per chain key. */
export async function chainHeads(db: Executor): Promise<ChainHead[]> {
  const rows = await db.selectFrom("audit_chain_head").select(["chain_key", "last_hash"]).orderBy("id").execute();
  return rows.map((r) => ({ chainKey: r.chain_key, lastHash: r.last_hash }));
}

/** Chain keys that events carry (to find events whose chain has lost its head row). */
export async function eventChainKeys(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom("audit_event").where("chain_key", "is not", null).select("chain_key").distinct().execute();
  return rows.flatMap((r) => (r.chain_key === null ? [] : [r.chain_key]));
}

/**
 * The stubs erased events left in this chain (their ids and hashes, no content), after `after`
 * and up to `upTo` inclusive (null: to the end), in order.
 */
export function chainErasures(db: Executor, chainKey: string | null, after: string, upTo: string | null) {
  let query = db
    .selectFrom("audit_erasure")
    .select([sql<string>`event_id::text`.as("id"), "prev_hash", "hash"])
    .where((eb) => (chainKey === null ? eb("chain_key", "is", null) : eb("chain_key", "=", chainKey)))
    .where(sql<boolean>`event_id > ${after}::bigint`)
    .orderBy("audit_erasure.event_id");
  if (upTo !== null) query = query.where(sql<boolean>`event_id <= ${upTo}::bigint`);
  return query.execute();
}

/** One batch of a chain's events in order, after the event `after` (id as text, "0" for the start). */
export async function chainEvents(db: Executor, chainKey: string | null, after: string, limit: number) {
  return (
    db
      .selectFrom("audit_event")
      .select([
        sql<string>`id::text`.as("id"),
        "coalition_id",
        "actor_id",
        "action",
        "target_type",
        "target_id",
        "before",
        "after",
        "created_at",
        "prev_hash",
        "hash",
      ])
      .where((eb) => (chainKey === null ? eb("chain_key", "is", null) : eb("chain_key", "=", chainKey)))
      .where(sql<boolean>`id > ${after}::bigint`)
      // By the bigint column, not the text alias selected above (which would sort 1, 10, 2…).
      .orderBy("audit_event.id")
      .limit(limit)
      .execute()
  );
}

export interface AuditListFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  /** The id of the last event of the previous page (newest first). */
  cursor?: string | undefined;
  limit: number;
}

/**
 * One page of the coalition's log, newest first: its own events and those of its member organisations
 * (people, roles, representatives), with the actor's name and the actor's organisation inside this
 * coalition (the first by name), in one query.
 */
export function listAuditEvents(db: Executor, coalitionId: string, filter: AuditListFilter) {
  let query = db
    .selectFrom("audit_event as e")
    .leftJoin("person as p", "p.id", "e.actor_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("membership as m")
          .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
          .innerJoin("organisation as o", "o.id", "m.organisation_id")
          .whereRef("m.person_id", "=", "e.actor_id")
          .where("cm.coalition_id", "=", coalitionId)
          .select([
            "o.id as org_id",
            "o.name as org_name",
            "o.short_name as org_short_name",
            "o.second_name as org_second_name",
            "o.second_name_language as org_second_name_language",
          ])
          .orderBy("o.name")
          .orderBy("o.id")
          .limit(1)
          .as("ao"),
      (join) => join.onTrue(),
    )
    .where((eb) =>
      eb.or([
        eb("e.coalition_id", "=", coalitionId),
        eb.and([
          eb("e.coalition_id", "is", null),
          eb("e.target_type", "=", "organisation"),
          eb(
            "e.target_id",
            "in",
            eb.selectFrom("coalition_member").where("coalition_id", "=", coalitionId).select(sql<string>`organisation_id::text`.as("id")),
          ),
        ]),
      ]),
    )
    .select([
      sql<string>`e.id::text`.as("id"),
      "e.action",
      "e.actor_id",
      "p.display_name",
      "ao.org_id",
      "ao.org_name",
      "ao.org_short_name",
      "ao.org_second_name",
      "ao.org_second_name_language",
      "e.target_type",
      "e.target_id",
      "e.before",
      "e.after",
      "e.created_at",
    ])
    .orderBy("e.id", "desc")
    .limit(filter.limit + 1);
  if (filter.action) query = query.where("e.action", "=", filter.action);
  if (filter.actorId) query = query.where("e.actor_id", "=", filter.actorId);
  if (filter.cursor) query = query.where(sql<boolean>`e.id < ${filter.cursor}::bigint`);
  return query.execute();
}

export type AuditRefType = "task" | "campaign" | "statement" | "vote" | "organisation" | "person" | "petition" | "coalition";
type AuditRefRow = { type: string; id: string; label: string; parent_id: string | null };

type RefQuery = SelectQueryBuilder<DB, never, AuditRefRow>;

/**
 * Names of the things a page of the log mentions, in one query (a UNION ALL with one branch per
 * kind present), each branch limited to what belongs to `coalitionId`: a task, campaign, statement,
 * vote or petition of another coalition, or a person or organisation outside it, is not named.
 * Ids must be UUIDs (the caller filters).
 */
export async function resolveAuditRefs(
  db: Executor,
  coalitionId: string,
  ids: Partial<Record<AuditRefType, readonly string[]>>,
  lang: "en" | "km",
): Promise<AuditRefRow[]> {
  const branches: RefQuery[] = [];
  const has = (type: AuditRefType): readonly string[] => ids[type] ?? [];
  const text = (value: string) => sql<string>`${value}::text`;
  if (has("task").length)
    branches.push(
      db
        .selectFrom("task")
        .where("coalition_id", "=", coalitionId)
        .where("id", "in", has("task"))
        .select([
          text("task").as("type"),
          sql<string>`id::text`.as("id"),
          "title as label",
          sql<string | null>`null::text`.as("parent_id"),
        ]),
    );
  if (has("campaign").length)
    branches.push(
      db
        .selectFrom("campaign")
        .where("coalition_id", "=", coalitionId)
        .where("id", "in", has("campaign"))
        .select([
          text("campaign").as("type"),
          sql<string>`id::text`.as("id"),
          "title as label",
          sql<string | null>`null::text`.as("parent_id"),
        ]),
    );
  if (has("statement").length)
    branches.push(
      db
        .selectFrom("statement")
        .where("coalition_id", "=", coalitionId)
        .where("id", "in", has("statement"))
        .select([
          text("statement").as("type"),
          sql<string>`id::text`.as("id"),
          "title as label",
          sql<string | null>`null::text`.as("parent_id"),
        ]),
    );
  if (has("vote").length)
    branches.push(
      db
        .selectFrom("vote as v")
        .innerJoin("statement_version as sv", "sv.id", "v.version_id")
        .where("v.coalition_id", "=", coalitionId)
        .where("v.id", "in", has("vote"))
        .select([
          text("vote").as("type"),
          sql<string>`v.id::text`.as("id"),
          "sv.title as label",
          sql<string | null>`v.statement_id::text`.as("parent_id"),
        ]),
    );
  if (has("petition").length)
    branches.push(
      db
        .selectFrom("petition as pe")
        .innerJoin("campaign as ca", "ca.id", "pe.campaign_id")
        .where("ca.coalition_id", "=", coalitionId)
        .where("pe.id", "in", has("petition"))
        .select([
          text("petition").as("type"),
          sql<string>`pe.id::text`.as("id"),
          lang === "km" ? "pe.title_km as label" : "pe.title_en as label",
          sql<string | null>`pe.campaign_id::text`.as("parent_id"),
        ]),
    );
  if (has("organisation").length)
    branches.push(
      db
        .selectFrom("organisation as o")
        .where("o.id", "in", has("organisation"))
        .where((eb) =>
          eb.exists(
            eb.selectFrom("coalition_member as cm").whereRef("cm.organisation_id", "=", "o.id").where("cm.coalition_id", "=", coalitionId),
          ),
        )
        .select([
          text("organisation").as("type"),
          sql<string>`o.id::text`.as("id"),
          "o.name as label",
          sql<string | null>`null::text`.as("parent_id"),
        ]),
    );
  if (has("person").length)
    branches.push(
      db
        .selectFrom("person as pp")
        .where("pp.id", "in", has("person"))
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom("membership as m")
              .innerJoin("coalition_member as cm", "cm.organisation_id", "m.organisation_id")
              .whereRef("m.person_id", "=", "pp.id")
              .where("cm.coalition_id", "=", coalitionId),
          ),
        )
        .select([
          text("person").as("type"),
          sql<string>`pp.id::text`.as("id"),
          "pp.display_name as label",
          sql<string | null>`null::text`.as("parent_id"),
        ]),
    );
  if (has("coalition").includes(coalitionId))
    branches.push(
      db
        .selectFrom("coalition")
        .where("id", "=", coalitionId)
        .select([
          text("coalition").as("type"),
          sql<string>`id::text`.as("id"),
          "name as label",
          sql<string | null>`null::text`.as("parent_id"),
        ]),
    );
  const [first, ...rest] = branches;
  if (!first) return [];
  return rest.reduce<RefQuery>((union, branch) => union.unionAll(branch), first).execute();
}
