/**
 * The app's URLs, built in one place: the API writes them into emails, notifications, calendar
 * feeds and public pages, the web app into its links. Every id, token and slug is URL-encoded.
 * The route patterns stay with the routers (the web's app/router.tsx, the API's route files).
 * No zod and no imports: the web's first screen imports this module, as a namespace
 * (`import * as paths`), so that a page carries only the builders it uses.
 *
 * Paths start with `/`; the API puts its public origin in front (`${publicUrl}${paths.…}`), and a
 * web page inside a nested section puts `~` in front to leave the section.
 */

const e = encodeURIComponent;

export const coalition = (coalitionId: string) => `/c/${e(coalitionId)}`;
export const publicCoalition = (coalitionSlug: string) => `/coalitions/${e(coalitionSlug)}`;
export const publicCampaign = (coalitionSlug: string, campaignSlug: string) =>
  `${publicCoalition(coalitionSlug)}/campaigns/${e(campaignSlug)}`;
export const publicStatement = (statementId: string) => `/statements/${e(statementId)}`;
/**
 * Whether a path is a page the server draws (the public site, the links in emails, feeds), not one
 * of the web app's: the app loads it as a page (its router would draw its not-found page).
 */
export const isServerPage = (path: string) => /^\/(coalitions|statements|petitions|signups|calendar|public)\//.test(path);

// --- signed out --------------------------------------------------------------------------------
export const home = () => "/";
export const setup = () => "/setup";
/** The sign-in page; `next` is where to go after signing in (an in-app path). */
export const signIn = (next?: string) => (next ? `/sign-in?next=${e(next)}` : "/sign-in");
export const forgotPassword = () => "/forgot-password";
/** The link of a password-reset email, in the person's language (the page opens in it). */
export const resetPassword = (token: string, lang?: "en" | "km") => `/reset-password?token=${e(token)}${lang ? `&lang=${lang}` : ""}`;
export const verifyEmail = (token: string) => `/verify-email?token=${e(token)}`;
export const undoEmailChange = (token: string) => `/undo-email-change?token=${e(token)}`;
export const invitation = (token: string) => `/invitations/${e(token)}`;

// --- signed in ---------------------------------------------------------------------------------
export const account = () => "/account";
export const notifications = () => "/notifications";
export const operator = () => "/operator";
export const organisation = (organisationId: string) => `/organisations/${e(organisationId)}`;
export const members = (coalitionId: string) => `${coalition(coalitionId)}/members`;
export const audit = (coalitionId: string) => `${coalition(coalitionId)}/audit`;
export const campaigns = (coalitionId: string) => `${coalition(coalitionId)}/campaigns`;
export const campaign = (coalitionId: string, campaignId: string) => `${coalition(coalitionId)}/campaigns/${e(campaignId)}`;
export const campaignPetition = (coalitionId: string, campaignId: string) =>
  `${coalition(coalitionId)}/campaigns/${e(campaignId)}/petition`;
/** Where the letters section's pages are (a campaign's letters, the recipients): a prefix, not a page of its own. */
export const letters = (coalitionId: string) => `${coalition(coalitionId)}/letters`;
export const campaignLetters = (coalitionId: string, campaignId: string) => `${letters(coalitionId)}/campaign/${e(campaignId)}`;
export const letterTargets = (coalitionId: string) => `${letters(coalitionId)}/targets`;
export const tasks = (coalitionId: string) => `${coalition(coalitionId)}/tasks`;
export const task = (coalitionId: string, taskId: string) => `${coalition(coalitionId)}/tasks/${e(taskId)}`;
export const taskBoard = (coalitionId: string, campaignId: string) => `${coalition(coalitionId)}/tasks/board/${e(campaignId)}`;
/** The new-task form, with the campaign chosen when `campaignId` is given. */
export const newTask = (coalitionId: string, campaignId?: string) =>
  `${coalition(coalitionId)}/tasks/new${campaignId ? `?campaignId=${e(campaignId)}` : ""}`;
export const statements = (coalitionId: string) => `${coalition(coalitionId)}/statements`;
export const statement = (coalitionId: string, statementId: string) => `${coalition(coalitionId)}/statements/${e(statementId)}`;

// --- public site (served by the API) -----------------------------------------------------------
export const publicPetition = (coalitionSlug: string, campaignSlug: string) => `${publicCampaign(coalitionSlug, campaignSlug)}/petition`;
export const publicLetter = (coalitionSlug: string, campaignSlug: string) => `${publicCampaign(coalitionSlug, campaignSlug)}/letter`;
export const publicJoin = (coalitionSlug: string, campaignSlug: string) => `${publicCampaign(coalitionSlug, campaignSlug)}/join`;
export const publicStatementText = (statementId: string) => `${publicStatement(statementId)}/text`;
export const publicStatementPublication = (statementId: string) => `${publicStatement(statementId)}/publication`;
export const statementsFeed = (coalitionSlug: string) => `${publicCoalition(coalitionSlug)}/statements.atom`;
export const signupLink = (kind: "confirm" | "cancel", token: string) => `/signups/${kind}/${e(token)}`;
export const petitionLink = (kind: "confirm" | "withdraw", token: string) => `/petitions/${kind}/${e(token)}`;

/** `path` with `lang=` added to its query (a public page in that language). */
export const withLang = (path: string, lang: string) => `${path}${path.includes("?") ? "&" : "?"}lang=${e(lang)}`;
