import type { Choice, Outcome, StatementStatus, Tally, Threshold } from "@samakki/shared/statements";
import type { Generated } from "kysely";

export interface StatementTable {
  id: Generated<string>;
  coalition_id: string;
  campaign_id: string | null;
  title: string;
  status: Generated<StatementStatus>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  adopted_vote_id: string | null;
  published_at: Date | null;
  published_by: string | null;
  /** SHA-256 of the publication record (text and signatories), taken at publication; null if published before it existed. */
  publication_sha256: string | null;
}

export interface StatementVersionTable {
  id: Generated<string>;
  statement_id: string;
  number: number;
  title: string;
  body_en: string;
  body_km: string;
  sha256: string;
  author_id: string | null;
  created_at: Generated<Date>;
}

export interface StatementCommentTable {
  id: Generated<string>;
  version_id: string;
  author_id: string;
  body: string;
  created_at: Generated<Date>;
}

export interface VoteTable {
  id: Generated<string>;
  statement_id: string;
  version_id: string;
  coalition_id: string;
  status: Generated<"open" | "closed" | "cancelled">;
  /** numeric(4,3): a string when read. */
  quorum: string | number;
  threshold: Threshold;
  closes_at: Date;
  totals_visible: boolean;
  opened_by: string | null;
  opened_at: Generated<Date>;
  closed_at: Date | null;
  outcome: Outcome | null;
  tally: Tally | null;
  closing_reminder_at: Date | null;
}

export interface VoteEligibleTable {
  vote_id: string;
  organisation_id: string;
}

export interface BallotTable {
  id: Generated<string>;
  vote_id: string;
  organisation_id: string;
  choice: Choice;
  named: boolean;
  comment: string;
  cast_by: string | null;
  cast_at: Date;
  nonce: string;
  receipt: string;
  superseded_at: Date | null;
}

/**
 * The named endorsers of an adopted vote, with their names as they were at the close: filled by
 * the database when the vote closes as adopted (trigger `vote_signatory_at_close`), never updated.
 * Everything published reads this copy, never the live organisation row.
 */
export interface VoteSignatoryTable {
  vote_id: string;
  organisation_id: string;
  name: string;
  short_name: string | null;
  /** The second name at the close; null for votes closed before second names existed. */
  second_name: string | null;
  second_name_language: "en" | "km" | null;
  created_at: Generated<Date>;
}
