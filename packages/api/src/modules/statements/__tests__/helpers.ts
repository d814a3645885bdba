import { type BallotReceipt, Statement } from "@samakki/shared/statements";
import { sql } from "kysely";
import { expect } from "vitest";
import type { TestClient, TestContext } from "../../../../test/app.ts";
import { addMember, createOrganisation, createPerson, type createWorld, signInAs, unique } from "../../../../test/factories/index.ts";

export type World = Awaited<ReturnType<typeof createWorld>>;

/**
 * The shared `Statement`, under the name some tests still import (statement-permissions.test.ts).
 * Read answers with `res.json(Statement)`, or `client.get<Statement>()` on a route declared with it:
 * the app's response check holds the body to that schema in tests.
 */
export type StatementView = Statement;

/** A local date-time ("YYYY-MM-DDTHH:mm") in the coalition's zone (Asia/Phnom_Penh, UTC+7, no DST) `ms` from now. */
export function localIn(ms: number, offsetHours = 7): string {
  return new Date(Date.now() + ms + offsetHours * 3600_000).toISOString().slice(0, 16);
}
export const HOUR = 3600_000;

export const statementsUrl = (w: World) => `/api/coalitions/${w.coalition.id}/statements`;

export async function draft(w: World, client: TestClient, text: { title?: string; bodyEn?: string; bodyKm?: string } = {}) {
  const res = await client.post(statementsUrl(w), {
    title: text.title ?? unique("Statement"),
    bodyEn: text.bodyEn ?? "We stand for **free expression**.",
    bodyKm: text.bodyKm ?? "យើងគាំទ្រសេរីភាពនៃការបញ្ចេញមតិ។",
  });
  expect(res.status, res.text).toBe(201);
  const statement = res.json(Statement);
  return { url: `${statementsUrl(w)}/${statement.id}`, statement };
}

export async function open(
  w: World,
  url: string,
  versionId: string,
  options: { quorum?: number; threshold?: string; totalsVisible?: boolean; closesAt?: string } = {},
) {
  const res = await w.clients.coordinator.post(`${url}/vote`, {
    versionId,
    quorum: options.quorum ?? 0.5,
    threshold: options.threshold ?? "majority",
    closesAt: options.closesAt ?? localIn(2 * HOUR),
    totalsVisible: options.totalsVisible ?? false,
  });
  expect(res.status, res.text).toBe(201);
  const vote = res.json(Statement).vote;
  if (!vote) throw new Error("no vote after opening");
  return vote;
}

/** A draft, with a vote opened on its first version. */
export async function draftAndOpen(w: World, options: Parameters<typeof open>[3] & { text?: Parameters<typeof draft>[2] } = {}) {
  const { url, statement } = await draft(w, w.clients.memberA, options.text);
  const vote = await open(w, url, statement.current.id, options);
  return { url, statementId: statement.id, versionId: statement.current.id, sha256: statement.current.sha256, voteId: vote.id };
}

export function cast(client: TestClient, url: string, body: { organisationId: string; choice: string; named?: boolean; comment?: string }) {
  return client.post<BallotReceipt>(`${url}/vote/ballots`, body);
}

/** Another representative of the organisation, signed in. */
export async function addRepresentative(ctx: TestContext, organisationId: string) {
  const person = await createPerson(ctx);
  await addMember(ctx, organisationId, person.id, "member", true);
  return { person, client: await signInAs(ctx, person) };
}

/** An organisation of the coalition with one signed-in representative (its admin). */
export async function orgWithRepresentative(
  ctx: TestContext,
  coalitionId: string,
  status: "active" | "invited" | "observer" | "suspended" = "active",
) {
  const org = await createOrganisation(ctx, coalitionId, { name: unique("Org"), status });
  const rep = await addRepresentative(ctx, org.id);
  return { org, ...rep };
}

/**
 * What row counts cannot show of statements and votes: each one's status. A refused request must
 * change neither (the row counts of every table are `snapshotCounts` of test/permissions.ts).
 */
export async function statementStates(ctx: TestContext) {
  const statuses = await sql<{ s: string }>`SELECT string_agg(id || ':' || status, ',' ORDER BY id) AS s FROM statement`.execute(ctx.db);
  const votes = await sql<{ s: string }>`SELECT string_agg(id || ':' || status, ',' ORDER BY id) AS s FROM vote`.execute(ctx.db);
  return { statuses: statuses.rows[0]?.s ?? "", votes: votes.rows[0]?.s ?? "" };
}

/** The one problem+json check of the API's tests (test/permissions.ts), for the statement and vote tests' imports. */
export { expectProblem } from "../../../../test/permissions.ts";

export async function ballotsOf(ctx: TestContext, voteId: string) {
  return ctx.db.selectFrom("ballot").where("vote_id", "=", voteId).selectAll().orderBy("cast_at").execute();
}

export async function auditOf(ctx: TestContext, targetId: string, actions: string[]) {
  return ctx.db.selectFrom("audit_event").where("target_id", "=", targetId).where("action", "in", actions).selectAll().execute();
}

/** Notifications of one kind whose link points at the statement, per person. */
export async function notificationsPerPerson(ctx: TestContext, kind: string, statementId: string) {
  const rows = await ctx.db
    .selectFrom("notification")
    .where("kind", "=", kind)
    .where("link", "like", `%${statementId}%`)
    .select("person_id")
    .execute();
  const per = new Map<string, number>();
  for (const r of rows) per.set(r.person_id, (per.get(r.person_id) ?? 0) + 1);
  return per;
}
