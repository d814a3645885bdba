import { secondNameOf } from "@samakki/shared/names";
import type { Executor } from "../../lib/transaction.ts";
import type { PublishedSignatory } from "./statement-text.ts";
import {
  anonymousEndorsements,
  countedReceipts,
  findPublished,
  publishedOf,
  signatoriesOf,
  signatoriesOfVotes,
} from "./statements.repository.ts";

const collator = new Intl.Collator(["km", "en"], { sensitivity: "base" });

/**
 * A snapshot row for display. The second name appears only when the snapshot has one (votes closed
 * after second names existed, from organisations that had one), so older publications keep their shape.
 */
function signatoryOf(r: {
  name: string;
  short_name: string | null;
  second_name: string | null;
  second_name_language: "en" | "km" | null;
}): PublishedSignatory {
  const secondName = secondNameOf(r.second_name, r.second_name_language);
  return { name: r.name, shortName: r.short_name, ...(secondName ? { secondName } : {}) };
}

/** Signatories for display: the snapshot taken at the close, in the reader's alphabetical order. */
export async function publishedSignatories(db: Executor, voteId: string): Promise<PublishedSignatory[]> {
  const rows = await signatoriesOf(db, voteId);
  return rows.map(signatoryOf).sort((a, b) => collator.compare(a.name, b.name));
}

/**
 * What the public may know of a published statement: its frozen text, dates, fingerprints, the
 * organisations that endorsed and agreed to be named (with their names as they were at the close),
 * how many endorsed anonymously, and the receipts of the counted ballots. Never: objectors,
 * abstainers, anonymous endorsers, drafts.
 */
export async function findPublishedStatement(db: Executor, statementId: string) {
  const row = await findPublished(db, statementId);
  if (!row) return undefined;
  // A published vote is closed: its ballots no longer change, so the three reads go at once.
  const [signatories, anonymousCount, receipts] = await Promise.all([
    publishedSignatories(db, row.vote_id),
    anonymousEndorsements(db, row.vote_id),
    countedReceipts(db, row.vote_id),
  ]);
  return { ...row, signatories, anonymousCount, receipts };
}

/**
 * A coalition's published statements, newest first, by the coalition's slug. One query for a
 * coalition without publications and for an unknown slug alike, so the feed cannot tell them apart.
 */
export function publishedStatementsOf(db: Executor, coalitionSlug: string, limit = 50) {
  return publishedOf(db, coalitionSlug, limit);
}

/** The snapshot signatories of several votes at once (for the feed), each list in display order. */
export async function publishedSignatoriesOfVotes(db: Executor, voteIds: string[]): Promise<Map<string, PublishedSignatory[]>> {
  const byVote = new Map<string, PublishedSignatory[]>();
  if (voteIds.length === 0) return byVote;
  const rows = await signatoriesOfVotes(db, voteIds);
  for (const r of rows) {
    const list = byVote.get(r.vote_id) ?? [];
    list.push(signatoryOf(r));
    byVote.set(r.vote_id, list);
  }
  for (const list of byVote.values()) list.sort((a, b) => collator.compare(a.name, b.name));
  return byVote;
}
