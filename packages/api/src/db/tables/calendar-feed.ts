import type { Generated } from "kysely";

/** A person's secret calendar feed: only the token's SHA-256 (hex) is stored. */
export interface CalendarFeedTable {
  person_id: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_fetched_at: Date | null;
}
