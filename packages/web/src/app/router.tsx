import { type ComponentProps, type ReactNode, Suspense } from "react";
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
                <WithAreas areas={LETTERS_AREAS}>
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
