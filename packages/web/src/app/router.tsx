import { type ComponentProps, lazy, type ReactNode, Suspense } from "react";
import { Link, Redirect, Route, Switch } from "wouter";
import { Card } from "../components/Card.tsx";
import { PageHeader } from "../components/Page.tsx";
import { PublicLayout } from "../components/PublicLayout.tsx";
import { ErrorBoundary, ErrorNotice, Loading } from "../components/Status.tsx";
import { SignInPage } from "../features/auth/components/SignInPage.tsx";
import { type LazyArea, useCatalogAreas } from "../lib/catalog-areas.ts";
import { pickCoalition } from "../lib/coalition.tsx";
import { useT } from "../lib/i18n.tsx";
import { useMe, useSetupStatus } from "../lib/session.ts";

// Rarely used pages load on demand, keeping the first download small on slow networks.
// Signed-in pages and the invitation too: the first screen (sign-in) carries only its own code.
const DashboardPage = lazy(() => import("../features/dashboard/components/DashboardPage.tsx").then((m) => ({ default: m.DashboardPage })));
const MembersPage = lazy(() =>
  import("../features/coalition-members/components/MembersPage.tsx").then((m) => ({ default: m.MembersPage })),
);
const OrganisationPage = lazy(() =>
  import("../features/organisations/components/OrganisationPage.tsx").then((m) => ({ default: m.OrganisationPage })),
);
const AcceptInvitationPage = lazy(() =>
  import("../features/invitations/components/AcceptInvitationPage.tsx").then((m) => ({ default: m.AcceptInvitationPage })),
);
const AuditPage = lazy(() => import("../features/audit/components/AuditPage.tsx").then((m) => ({ default: m.AuditPage })));
const SetupPage = lazy(() => import("../features/setup/components/SetupPage.tsx").then((m) => ({ default: m.SetupPage })));
const AccountPage = lazy(() => import("../features/account/components/AccountPage.tsx").then((m) => ({ default: m.AccountPage })));
const NotificationsPage = lazy(() =>
  import("../features/notifications/components/NotificationsPage.tsx").then((m) => ({ default: m.NotificationsPage })),
);
const ForgotPasswordPage = lazy(() =>
  import("../features/auth/components/ForgotPasswordPage.tsx").then((m) => ({ default: m.ForgotPasswordPage })),
);
const ResetPasswordPage = lazy(() =>
  import("../features/auth/components/ResetPasswordPage.tsx").then((m) => ({ default: m.ResetPasswordPage })),
);
const CampaignsSection = lazy(() =>
  import("../features/campaigns/components/CampaignsSection.tsx").then((m) => ({ default: m.CampaignsSection })),
);
const LettersSection = lazy(() => import("../features/letters/components/LettersSection.tsx").then((m) => ({ default: m.LettersSection })));
const PetitionPage = lazy(() => import("../features/petitions/components/PetitionPage.tsx").then((m) => ({ default: m.PetitionPage })));
const TasksSection = lazy(() => import("../features/tasks/components/TasksSection.tsx").then((m) => ({ default: m.TasksSection })));
const StatementsSection = lazy(() =>
  import("../features/statements/components/StatementsSection.tsx").then((m) => ({ default: m.StatementsSection })),
);
const OperatorPage = lazy(() => import("../features/operators/components/OperatorPage.tsx").then((m) => ({ default: m.OperatorPage })));
const VerifyEmailPage = lazy(() => import("../features/auth/components/VerifyEmailPage.tsx").then((m) => ({ default: m.VerifyEmailPage })));
const UndoEmailChangePage = lazy(() =>
  import("../features/auth/components/UndoEmailChangePage.tsx").then((m) => ({ default: m.UndoEmailChangePage })),
);

// The signed-in frame (header, menus, bell, the two-factor gate) is not part of the first screen.
const LazyShell = lazy(() => import("./shell.tsx").then((m) => ({ default: m.SignedInShell })));
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

/**
 * The catalog areas a section's pages use beyond the rest part (catalog-split.ts, LAZY_AREAS), loaded
 * with the section so the dashboard does not carry them; src/lib/catalogs.test.ts checks that no other
 * page uses them.
 */
const STATEMENTS_AREAS = ["statements", "votes"] as const;
const CAMPAIGNS_AREAS = ["petitions", "letters", "signups"] as const;
const LETTERS_AREAS = ["letters"] as const;
const PETITION_AREAS = ["petitions"] as const;
const MEMBERS_AREAS = ["letters"] as const;

