import type { Executor } from "../../lib/transaction.ts";

/**
 * What the public may know of a published statement: its frozen text, dates, fingerprint, the
 * organisations that endorsed and agreed to be named, how many endorsed anonymously, and the
 * receipts of the counted ballots. Never: objectors, abstainers, anonymous endorsers, drafts.
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
  const endorsers = await db
    .selectFrom("ballot as b")
    .innerJoin("organisation as o", "o.id", "b.organisation_id")
    .where("b.vote_id", "=", row.vote_id)
    .where("b.superseded_at", "is", null)
    .where("b.choice", "=", "endorse")
    .select(["o.name", "o.short_name", "b.named"])
    .execute();
  const receipts = await db
    .selectFrom("ballot")
    .where("vote_id", "=", row.vote_id)
    .where("superseded_at", "is", null)
    .select("receipt")
    .orderBy("receipt")
    .execute();
  const collator = new Intl.Collator(["km", "en"], { sensitivity: "base" });
  return {
    ...row,
    signatories: endorsers
      .filter((e) => e.named)
      .map((e) => ({ name: e.name, shortName: e.short_name }))
      .sort((a, b) => collator.compare(a.name, b.name)),
    anonymousCount: endorsers.filter((e) => !e.named).length,
    receipts: receipts.map((r) => r.receipt),
  };
}

export function publishedStatementsOf(db: Executor, coalitionSlug: string, limit = 50) {
  return db
    .selectFrom("statement as s")
    .innerJoin("coalition as c", "c.id", "s.coalition_id")
    .innerJoin("vote as v", "v.id", "s.adopted_vote_id")
    .innerJoin("statement_version as sv", "sv.id", "v.version_id")
    .where("c.slug", "=", coalitionSlug)
    .where("s.status", "=", "published")
    .select(["s.id", "s.published_at", "sv.title", "sv.body_en", "sv.body_km", "c.name as coalition_name", "c.id as coalition_id"])
    .orderBy("s.published_at", "desc")
    .limit(limit)
    .execute();
}

export function findCoalitionBySlug(db: Executor, slug: string) {
  return db.selectFrom("coalition").where("slug", "=", slug).select(["id", "name", "slug"]).executeTakeFirst();
}
