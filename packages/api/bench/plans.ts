/**
 * EXPLAIN (ANALYZE, BUFFERS) of every paged list, search and job claim that grows with the data
 * (issue 12, item 2), on a PostgreSQL database already seeded by `pnpm bench` (BENCH_KEEP=1) or by
 * hand, in a custom and in a generic plan (plan_cache_mode). Prints one line per query and mode:
 * best execution time of 3, shared buffers touched, and how task (or the table read) is read.
 * The claims (UPDATE … RETURNING) run in a transaction that is rolled back.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> pnpm --filter @samakki/api exec tsx bench/plans.ts [--shape before] [--verbose]
 *
 * --shape before: the query shapes before this change (an OR keyset cursor, reminder claims with
 * no due_on bounds), to measure the old schema with the old queries. The task lists are compiled
 * from the repository (taskListQuery) with the current shape; the other statements mirror their
 * modules (notifications.email.ts, outbox.worker.ts, notifications.service.ts, audit.routes.ts).
 * Exported as `explainAll` for run.ts.
 */
import type { CompiledQuery, Kysely } from "kysely";
import postgres from "postgres";
import type { DB } from "../src/db/schema.ts";
import { dueSoonClaim, overdueClaim, type TaskFilter, taskListQuery } from "../src/modules/tasks/tasks.repository.ts";

export interface PlanLine {
  name: string;
  mode: "custom" | "generic";
  ms: number;
  buffers: number;
  reads: string;
}

interface Node {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: Node[];
}
const flatten = (n: Node): Node[] => [n, ...(n.Plans ?? []).flatMap(flatten)];

