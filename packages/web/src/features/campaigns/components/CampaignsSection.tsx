import type { MeCoalition } from "@samakki/shared/auth";

/** The campaigns pages under /c/:coalitionId/campaigns (nested routes). */
export function CampaignsSection(_props: { coalition: MeCoalition }) {
  return null;
}
