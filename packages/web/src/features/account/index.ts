/** What other features may use of the account: the person's two-factor requirement (refreshed when a coalition changes it). */
export { twoFactorRequirementQuery } from "./api/account.ts";
