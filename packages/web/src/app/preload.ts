import { fetchEarly, withQuery } from "../lib/api-client.ts";
import type { LazyArea } from "../lib/catalog-areas.ts";
import { preloadCatalogAreas } from "../lib/catalog-areas.ts";
import type { Language } from "../lib/i18n.tsx";
import {
  AccountPage,
  AuditPage,
  CAMPAIGNS_AREAS,
  CampaignsSection,
  DashboardPage,
  LazyShell,
  LETTERS_AREAS,
  LettersSection,
  MembersPage,
  NotificationsPage,
  OperatorPage,
  OrganisationPage,
  PETITION_AREAS,
  PetitionPage,
  SetupPage,
  STATEMENTS_AREAS,
  StatementsSection,
  TasksSection,
} from "./pages.ts";

/**
 * What a page needs before it can show anything: its code, its catalog areas and its first API
 * reads. Left to render, each part is asked for only once the part before it has arrived (the
 * entry, then the shell, then the session, then the page, then its data): on a slow mobile network
 * that is a round trip of half a second each. Started here together, they take one.
 *
 * `match` is tested against the path in order, like router.tsx's <Switch>; `reads` must build the
 * exact path the page's query asks for (api-client.ts `fetchEarly` hands that answer over once).
 */
type Preload = {
  match: RegExp;
  /** Behind sign-in: the shell, the session's two-factor requirement and the bell's count too. */
  signedIn?: boolean;
  page?: { preload: () => Promise<unknown> };
  areas?: readonly LazyArea[];
  reads?: (params: string[]) => string[];
};

const COALITION = "^/c/([^/]+)";
const PRELOADS: Preload[] = [
  { match: /^\/(?:sign-in)?\/?$/, reads: () => ["/api/setup"] },
  { match: /^\/setup\/?$/, page: SetupPage, reads: () => ["/api/setup"] },
  { match: /^\/operator\/?$/, signedIn: true, page: OperatorPage },
  {
    match: new RegExp(`${COALITION}/?$`),
    signedIn: true,
    page: DashboardPage,
    reads: ([coalitionId = ""]) => [`/api/coalitions/${encodeURIComponent(coalitionId)}/dashboard`],
  },
  { match: new RegExp(`${COALITION}/members/?$`), signedIn: true, page: MembersPage, areas: LETTERS_AREAS },
  { match: new RegExp(`${COALITION}/campaigns/[^/]+/petition/?$`), signedIn: true, page: PetitionPage, areas: PETITION_AREAS },
  { match: new RegExp(`${COALITION}/campaigns(?:/|$)`), signedIn: true, page: CampaignsSection, areas: CAMPAIGNS_AREAS },
  { match: new RegExp(`${COALITION}/letters(?:/|$)`), signedIn: true, page: LettersSection, areas: LETTERS_AREAS },
  { match: new RegExp(`${COALITION}/tasks(?:/|$)`), signedIn: true, page: TasksSection },
  { match: new RegExp(`${COALITION}/statements(?:/|$)`), signedIn: true, page: StatementsSection, areas: STATEMENTS_AREAS },
  { match: new RegExp(`${COALITION}/audit/?$`), signedIn: true, page: AuditPage },
  { match: /^\/organisations\/[^/]+\/?$/, signedIn: true, page: OrganisationPage },
  { match: /^\/account\/?$/, signedIn: true, page: AccountPage },
  { match: /^\/notifications\/?$/, signedIn: true, page: NotificationsPage },
];

/** Start everything the page at `path` needs (called once, before the first render). */
export function preloadRoute(path: string, lang: Language): void {
  const preload = PRELOADS.find((p) => p.match.test(path));
  // Every page asks who is signed in, the sign-in page too (it sends a signed-in person on).
  fetchEarly("/api/me");
  if (!preload) return;
  const params = (preload.match.exec(path) ?? []).slice(1);
  // In the order the page needs them: a browser opens only a few connections at a time.
  if (preload.signedIn) {
    void LazyShell.preload().catch(() => undefined);
    fetchEarly("/api/me/two-factor/requirement");
  }
  void preload.page?.preload().catch(() => undefined);
  if (preload.areas) preloadCatalogAreas(preload.areas, lang);
  for (const read of preload.reads?.(params) ?? []) fetchEarly(read);
  if (preload.signedIn) fetchEarly(withQuery("/api/notifications", { limit: 1, unread: "true" }));
}