function WithAreas({ areas, children }: { areas: readonly LazyArea[]; children: ReactNode }) {
  return useCatalogAreas(areas) ? children : <Loading />;
}

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/**
 * A section with its own routes (campaigns, tasks, statements): only the section's content is nested
 * under `base`, so its links are relative to it, while the shell around it (header, bell, account menu,
 * sign-out) stays outside the nesting and keeps absolute links and the full location.
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

function NotFoundPage() {
  const t = useT();
  return (
    <>
      <PageHeader title={t("notFound.title")} />
      <Card>
        <p>{t("notFound.detail")}</p>
        <p>
          <Link href="/">{t("notFound.home")}</Link>
        </p>
      </Card>
    </>
  );
}

export function AppRoutes() {
  return (
    <Switch>
      <Route path="/">
        <Home />
      </Route>
      <Route path="/setup">
        <Public>
          <SetupPage />
        </Public>
      </Route>
      <Route path="/sign-in">
        <Public>
          <SignInPage />
        </Public>
      </Route>
      <Route path="/forgot-password">
        <Public>
          <ForgotPasswordPage />
        </Public>
      </Route>
      <Route path="/reset-password">
        <Public>
          <ResetPasswordPage />
        </Public>
      </Route>
      <Route path="/verify-email">
        <Public>
          <VerifyEmailPage />
        </Public>
      </Route>
      <Route path="/undo-email-change">
        <Public>
          <UndoEmailChangePage />
        </Public>
      </Route>
      <Route path="/invitations/:token">
        {(params) => (
          <Public>
            <AcceptInvitationPage token={params.token} />
          </Public>
        )}
      </Route>
      <Route path="/operator">
        <SignedInShell>
          {() => (
            <Lazy>
              <OperatorPage />
            </Lazy>
          )}
        </SignedInShell>
      </Route>
      <Route path="/c/:coalitionId">
        {(params) => (
          <SignedInShell coalitionId={params.coalitionId}>
            {(c) =>
              c ? (
                <Lazy>
                  <DashboardPage coalition={c} />
                </Lazy>
              ) : null
            }
          </SignedInShell>
        )}
      </Route>
      <Route path="/c/:coalitionId/members">
        {(params) => (
          <SignedInShell coalitionId={params.coalitionId}>
            {() => (
              <Lazy>
                <WithAreas areas={MEMBERS_AREAS}>
                  <MembersPage coalitionId={params.coalitionId} />
                </WithAreas>
              </Lazy>
            )}
          </SignedInShell>
        )}
      </Route>
      <Route path="/c/:coalitionId/campaigns/:campaignId/petition">
        {(params) => (
          <SignedInShell coalitionId={params.coalitionId}>
            {(c) =>
              c ? (
                <Lazy>
                  <WithAreas areas={PETITION_AREAS}>
                    <PetitionPage coalition={c} campaignId={params.campaignId} />
                  </WithAreas>
                </Lazy>
              ) : null
            }
          </SignedInShell>
        )}
      </Route>
      <Route path="/c/:coalitionId/campaigns/*?">
        {(params) => (
          <SignedInShell coalitionId={params.coalitionId}>
            {(c) =>
              c ? (
                <Section base={`/c/${params.coalitionId}/campaigns`}>
                  <WithAreas areas={CAMPAIGNS_AREAS}>
                    <CampaignsSection coalition={c} />
                  </WithAreas>
                </Section>
              ) : null
            }
          </SignedInShell>
        )}
      </Route>
      <Route path="/c/:coalitionId/letters/*?">
        {(params) => (
          <SignedInShell coalitionId={params.coalitionId}>
            {(c) =>
              c ? (
                <Section base={`/c/${params.coalitionId}/letters`}>
                  <WithAreas areas={LETTERS_AREAS}>
                    <LettersSection coalition={c} />
                  </WithAreas>
                </Section>
              ) : null
            }
          </SignedInShell>
        )}
      </Route>
      <Route path="/c/:coalitionId/tasks/*?">
        {(params) => (
          <SignedInShell coalitionId={params.coalitionId}>
            {(c) =>
              c ? (
                <Section base={`/c/${params.coalitionId}/tasks`}>
                  <TasksSection coalition={c} />
                </Section>
              ) : null
            }
          </SignedInShell>
        )}
      </Route>
      <Route path="/c/:coalitionId/statements/*?">
        {(params) => (
          <SignedInShell coalitionId={params.coalitionId}>
            {(c) =>
              c ? (
                <Section base={`/c/${params.coalitionId}/statements`}>
                  <WithAreas areas={STATEMENTS_AREAS}>
                    <StatementsSection coalition={c} />
                  </WithAreas>
                </Section>
              ) : null
            }
          </SignedInShell>
        )}
      </Route>
      <Route path="/c/:coalitionId/audit">
        {(params) => (
          <SignedInShell coalitionId={params.coalitionId}>
            {() => (
              <Lazy>
                <AuditPage coalitionId={params.coalitionId} />
              </Lazy>
            )}
          </SignedInShell>
        )}
      </Route>
      <Route path="/organisations/:organisationId">
        {(params) => (
          <SignedInShell>
            {() => (
              <Lazy>
                <OrganisationPage organisationId={params.organisationId} />
              </Lazy>
            )}
          </SignedInShell>
        )}
      </Route>
      <Route path="/account">
        <SignedInShell>
          {() => (
            <Lazy>
              <AccountPage />
            </Lazy>
          )}
        </SignedInShell>
      </Route>
      <Route path="/notifications">
        <SignedInShell>
          {() => (
            <Lazy>
              <NotificationsPage />
            </Lazy>
          )}
        </SignedInShell>
      </Route>
      <Route>
        <Public>
          <NotFoundPage />
        </Public>
      </Route>
    </Switch>
  );
}
