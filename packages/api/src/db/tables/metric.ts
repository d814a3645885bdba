import type { Generated } from "kysely";

/** numeric columns come back as strings from both drivers; they are written as numbers. */
type Numeric = string | number;

export interface MetricTable {
  id: Generated<string>;
  campaign_id: string;
  name: string;
  /** The optional name in the other language, and its language: both null or both set. */
  second_name: string | null;
  second_name_language: "en" | "km" | null;
  /** The unit in the second name's language (only with a second name). */
  second_unit: string | null;
  unit: Generated<string>;
  target: Numeric | null;
  /** 'typed': contributions typed by hand; 'letters': the delivered letters of the campaign's letter actions. */
  source: Generated<"typed" | "letters">;
  created_at: Generated<Date>;
}

export interface ContributionTable {
  id: Generated<string>;
  metric_id: string;
  organisation_id: string;
  amount: Numeric;
  contributed_on: string;
  note: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
  revision: Generated<number>;
}

export interface ContributionRevisionTable {
  contribution_id: string;
  revision: number;
  amount: Numeric;
  contributed_on: string;
  note: string;
  changed_by: string | null;
  changed_at: Generated<Date>;
}

export interface CampaignUpdateTable {
  id: Generated<string>;
  campaign_id: string;
  author_id: string;
  body: string;
  created_at: Generated<Date>;
}
