import type { MeCoalition } from "@samakki/shared/auth";
import { type ComponentProps, type ReactNode, Suspense } from "react";
import { Link, Redirect, Route, Switch } from "wouter";
import { Card } from "../components/Card.tsx";
import { NotFoundPage } from "../components/NotFound.tsx";
import { PageHeader } from "../components/Page.tsx";
import { PublicLayout } from "../components/PublicLayout.tsx";
import { ErrorBoundary, ErrorNotice, Loading } from "../components/Status.tsx";
import { SignInPage } from "../features/auth/components/SignInPage.tsx";
import { type LazyArea, useCatalogAreas } from "../lib/catalog-areas.ts";
import { pickCoalition } from "../lib/coalition.tsx";
import { useT } from "../lib/i18n.tsx";
import { useMe, useSetupStatus } from "../lib/session.ts";
import {
  AcceptInvitationPage,
  AccountPage,
  AuditPage,
  CAMPAIGNS_AREAS,
  CampaignsSection,
  DashboardPage,
  ForgotPasswordPage,
  LazyShell,
  LETTERS_AREAS,
  LettersSection,
  MembersPage,
  NotificationsPage,
  OperatorPage,
  OrganisationPage,
  PETITION_AREAS,
  PetitionPage,
  ResetPasswordPage,
  SetupPage,
  STATEMENTS_AREAS,
  StatementsSection,
  TasksSection,
  UndoEmailChangePage,
  VerifyEmailPage,
} from "./pages.ts";

function SignedInShell(props: ComponentProps<typeof LazyShell>) {
  // A download that fails (offline before the service worker kept it) shows an error with a retry.
  return (
    <ErrorBoundary>
      <Suspense fallback={<Loading />}>
        <LazyShell {...props} />
      </Suspense>
    </ErrorBoundary>
  );
}

function WithAreas({ areas, children }: { areas: readonly LazyArea[]; children: ReactNode }) {
  return useCatalogAreas(areas) ? children : <Loading />;
}

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/**
 * A section with its own routes (campaigns, tasks, statements, letters): only the section's content
 * is nested under `base`, so its links are relative to it, while the shell around it (header, bell,
 * account menu, sign-out) stays outside the nesting and keeps absolute links and the full location.
 */
function Section({ base, children }: { base: string; children: ReactNode }) {
  return (
    <Route path={base} nest>
      <Lazy>{children}</Lazy>
    </Route>
  );
}

function Public({ children }: { children: ReactNode }) {
  return (
    <PublicLayout>
      <ErrorBoundary>
        <Suspense fallback={<Loading />}>{children}</Suspense>
      </ErrorBoundary>
    </PublicLayout>
  );
}

/** `/`: setup while none was done, sign-in when signed out, else the current coalition. */
function Home() {
  const t = useT();
  const setup = useSetupStatus();
  const me = useMe();
  if (setup.isPending || me.isPending) return <Loading />;
  if (setup.isError) return <ErrorNotice error={setup.error} onRetry={() => void setup.refetch()} />;
  if (setup.data.needed) return <Redirect to="/setup" replace />;
  if (!me.data) return <Redirect to="/sign-in" replace />;
  const coalition = pickCoalition(me.data.coalitions, null);
  if (coalition) return <Redirect to={`/c/${coalition.id}`} replace />;
  const firstOrg = me.data.organisations[0];
  return (
    <SignedInShell>
      {() => (
        <>
          <PageHeader title={t("home.noCoalitionTitle")} />
          <Card>
            <p>{t("home.noCoalition")}</p>
            {firstOrg ? <Link href={`/organisations/${firstOrg.id}`}>{firstOrg.name}</Link> : null}
          </Card>
        </>
      )}
    </SignedInShell>
  );
}

type Params = Record<string, string | undefined>;

/**
 * Every page of the app, in the order <Switch> tries them (the first match wins). A public page is
 * drawn in the signed-out frame; any other inside the signed-in shell, which checks the session and
 * picks the coalition (`coalitionId` from the address). A section nests its own routes under
 * `nest(params)`; `areas` are the catalog areas its pages need beyond the rest part (app/pages.ts).
 * What each page needs first is started before it renders: app/preload.ts.
 */
type PageRoute = {
  path: string;
  public?: true;
  areas?: readonly LazyArea[];
  nest?: (params: Params) => string;
  /** The page's lazy code, started with everything else it needs (app/preload.ts). */
  page?: { preload: () => Promise<unknown> };
  /** The API reads its first paint waits for, each the exact path its query asks for (app/preload.ts). */
  reads?: (params: Params) => string[];
} & (
  | { render: (params: Params) => ReactNode }
  /** Drawn once the shell has the coalition of the address (the pages under /c/:coalitionId that take it). */
  | { inCoalition: (params: Params, coalition: MeCoalition) => ReactNode }
);

