import type { CampaignStatus } from "@samakki/shared/campaigns";
import type { Generated } from "kysely";

export interface CampaignTable {
  id: Generated<string>;
  coalition_id: string;
  title: string;
  /** The optional title in the other language, and its language: both null or both set. */
  second_title: string | null;
  second_title_language: "en" | "km" | null;
  slug: string;
  summary: Generated<string>;
  description: Generated<string>;
  goals: Generated<string>;
  status: Generated<CampaignStatus>;
  visibility: Generated<"members" | "public">;
  /** Calendar dates, read as YYYY-MM-DD text (see campaigns.repository). */
  starts_on: string | null;
  ends_on: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Up by one with every edit of the fields PATCH changes (migration 20261205T100000Z-edit-revisions). */
  revision: Generated<number>;
}

export interface CampaignOrganisationTable {
  campaign_id: string;
  organisation_id: string;
  role: "owner" | "participant";
  created_at: Generated<Date>;
}
