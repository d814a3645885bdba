/**
 * The app's URLs, built in one place: the API writes them into emails, notifications, calendar
 * feeds and public pages, the web app into its links. Every id, token and slug is URL-encoded.
 * The route patterns stay with the routers (the web's app/router.tsx, the API's route files).
 * No zod and no imports: the web's first screen imports this module.
 *
 * Paths start with `/`; the API puts its public origin in front (`${publicUrl}${paths.…}`), and a
 * web page inside a nested section puts `~` in front to leave the section.
 */

const e = encodeURIComponent;

const coalition = (coalitionId: string) => `/c/${e(coalitionId)}`;
const publicCoalition = (coalitionSlug: string) => `/coalitions/${e(coalitionSlug)}`;
const publicCampaign = (coalitionSlug: string, campaignSlug: string) => `${publicCoalition(coalitionSlug)}/campaigns/${e(campaignSlug)}`;
const publicStatement = (statementId: string) => `/statements/${e(statementId)}`;

export const paths = {
  // --- signed out --------------------------------------------------------------------------------
  home: () => "/",
  setup: () => "/setup",
  /** The sign-in page; `next` is where to go after signing in (an in-app path). */
  signIn: (next?: string) => (next ? `/sign-in?next=${e(next)}` : "/sign-in"),
  forgotPassword: () => "/forgot-password",
  resetPassword: (token: string) => `/reset-password?token=${e(token)}`,
  verifyEmail: (token: string) => `/verify-email?token=${e(token)}`,
  undoEmailChange: (token: string) => `/undo-email-change?token=${e(token)}`,
  invitation: (token: string) => `/invitations/${e(token)}`,

  // --- signed in ---------------------------------------------------------------------------------
  account: () => "/account",
  notifications: () => "/notifications",
  operator: () => "/operator",
  organisation: (organisationId: string) => `/organisations/${e(organisationId)}`,
  coalition,
  members: (coalitionId: string) => `${coalition(coalitionId)}/members`,
  audit: (coalitionId: string) => `${coalition(coalitionId)}/audit`,
  campaigns: (coalitionId: string) => `${coalition(coalitionId)}/campaigns`,
  campaign: (coalitionId: string, campaignId: string) => `${coalition(coalitionId)}/campaigns/${e(campaignId)}`,
  campaignPetition: (coalitionId: string, campaignId: string) => `${coalition(coalitionId)}/campaigns/${e(campaignId)}/petition`,
  campaignLetters: (coalitionId: string, campaignId: string) => `${coalition(coalitionId)}/letters/campaign/${e(campaignId)}`,
  letterTargets: (coalitionId: string) => `${coalition(coalitionId)}/letters/targets`,
  tasks: (coalitionId: string) => `${coalition(coalitionId)}/tasks`,
  task: (coalitionId: string, taskId: string) => `${coalition(coalitionId)}/tasks/${e(taskId)}`,
  taskBoard: (coalitionId: string, campaignId: string) => `${coalition(coalitionId)}/tasks/board/${e(campaignId)}`,
  /** The new-task form, with the campaign chosen when `campaignId` is given. */
  newTask: (coalitionId: string, campaignId?: string) =>
    `${coalition(coalitionId)}/tasks/new${campaignId ? `?campaignId=${e(campaignId)}` : ""}`,
  statements: (coalitionId: string) => `${coalition(coalitionId)}/statements`,
  statement: (coalitionId: string, statementId: string) => `${coalition(coalitionId)}/statements/${e(statementId)}`,

  // --- public site (served by the API) -----------------------------------------------------------
  publicCoalition,
  publicCampaign,
  publicPetition: (coalitionSlug: string, campaignSlug: string) => `${publicCampaign(coalitionSlug, campaignSlug)}/petition`,
  publicLetter: (coalitionSlug: string, campaignSlug: string) => `${publicCampaign(coalitionSlug, campaignSlug)}/letter`,
  publicJoin: (coalitionSlug: string, campaignSlug: string) => `${publicCampaign(coalitionSlug, campaignSlug)}/join`,
  publicStatement,
  publicStatementText: (statementId: string) => `${publicStatement(statementId)}/text`,
  publicStatementPublication: (statementId: string) => `${publicStatement(statementId)}/publication`,
  statementsFeed: (coalitionSlug: string) => `${publicCoalition(coalitionSlug)}/statements.atom`,
  signupLink: (kind: "confirm" | "cancel", token: string) => `/signups/${kind}/${e(token)}`,
  petitionLink: (kind: "confirm" | "withdraw", token: string) => `/petitions/${kind}/${e(token)}`,

  /** `path` with `lang=` added to its query (a public page in that language). */
  withLang: (path: string, lang: string) => `${path}${path.includes("?") ? "&" : "?"}lang=${e(lang)}`,
} as const;