const id = (params: Params, name: string) => params[name] ?? "";
const setupStatus = () => ["/api/setup"];
const section = (name: string) => (params: Params) => `/c/${id(params, "coalitionId")}/${name}`;

export const ROUTES: PageRoute[] = [
  { path: "/setup", page: SetupPage, reads: setupStatus, public: true, render: () => <SetupPage /> },
  { path: "/sign-in", reads: setupStatus, public: true, render: () => <SignInPage /> },
  { path: "/forgot-password", page: ForgotPasswordPage, public: true, render: () => <ForgotPasswordPage /> },
  { path: "/reset-password", page: ResetPasswordPage, public: true, render: () => <ResetPasswordPage /> },
  { path: "/verify-email", page: VerifyEmailPage, public: true, render: () => <VerifyEmailPage /> },
  { path: "/undo-email-change", page: UndoEmailChangePage, public: true, render: () => <UndoEmailChangePage /> },
  { path: "/invitations/:token", page: AcceptInvitationPage, public: true, render: (p) => <AcceptInvitationPage token={id(p, "token")} /> },
  { path: "/operator", page: OperatorPage, render: () => <OperatorPage /> },
  {
    path: "/c/:coalitionId",
    page: DashboardPage,
    reads: (p) => [`/api/coalitions/${encodeURIComponent(id(p, "coalitionId"))}/dashboard`],
    inCoalition: (_, c) => <DashboardPage coalition={c} />,
  },
  {
    path: "/c/:coalitionId/members",
    page: MembersPage,
    areas: LETTERS_AREAS,
    render: (p) => <MembersPage coalitionId={id(p, "coalitionId")} />,
  },
  {
    path: "/c/:coalitionId/campaigns/:campaignId/petition",
    page: PetitionPage,
    areas: PETITION_AREAS,
    inCoalition: (p, c) => <PetitionPage coalition={c} campaignId={id(p, "campaignId")} />,
  },
  {
    path: "/c/:coalitionId/campaigns/*?",
    page: CampaignsSection,
    nest: section("campaigns"),
    areas: CAMPAIGNS_AREAS,
    inCoalition: (_, c) => <CampaignsSection coalition={c} />,
  },
  {
    path: "/c/:coalitionId/letters/*?",
    page: LettersSection,
    nest: section("letters"),
    areas: LETTERS_AREAS,
    inCoalition: (_, c) => <LettersSection coalition={c} />,
  },
  { path: "/c/:coalitionId/tasks/*?", page: TasksSection, nest: section("tasks"), inCoalition: (_, c) => <TasksSection coalition={c} /> },
  {
    path: "/c/:coalitionId/statements/*?",
    page: StatementsSection,
    nest: section("statements"),
    areas: STATEMENTS_AREAS,
    inCoalition: (_, c) => <StatementsSection coalition={c} />,
  },
  { path: "/c/:coalitionId/audit", page: AuditPage, render: (p) => <AuditPage coalitionId={id(p, "coalitionId")} /> },
  {
    path: "/organisations/:organisationId",
    page: OrganisationPage,
    render: (p) => <OrganisationPage organisationId={id(p, "organisationId")} />,
  },
  { path: "/account", page: AccountPage, render: () => <AccountPage /> },
  { path: "/notifications", page: NotificationsPage, render: () => <NotificationsPage /> },
];

/** A page inside the signed-in shell: its code and catalog areas load under a spinner, a section nested under its base. */
function SignedInPage({ route, params }: { route: PageRoute; params: Params }) {
  return (
    <SignedInShell coalitionId={params.coalitionId}>
      {(c) => {
        const page = "render" in route ? route.render(params) : c ? route.inCoalition(params, c) : null;
        if (page === null) return null;
        const content = route.areas ? <WithAreas areas={route.areas}>{page}</WithAreas> : page;
        return route.nest ? <Section base={route.nest(params)}>{content}</Section> : <Lazy>{content}</Lazy>;
      }}
    </SignedInShell>
  );
}

export function AppRoutes() {
  return (
    <Switch>
      <Route path="/">
        <Home />
      </Route>
      {ROUTES.map((route) => (
        <Route key={route.path} path={route.path}>
          {(params: Params) =>
            route.public && "render" in route ? <Public>{route.render(params)}</Public> : <SignedInPage route={route} params={params} />
          }
        </Route>
      ))}
      <Route>
        <Public>
          <NotFoundPage />
        </Public>
      </Route>
    </Switch>
  );
}
