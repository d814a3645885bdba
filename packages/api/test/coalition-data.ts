import { sql } from "kysely";
import { loadDemo } from "../src/scripts/demo/load.ts";
import type { TestContext } from "./app.ts";
import { unique } from "./factories/index.ts";
import { testHasher } from "./passwords.ts";

type Db = TestContext["db"];
type Row = Record<string, unknown>;
let demoHash: Promise<string> | undefined;

/**
 * A coalition with rows in every table that holds coalition data: the demo (campaign, activities
 * and march stages, metrics, contributions, tasks, statements, votes and ballots, audit events),
 * renamed so its names are its own, plus a signature and another paper sheet with its revision on
 * its petition, letters to a target with a reply, a public sign-up, a notification and an email.
 */
export async function richCoalition(ctx: TestContext, label: string) {
  demoHash ??= testHasher.hash("samakki-demo-2026");
  const domain = `${unique(label)}.example.org`.toLowerCase();
  const loaded = await loadDemo(ctx.deps, {
    slug: unique(label).toLowerCase(),
    email: (local) => `${local}@${domain}`,
    passwordHash: await demoHash,
  });
  const c = loaded.coalitionId;
  const name = unique(`Coalition ${label}`);
  const db = ctx.db;
  await db.updateTable("coalition").set({ name }).where("id", "=", c).execute();
  await sql`UPDATE organisation SET name = name || ${` ${label}-${c.slice(0, 8)}`} WHERE id IN (SELECT organisation_id FROM coalition_member WHERE coalition_id = ${c})`.execute(
    db,
  );
  await sql`UPDATE person SET display_name = display_name || ${` ${label}-${c.slice(0, 8)}`} WHERE email LIKE ${`%@${domain}`}`.execute(db);

  const campaign = await db.selectFrom("campaign").where("coalition_id", "=", c).select("id").executeTakeFirstOrThrow();
  const activity = await db.selectFrom("activity").where("campaign_id", "=", campaign.id).select("id").executeTakeFirstOrThrow();
  const org = await db.selectFrom("coalition_member").where("coalition_id", "=", c).select("organisation_id").executeTakeFirstOrThrow();
  const coordinator = await db.selectFrom("coordinator").where("coalition_id", "=", c).select("person_id").executeTakeFirstOrThrow();

  const petition =
    // The demo's own petition, renamed.
    (
      await sql<{
        id: string;
      }>`UPDATE petition SET title_km = 'ញត្តិ', title_en = ${`Petition ${label}`} WHERE campaign_id = ${campaign.id} RETURNING id`.execute(
        db,
      )
    ).rows[0];
  if (!petition) throw new Error("no petition");
  await sql`INSERT INTO petition_signature (petition_id, email_key, email, name, province, language, confirm_token_hash, withdraw_token_hash)
    VALUES (${petition.id}, ${`key-${unique("k")}`}, ${`signer@${domain}`}, ${`Signer ${label}`}, 'KH-12', 'km', ${`confirmhash${unique("t")}`}, ${`withdrawhash${unique("t")}`})`.execute(
    db,
  );
  await sql`INSERT INTO petition_province_tally (petition_id, province, count) VALUES (${petition.id}, 'KH-12', 1)`.execute(db);
  const sheet = (
    await sql<{ id: string }>`INSERT INTO petition_paper_sheet (petition_id, organisation_id, count, province, counted_on, created_by)
      VALUES (${petition.id}, ${org.organisation_id}, 40, 'KH-12', '2026-11-20', ${coordinator.person_id}) RETURNING id`.execute(db)
  ).rows[0];
  if (!sheet) throw new Error("no sheet");
  await sql`INSERT INTO petition_paper_sheet_revision (sheet_id, revision, count, province, counted_on, note, changed_by)
    VALUES (${sheet.id}, 1, 40, 'KH-12', '2026-11-20', 'first count', ${coordinator.person_id})`.execute(db);

  const target = (
    await sql<{
      id: string;
    }>`INSERT INTO letter_target (coalition_id, name_en, province) VALUES (${c}, ${`MP ${label}`}, 'KH-12') RETURNING id`.execute(db)
  ).rows[0];
  const action = (
    await sql<{ id: string }>`INSERT INTO letter_action (coalition_id, campaign_id, title, created_by)
      VALUES (${c}, ${campaign.id}, ${`Letters ${label}`}, ${coordinator.person_id}) RETURNING id`.execute(db)
  ).rows[0];
  if (!target || !action) throw new Error("no letter action");
  await sql`INSERT INTO letter_action_target (action_id, target_id) VALUES (${action.id}, ${target.id})`.execute(db);
  await sql`INSERT INTO letter_start_count (action_id, day, count) VALUES (${action.id}, '2026-11-20', 3)`.execute(db);
  const letter = (
    await sql<{ id: string }>`INSERT INTO letter (coalition_id, action_id, target_id, organisation_id, sent_on, channel, recorded_by)
      VALUES (${c}, ${action.id}, ${target.id}, ${org.organisation_id}, '2026-11-21', 'hand', ${coordinator.person_id}) RETURNING id`.execute(
      db,
    )
  ).rows[0];
  if (!letter) throw new Error("no letter");
  await sql`INSERT INTO letter_reply (letter_id, received_on, summary, stance, recorded_by)
    VALUES (${letter.id}, '2026-11-25', 'will consider', 'undecided', ${coordinator.person_id})`.execute(db);

  const signup = (
    await sql<{ id: string }>`INSERT INTO signup (activity_id, name, email, contact_key, confirm_token_hash)
      VALUES (${activity.id}, ${`Marcher ${label}`}, ${`marcher@${domain}`}, ${`contact-${unique("k")}`}, ${`signuphash${unique("t")}`}) RETURNING id`.execute(
      db,
    )
  ).rows[0];
  if (!signup) throw new Error("no signup");
  await sql`INSERT INTO signup_stage (signup_id, position) VALUES (${signup.id}, 1)`.execute(db);

  await sql`INSERT INTO statement_comment (version_id, author_id, body)
    SELECT v.id, ${coordinator.person_id}, 'a comment' FROM statement_version v JOIN statement s ON s.id = v.statement_id WHERE s.coalition_id = ${c} LIMIT 1`.execute(
    db,
  );
  await sql`INSERT INTO task_comment (task_id, author_id, body)
    SELECT id, ${coordinator.person_id}, 'a task comment' FROM task WHERE coalition_id = ${c} LIMIT 1`.execute(db);

  await sql`INSERT INTO notification (person_id, coalition_id, kind, message_key, params, link)
    VALUES (${coordinator.person_id}, ${c}, 'test', 'notifications.organisation_joined', '{"organisation":"x"}'::jsonb, ${`/c/${c}`})`.execute(
    db,
  );
  // To someone outside the coalition (an invited contact, the press): only the coalition's deletion removes it.
  await sql`INSERT INTO outbox_email (to_address, template, language, subject, html, text, coalition_id)
    VALUES (${`press-${label.toLowerCase()}@elsewhere.example`}, 'test', 'en', ${`About ${name}`}, '<p>x</p>', 'x', ${c})`.execute(db);

  return { coalitionId: c, name, domain, coordinatorId: coordinator.person_id, organisationIds: [...loaded.orgIds.values()] };
}

