/** What other features may use of campaigns: one campaign, and the list to pick one from. */
export { campaignChoicesQuery, campaignQuery } from "./api/campaigns.ts";
