import type { ActivityKind } from "@samakki/shared/campaigns";
import type { Generated } from "kysely";

export interface ActivityTable {
  id: Generated<string>;
  campaign_id: string;
  kind: ActivityKind;
  title: string;
  starts_at: Date;
  ends_at: Date | null;
  location: Generated<string>;
  description: Generated<string>;
  created_at: Generated<Date>;
}

export interface MarchStageTable {
  activity_id: string;
  position: number;
  stage_date: string;
  from_place: string;
  to_place: string;
  /** numeric: read as a string by both drivers. */
  distance_km: string | number;
}