/** Every base table of the schema, and every foreign key between them (child columns → parent columns). */
export async function schemaGraph(db: Db) {
  const tables = (
    await sql<{ name: string }>`SELECT table_name::text AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`.execute(db)
  ).rows.map((r) => r.name);
  const withCoalitionId = (
    await sql<{ name: string }>`SELECT table_name::text AS name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name = 'coalition_id' ORDER BY 1`.execute(db)
  ).rows.map((r) => r.name);
  const fks = (
    await sql<{ child: string; parent: string; child_cols: string; parent_cols: string }>`
      SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
        (SELECT string_agg(a.attname::text, ',' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS child_cols,
        (SELECT string_agg(a.attname::text, ',' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i)
          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS parent_cols
      FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace
      WHERE c.contype = 'f' AND ns.nspname = current_schema()`.execute(db)
  ).rows.map((r) => ({ child: r.child, parent: r.parent, childCols: r.child_cols.split(","), parentCols: r.parent_cols.split(",") }));
  return { tables, withCoalitionId, fks };
}

export type SchemaGraph = Awaited<ReturnType<typeof schemaGraph>>;

/** Every row of every table, as JSON objects. */
export async function allRows(db: Db, graph: SchemaGraph): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of graph.tables) {
    const result = await sql<{ row: Row }>`SELECT to_jsonb(t) AS row FROM ${sql.table(table)} t`.execute(db);
    out[table] = result.rows.map((r) => r.row);
  }
  return out;
}

/**
 * The rows that reach the coalition: its own row, every row with its coalition_id, and, by
 * following every foreign key from parent to child until nothing changes, every row that refers
 * to one of those. Returned as JSON texts per table.
 */
export function rowsReaching(graph: SchemaGraph, rows: Record<string, Row[]>, coalitionId: string, ignore: string[] = []) {
  const owned = new Map<string, Set<number>>();
  const own = (table: string, index: number) => {
    const set = owned.get(table) ?? new Set<number>();
    owned.set(table, set);
    if (set.has(index)) return false;
    set.add(index);
    return true;
  };
  for (const [table, list] of Object.entries(rows)) {
    if (ignore.includes(table)) continue;
    list.forEach((row, i) => {
      if ((table === "coalition" && row.id === coalitionId) || (graph.withCoalitionId.includes(table) && row.coalition_id === coalitionId))
        own(table, i);
    });
  }
  const key = (row: Row, cols: string[]) => JSON.stringify(cols.map((c) => row[c] ?? null));
  for (let changed = true; changed; ) {
    changed = false;
    for (const fk of graph.fks) {
      if (ignore.includes(fk.child)) continue;
      const parents = owned.get(fk.parent);
      if (!parents || parents.size === 0) continue;
      const parentRows = rows[fk.parent] ?? [];
      const keys = new Set([...parents].map((i) => key(parentRows[i] ?? {}, fk.parentCols)));
      (rows[fk.child] ?? []).forEach((row, i) => {
        if (fk.childCols.some((c) => row[c] === null || row[c] === undefined)) return;
        if (keys.has(key(row, fk.childCols)) && own(fk.child, i)) changed = true;
      });
    }
  }
  const out: Record<string, string[]> = {};
  for (const [table, set] of owned) out[table] = [...set].map((i) => JSON.stringify(rows[table]?.[i])).sort();
  return out;
}