function literal(value: unknown): string {
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (typeof value === "number") return String(value);
  // An array parameter (`= any($1::text[])`): PostgreSQL's array literal.
  if (Array.isArray(value)) return literal(`{${value.map((v) => `"${String(v).replace(/["\\]/g, "\\$&")}"`).join(",")}}`);
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** Run one statement prepared, under a plan cache mode; best of 3; rolled back. */
async function explainOne(
  sqlText: string,
  params: readonly unknown[],
  mode: "custom" | "generic",
  run: postgres.Sql,
): Promise<Omit<PlanLine, "name">> {
  let best: Omit<PlanLine, "name"> | undefined;
  for (let i = 0; i < 3; i++) {
    await run
      .begin(async (tx) => {
        await tx.unsafe(`SET LOCAL plan_cache_mode = force_${mode}_plan`);
        await tx.unsafe(`PREPARE bench_probe AS ${sqlText}`);
        const args = params.length ? `(${params.map(literal).join(", ")})` : "";
        const [row] = await tx.unsafe(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE bench_probe${args}`);
        if (!row) throw new Error("EXPLAIN returned nothing");
        const root = (row["QUERY PLAN"] as [{ Plan: Node; "Execution Time": number }])[0];
        const nodes = flatten(root.Plan);
        const reads = nodes
          .filter((n) => /Scan/.test(n["Node Type"]) && n["Node Type"] !== "Bitmap Heap Scan" && n["Node Type"] !== "CTE Scan")
          .filter(
            (n) =>
              n["Relation Name"] !== "coalition" &&
              n["Relation Name"] !== "campaign" &&
              n["Relation Name"] !== "person" &&
              n["Relation Name"] !== "organisation",
          )
          .map((n) => `${n["Node Type"].replace(" Scan", "")}${n["Index Name"] ? ` ${n["Index Name"]}` : ` ${n["Relation Name"] ?? ""}`}`);
        const sorted = nodes.some((n) => n["Node Type"].includes("Sort")) ? " +Sort" : "";
        const line = {
          mode,
          ms: root["Execution Time"],
          buffers: (root.Plan["Shared Hit Blocks"] ?? 0) + (root.Plan["Shared Read Blocks"] ?? 0),
          reads: [...new Set(reads)].join(", ") + sorted,
        };
        if (!best || line.ms < best.ms) best = line;
        await tx.unsafe("DEALLOCATE bench_probe");
        throw new Rollback();
      })
      .catch((error) => {
        if (!(error instanceof Rollback)) throw error;
      });
  }
  if (!best) throw new Error("no plan");
  return best;
}
class Rollback extends Error {}

const orCursor = (query: CompiledQuery): CompiledQuery => ({
  ...query,
  // The old shape: `(a < x OR (a = x AND id < y))`, a filter rather than an index condition.
  sql: query.sql.replace(
    /\("t"\."updated_at", "t"\."id"\) < \((\$\d+), (\$\d+)\)/,
    (_, at: string, id: string) => `("t"."updated_at" < ${at} or ("t"."updated_at" = ${at} and "t"."id" < ${id}))`,
  ),
});

const OLD_DUE_SOON = `WITH due AS MATERIALIZED (
  SELECT t.id FROM task t JOIN coalition c ON c.id = t.coalition_id
  WHERE t.due_on IS NOT NULL AND t.status NOT IN ('done', 'cancelled') AND t.reminded_due_at IS NULL
    AND ((t.due_on + 1)::timestamp AT TIME ZONE c.time_zone) - interval '48 hours' <= now()
    AND ((t.due_on + 1)::timestamp AT TIME ZONE c.time_zone) > now()
  ORDER BY t.due_on LIMIT $1 FOR UPDATE OF t SKIP LOCKED)
UPDATE task SET reminded_due_at = now() FROM due WHERE task.id = due.id RETURNING task.id`;
const OLD_OVERDUE = `WITH due AS MATERIALIZED (
  SELECT t.id FROM task t JOIN coalition c ON c.id = t.coalition_id
  WHERE t.due_on IS NOT NULL AND t.status NOT IN ('done', 'cancelled') AND t.reminded_overdue_at IS NULL
    AND ((t.due_on + 1)::timestamp AT TIME ZONE c.time_zone) <= now()
  ORDER BY t.due_on LIMIT $1 FOR UPDATE OF t SKIP LOCKED)
UPDATE task SET reminded_overdue_at = now(), reminded_due_at = coalesce(task.reminded_due_at, now()) FROM due WHERE task.id = due.id RETURNING task.id`;
const NOTIFICATION_CLAIM = `WITH due AS MATERIALIZED (
  SELECT n.id FROM notification n JOIN person p ON p.id = n.person_id
  WHERE n.emailed_at IS NULL AND p.notify_email = 'immediate' AND p.disabled_at IS NULL
    AND n.created_at > now() - interval '1 day'
  ORDER BY n.created_at LIMIT $1 FOR UPDATE OF n SKIP LOCKED)
UPDATE notification SET emailed_at = now() FROM due WHERE notification.id = due.id RETURNING notification.id`;
const OUTBOX_CLAIM = (before: boolean) => `WITH due AS MATERIALIZED (
  SELECT id FROM outbox_email WHERE status = ${before ? "$2" : "'pending'"} AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
UPDATE outbox_email SET attempts = outbox_email.attempts + 1, next_attempt_at = now() + interval '60 seconds' FROM due WHERE outbox_email.id = due.id RETURNING outbox_email.id`;
const NOTIFICATION_LIST = (unread: boolean, cursor: boolean, before: boolean) =>
  `SELECT id, kind, message_key, params, link, coalition_id, read_at, created_at FROM notification
   WHERE person_id = $1 ${unread ? "AND read_at IS NULL" : ""}
   ${cursor ? (before ? "AND (created_at < $2 OR (created_at = $2 AND id < $3))" : "AND (created_at, id) < ($2, $3)") : ""}
   ORDER BY created_at DESC, id DESC LIMIT 21`;
const AUDIT_LIST = `SELECT e.id::text, e.action, e.actor_id, p.display_name, e.target_type, e.target_id, e.created_at
  FROM audit_event e LEFT JOIN person p ON p.id = e.actor_id
  WHERE (e.coalition_id = $1 OR (e.coalition_id IS NULL AND e.target_type = 'organisation'
    AND e.target_id IN (SELECT organisation_id::text FROM coalition_member WHERE coalition_id = $1)))
  AND ($2::bigint IS NULL OR e.id < $2::bigint)
  ORDER BY e.id DESC LIMIT 51`;

export async function explainAll(db: Kysely<DB>, url: string, shape: "before" | "after" = "after"): Promise<PlanLine[]> {
  const run = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [ids] = await run`
      SELECT c.id AS coalition, c.time_zone,
        (SELECT id FROM campaign WHERE coalition_id = c.id ORDER BY (SELECT max(updated_at) FROM task WHERE campaign_id = campaign.id) ASC NULLS LAST LIMIT 1) AS old_campaign,
        (SELECT campaign_id FROM task WHERE coalition_id = c.id AND campaign_id IS NOT NULL ORDER BY updated_at DESC LIMIT 1) AS new_campaign,
        (SELECT assignee_organisation_id FROM task WHERE coalition_id = c.id AND assignee_organisation_id IS NOT NULL ORDER BY updated_at DESC LIMIT 1) AS organisation,
        (SELECT assignee_person_id FROM task WHERE coalition_id = c.id AND assignee_person_id IS NOT NULL ORDER BY updated_at DESC LIMIT 1) AS person,
        (SELECT person_id FROM notification ORDER BY created_at DESC LIMIT 1) AS reader
      FROM coalition c ORDER BY (SELECT count(*) FROM task WHERE coalition_id = c.id) DESC LIMIT 1`;
    if (!ids) throw new Error("no coalition: seed the database first");
    const at = async (where: string, offset: number) => {
      const [row] = await run.unsafe(`SELECT updated_at, id FROM task WHERE ${where} ORDER BY updated_at DESC, id DESC
        OFFSET least(${offset}, (SELECT count(*) / 2 FROM task WHERE ${where})) LIMIT 1`);
      return row ? { at: row.updated_at as Date, id: row.id as string } : undefined;
    };
    const base: TaskFilter = { coalitionId: ids.coalition, timeZone: ids.time_zone, limit: 50 };
    const lists: [string, TaskFilter][] = [
      ["board, old campaign, page 1", { ...base, campaignId: ids.old_campaign, limit: 100 }],
      [
        "board, old campaign, row 200+",
        { ...base, campaignId: ids.old_campaign, limit: 100, cursor: await at(`campaign_id = '${ids.old_campaign}'`, 200) },
      ],
      ["board, recent campaign, page 1", { ...base, campaignId: ids.new_campaign, limit: 100 }],
      [
        "board, recent campaign, row 5000+",
        { ...base, campaignId: ids.new_campaign, limit: 100, cursor: await at(`campaign_id = '${ids.new_campaign}'`, 5000) },
      ],
      ["board column (status=todo)", { ...base, campaignId: ids.new_campaign, statuses: ["todo"] }],
      ["all tasks, page 1", base],
      ["all tasks, row 10000+", { ...base, cursor: await at(`coalition_id = '${ids.coalition}'`, 10000) }],
      ["overdue view", { ...base, overdue: true }],
      ["label + priority", { ...base, label: "ribbons", priority: "urgent" }],
      ["organisation filter", { ...base, organisationIds: [ids.organisation] }],
      ["mine (person)", { ...base, personId: ids.person }],
      ["open tasks (3 statuses)", { ...base, statuses: ["todo", "in_progress", "blocked"] }],
    ];
    const statements: [string, CompiledQuery | { sql: string; parameters: unknown[] }][] = lists.map(([name, f]) => {
      const compiled = taskListQuery(db, f).compile();
      return [name, shape === "before" ? orCursor(compiled) : compiled];
    });
    const [note] = await run`SELECT created_at, id FROM notification WHERE person_id = ${ids.reader} ORDER BY created_at DESC, id DESC
      OFFSET least(200, (SELECT count(*) / 2 FROM notification WHERE person_id = ${ids.reader})) LIMIT 1`;
    statements.push(
      ["reminders: due-soon claim", shape === "before" ? { sql: OLD_DUE_SOON, parameters: [200] } : dueSoonClaim(200).compile(db)],
      ["reminders: overdue claim", shape === "before" ? { sql: OLD_OVERDUE, parameters: [200] } : overdueClaim(200).compile(db)],
      ["notification email claim", { sql: NOTIFICATION_CLAIM, parameters: [100] }],
      ["outbox claim", { sql: OUTBOX_CLAIM(shape === "before"), parameters: shape === "before" ? [10, "pending"] : [10] }],
      ["notifications, page 1", { sql: NOTIFICATION_LIST(false, false, shape === "before"), parameters: [ids.reader] }],
      [
        "notifications, row 200+",
        { sql: NOTIFICATION_LIST(false, true, shape === "before"), parameters: [ids.reader, note?.created_at, note?.id] },
      ],
      ["notifications, unread only", { sql: NOTIFICATION_LIST(true, false, shape === "before"), parameters: [ids.reader] }],
      ["audit log, page 1", { sql: AUDIT_LIST, parameters: [ids.coalition, null] }],
    );
    const out: PlanLine[] = [];
    for (const [name, q] of statements)
      for (const mode of ["custom", "generic"] as const) {
        const params = q.parameters.map((p) => (p === null ? "NULL" : p));
        const text = params.includes("NULL") ? q.sql.replace(/\$2::bigint/g, "NULL::bigint").replace(/\$2/g, "NULL") : q.sql;
        out.push({
          name,
          ...(await explainOne(
            text,
            params.filter((p) => p !== "NULL"),
            mode,
            run,
          )),
        });
      }
    return out;
  } finally {
    await run.end();
  }
}

export function printPlans(lines: PlanLine[]) {
  const w = Math.max(...lines.map((l) => l.name.length));
  for (const l of lines)
    console.log(
      `${l.name.padEnd(w)}  ${l.mode.padEnd(7)} ${l.ms.toFixed(3).padStart(10)} ms ${String(l.buffers).padStart(8)} buf  ${l.reads}`,
    );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("set DATABASE_URL to a seeded database");
  const { createDatabase } = await import("../src/db/client.ts");
  const handle = createDatabase({ url, maxConnections: 1 });
  try {
    printPlans(await explainAll(handle.db, url, process.argv.includes("before") ? "before" : "after"));
  } finally {
    await handle.close();
  }
}
