import type { Executor } from "../../lib/transaction.ts";
import type { PublishedSignatory } from "./statement-text.ts";
import { anonymousEndorsements, countedReceipts, signatoriesOf } from "./statements.repository.ts";

const collator = new Intl.Collator(["km", "en"], { sensitivity: "base" });

/** Signatories for display: the snapshot taken at the close, in the reader's alphabetical order. */
export async function publishedSignatories(db: Executor, voteId: string): Promise<PublishedSignatory[]> {
  const rows = await signatoriesOf(db, voteId);
  return rows.map((r) => ({ name: r.name, shortName: r.short_name })).sort((a, b) => collator.compare(a.name, b.name));
}

/**
 * What the public may know of a published statement: its frozen text, dates, fingerprints, the
 * organisations that endorsed and agreed to be named (with their names as they were at the close),
 * how many endorsed anonymously, and the receipts of the counted ballots. Never: objectors,
 * abstainers, anonymous endorsers, drafts.
 */
export async function findPublishedStatement(db: Executor, statementId: string) {
  const row = await db
    .selectFrom("statement as s")
    .innerJoin("coalition as c", "c.id", "s.coalition_id")
    .innerJoin("vote as v", "v.id", "s.adopted_vote_id")
    .innerJoin("statement_version as sv", "sv.id", "v.version_id")
    .where("s.id", "=", statementId)
    .where("s.status", "=", "published")
    .where("v.status", "=", "closed")
    .where("v.outcome", "=", "adopted")
    .select([
      "s.id",
      "s.published_at",
      "s.publication_sha256",
      "c.name as coalition_name",
      "c.slug as coalition_slug",
      "c.time_zone",
      "v.id as vote_id",
      "v.closed_at",
      "sv.title",
      "sv.body_en",
      "sv.body_km",
      "sv.sha256",
      "sv.number",
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...row,
    signatories: await publishedSignatories(db, row.vote_id),
    anonymousCount: await anonymousEndorsements(db, row.vote_id),
    receipts: await countedReceipts(db, row.vote_id),
  };
}

/**
 * A coalition's published statements, newest first, by the coalition's slug. One query for a
 * coalition without publications and for an unknown slug alike, so the feed cannot tell them apart.
 */
export function publishedStatementsOf(db: Executor, coalitionSlug: string, limit = 50) {
  return db
    .selectFrom("statement as s")
    .innerJoin("coalition as c", "c.id", "s.coalition_id")
    .innerJoin("vote as v", "v.id", "s.adopted_vote_id")
    .innerJoin("statement_version as sv", "sv.id", "v.version_id")
    .where("c.slug", "=", coalitionSlug)
    .where("s.status", "=", "published")
    .select([
      "s.id",
      "s.published_at",
      "sv.title",
      "sv.body_en",
      "sv.body_km",
      "v.id as vote_id",
      "c.name as coalition_name",
      "c.slug as coalition_slug",
    ])
    .orderBy("s.published_at", "desc")
    .orderBy("s.id", "desc")
    .limit(limit)
    .execute();
}

/** The snapshot signatories of several votes at once (for the feed), each list in display order. */
export async function publishedSignatoriesOfVotes(db: Executor, voteIds: string[]): Promise<Map<string, PublishedSignatory[]>> {
  const byVote = new Map<string, PublishedSignatory[]>();
  if (voteIds.length === 0) return byVote;
  const rows = await db.selectFrom("vote_signatory").where("vote_id", "in", voteIds).select(["vote_id", "name", "short_name"]).execute();
  for (const r of rows) {
    const list = byVote.get(r.vote_id) ?? [];
    list.push({ name: r.name, shortName: r.short_name });
    byVote.set(r.vote_id, list);
  }
  for (const list of byVote.values()) list.sort((a, b) => collator.compare(a.name, b.name));
  return byVote;
}
