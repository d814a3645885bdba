import type { Migration, MigrationProvider } from "kysely/migration";
import * as foundation from "./20261128T120000Z-foundation.ts";
import * as campaignsAndTasks from "./20261128T150000Z-campaigns-and-tasks.ts";
import * as statementsAndVotes from "./20261128T160000Z-statements-and-votes.ts";
import * as notificationDelivery from "./20261128T170000Z-notification-delivery.ts";
import * as twoFactor from "./20261128T180000Z-two-factor.ts";
import * as accountProtection from "./20261130T100000Z-account-protection.ts";
import * as publishedSignatories from "./20261130T110000Z-published-signatories.ts";
import * as passkeysAndRequiredTwoFactor from "./20261130T150000Z-passkeys-and-required-two-factor.ts";
import * as appClock from "./20261130T180000Z-app-clock.ts";
import * as indexesAtScale from "./20261201T080000Z-indexes-at-scale.ts";
import * as petitions from "./20261201T100000Z-petitions.ts";
import * as letters from "./20261201T110000Z-letters.ts";
import * as signups from "./20261201T120000Z-signups.ts";
import * as perCoalitionAuditChains from "./20261202T090000Z-per-coalition-audit-chains.ts";
import * as instanceOperators from "./20261202T100000Z-instance-operators.ts";
import * as invitationNameLanguage from "./20261202T110000Z-invitation-name-language.ts";
import * as calendarFeeds from "./20261203T100000Z-calendar-feeds.ts";
import * as bilingualNames from "./20261203T110000Z-bilingual-names.ts";
import * as metricSecondUnit from "./20261203T120000Z-metric-second-unit.ts";
import * as coalitionSecondName from "./20261204T100000Z-coalition-second-name.ts";
import * as editRevisions from "./20261205T100000Z-edit-revisions.ts";
import * as idempotentRequests from "./20261205T110000Z-idempotent-requests.ts";

/** Every migration, in order. Append only; never edit a migration that has landed. */
const migrations: Record<string, Migration> = {
  "20261128T120000Z-foundation": foundation,
  "20261128T150000Z-campaigns-and-tasks": campaignsAndTasks,
  "20261128T160000Z-statements-and-votes": statementsAndVotes,
  "20261128T170000Z-notification-delivery": notificationDelivery,
  "20261128T180000Z-two-factor": twoFactor,
  "20261130T100000Z-account-protection": accountProtection,
  "20261130T110000Z-published-signatories": publishedSignatories,
  "20261130T150000Z-passkeys-and-required-two-factor": passkeysAndRequiredTwoFactor,
  "20261130T180000Z-app-clock": appClock,
  "20261201T080000Z-indexes-at-scale": indexesAtScale,
  "20261201T100000Z-petitions": petitions,
  "20261201T110000Z-letters": letters,
  "20261201T120000Z-signups": signups,
  "20261202T090000Z-per-coalition-audit-chains": perCoalitionAuditChains,
  "20261202T100000Z-instance-operators": instanceOperators,
  "20261202T110000Z-invitation-name-language": invitationNameLanguage,
  "20261203T100000Z-calendar-feeds": calendarFeeds,
  "20261203T110000Z-bilingual-names": bilingualNames,
  "20261203T120000Z-metric-second-unit": metricSecondUnit,
  "20261204T100000Z-coalition-second-name": coalitionSecondName,
  "20261205T100000Z-edit-revisions": editRevisions,
  "20261205T110000Z-idempotent-requests": idempotentRequests,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
