import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../lib/transaction.ts";

/**
 * What a coalition's export holds: every table of its data, each with the condition that keeps
 * its rows to this coalition (`$c` is the coalition id). Tables left out on purpose:
 * notification (each person's own inbox), outbox_email and dev_mailbox (emails carry sign-in and
 * invitation links), sessions, tokens, 2FA and passkeys (credentials), rate limits, the answers
 * kept for requests sent again (idempotent_request: a day's copies of what other tables hold, ballot
 * receipts among them) and the instance's own tables. Ballots are exported as members see them after the close, never before:
 * only the counted, named endorsements of closed votes (the signatories). An open vote's ballots
 * (its totals may be hidden until the close), the earlier ballots an organisation replaced (members
 * never see another organisation's history), anonymous endorsements, objections and abstentions
 * (counted in the vote's tally, never named: docs/security.md §10) stay out.
 */
type Scope = (c: string) => RawBuilder<boolean>;

const orgs = (c: string) => sql`SELECT organisation_id FROM coalition_member WHERE coalition_id = ${c}`;
const campaigns = (c: string) => sql`SELECT id FROM campaign WHERE coalition_id = ${c}`;
const activities = (c: string) => sql`SELECT id FROM activity WHERE campaign_id IN (${campaigns(c)})`;
const metrics = (c: string) => sql`SELECT id FROM metric WHERE campaign_id IN (${campaigns(c)})`;
const petitions = (c: string) => sql`SELECT id FROM petition WHERE campaign_id IN (${campaigns(c)})`;
const statements = (c: string) => sql`SELECT id FROM statement WHERE coalition_id = ${c}`;
const votes = (c: string) => sql`SELECT id FROM vote WHERE coalition_id = ${c}`;
const closedVotes = (c: string) => sql`SELECT id FROM vote WHERE coalition_id = ${c} AND status = 'closed'`;
const tasks = (c: string) => sql`SELECT id FROM task WHERE coalition_id = ${c}`;
const ownColumn: Scope = (c) => sql<boolean>`coalition_id = ${c}`;

export const EXPORT_TABLES: Record<string, Scope> = {
  coalition: (c) => sql<boolean>`id = ${c}`,
  coalition_member: ownColumn,
  organisation: (c) => sql<boolean>`id IN (${orgs(c)})`,
  person: (c) =>
    sql<boolean>`id IN (SELECT person_id FROM coordinator WHERE coalition_id = ${c} UNION SELECT person_id FROM membership WHERE organisation_id IN (${orgs(c)}))`,
  membership: (c) => sql<boolean>`organisation_id IN (${orgs(c)})`,
  coordinator: ownColumn,
  invitation: ownColumn,
  campaign: ownColumn,
  campaign_organisation: (c) => sql<boolean>`campaign_id IN (${campaigns(c)})`,
  campaign_update: (c) => sql<boolean>`campaign_id IN (${campaigns(c)})`,
  activity: (c) => sql<boolean>`campaign_id IN (${campaigns(c)})`,
  march_stage: (c) => sql<boolean>`activity_id IN (${activities(c)})`,
  signup: (c) => sql<boolean>`activity_id IN (${activities(c)})`,
  signup_stage: (c) => sql<boolean>`signup_id IN (SELECT id FROM signup WHERE activity_id IN (${activities(c)}))`,
  metric: (c) => sql<boolean>`campaign_id IN (${campaigns(c)})`,
  contribution: (c) => sql<boolean>`metric_id IN (${metrics(c)})`,
  contribution_revision: (c) => sql<boolean>`contribution_id IN (SELECT id FROM contribution WHERE metric_id IN (${metrics(c)}))`,
  task: ownColumn,
  task_comment: (c) => sql<boolean>`task_id IN (${tasks(c)})`,
  task_event: (c) => sql<boolean>`task_id IN (${tasks(c)})`,
  task_watcher: (c) => sql<boolean>`task_id IN (${tasks(c)})`,
  statement: ownColumn,
  statement_version: (c) => sql<boolean>`statement_id IN (${statements(c)})`,
  statement_comment: (c) => sql<boolean>`version_id IN (SELECT id FROM statement_version WHERE statement_id IN (${statements(c)}))`,
  vote: ownColumn,
  vote_eligible: (c) => sql<boolean>`vote_id IN (${votes(c)})`,
  vote_signatory: (c) => sql<boolean>`vote_id IN (${votes(c)})`,
  ballot: (c) => sql<boolean>`named AND choice = 'endorse' AND superseded_at IS NULL AND vote_id IN (${closedVotes(c)})`,
  letter_target: ownColumn,
  letter_action: ownColumn,
  letter_action_target: (c) => sql<boolean>`action_id IN (SELECT id FROM letter_action WHERE coalition_id = ${c})`,
  letter_start_count: (c) => sql<boolean>`action_id IN (SELECT id FROM letter_action WHERE coalition_id = ${c})`,
  letter: ownColumn,
  letter_reply: (c) => sql<boolean>`letter_id IN (SELECT id FROM letter WHERE coalition_id = ${c})`,
  petition: (c) => sql<boolean>`campaign_id IN (${campaigns(c)})`,
  petition_signature: (c) => sql<boolean>`petition_id IN (${petitions(c)})`,
  petition_province_tally: (c) => sql<boolean>`petition_id IN (${petitions(c)})`,
  petition_paper_sheet: (c) => sql<boolean>`petition_id IN (${petitions(c)})`,
  petition_paper_sheet_revision: (c) =>
    sql<boolean>`sheet_id IN (SELECT id FROM petition_paper_sheet WHERE petition_id IN (${petitions(c)}))`,
  audit_event: ownColumn,
};

/** The table's columns, in order (for CSV headers, also when it has no rows). */
export async function tableColumns(db: Executor, table: string): Promise<string[]> {
  const result = await sql<{ name: string }>`
    SELECT column_name::text AS name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${table} ORDER BY ordinal_position`.execute(db);
  return result.rows.map((r) => r.name);
}

/** The rows of one table that belong to the coalition, each as a JSON object (the same on both engines). */
export async function tableRows(db: Executor, table: string, coalitionId: string): Promise<Record<string, unknown>[]> {
  const scope = EXPORT_TABLES[table];
  if (!scope) throw new Error(`not an exported table: ${table}`);
  const result = await sql<{
    row: Record<string, unknown>;
  }>`SELECT to_jsonb(t) AS row FROM ${sql.table(table)} t WHERE ${scope(coalitionId)}`.execute(db);
  return result.rows.map((r) => r.row);
}
