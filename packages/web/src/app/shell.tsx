import type { MeCoalition } from "@samakki/shared/auth";
import { useQueryClient } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useState } from "react";
import { Redirect, useLocation } from "wouter";
import { Layout } from "../components/Layout.tsx";
import { ErrorBoundary, ErrorNotice, Loading } from "../components/Status.tsx";
import { TWO_FACTOR_SETUP_PATH, useTwoFactorGate } from "../features/account/components/TwoFactorGate.tsx";
import { NotificationBell } from "../features/notifications/components/NotificationBell.tsx";
import { OperatorMenuLink } from "../features/operators/components/OperatorMenuLink.tsx";
import { ApiError, api, fallbackProblem } from "../lib/api-client.ts";
import { CurrentCoalitionProvider, pickCoalition, rememberCoalition } from "../lib/coalition.tsx";
import { Me } from "../lib/first-screen-schemas.ts";
import { type Language, useLanguage, WholeCatalog } from "../lib/i18n.tsx";
import { meQuery, useMe, useSignOut } from "../lib/session.ts";

// Rare (a scheduled deletion), and it brings the date formatting: loaded only when there is one.
const DeletionBanner = lazy(() =>
  import("../features/operators/components/DeletionBanner.tsx").then((m) => ({ default: m.DeletionBanner })),
);

type ShellProps = {
  /** The coalition named in the address, if any; an unknown one renders not-found. */
  coalitionId?: string | undefined;
  children: (coalition: MeCoalition | null) => ReactNode;
};

/** Everything behind sign-in: checks the session, picks the coalition, draws the frame. */
export function SignedInShell({ coalitionId, children }: ShellProps) {
  const me = useMe();
  const [location, navigate] = useLocation();
  const { lang, setLang, chosen } = useLanguage();
  const client = useQueryClient();
  const signOut = useSignOut();
  const gate = useTwoFactorGate(Boolean(me.data));

  // A person who never chose a language on this device gets the one stored in their account.
  useEffect(() => {
    if (me.data && !chosen && me.data.person.language !== lang) setLang(me.data.person.language);
  }, [me.data, chosen, lang, setLang]);

  useEffect(() => {
    if (coalitionId && me.data?.coalitions.some((c) => c.id === coalitionId)) rememberCoalition(coalitionId);
  }, [coalitionId, me.data]);

  const onLanguageChange = useCallback(
    (next: Language) => {
      // Emails and notifications follow the account's language, so save the choice there too.
      api
        .patchFor("/api/me", { language: next }, Me)
        .then((updated) => client.setQueryData(meQuery.queryKey, updated))
        .catch(() => undefined);
    },
    [client],
  );

  // Offline, signing out is not sent either: say so (the person is still signed in on the server).
  const [signOutError, setSignOutError] = useState<unknown>(null);
  const onSignOut = useCallback(() => {
    setSignOutError(null);
    void signOut().then(() => navigate("/sign-in"), setSignOutError);
  }, [signOut, navigate]);

  if (me.isPending || gate.pending) return <Loading />;
  if (me.isError) return <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Redirect to={`/sign-in?next=${encodeURIComponent(location)}`} replace />;
  // A coalition requires two-factor authentication and they have none yet: setup comes first.
  if (gate.blocked && location !== TWO_FACTOR_SETUP_PATH) return <Redirect to={TWO_FACTOR_SETUP_PATH} replace />;

  const known = coalitionId ? me.data.coalitions.find((c) => c.id === coalitionId) : undefined;
  const coalition = known ?? pickCoalition(me.data.coalitions, null);
  const missing = coalitionId !== undefined && !known;

  // The frame's bell, menu and tabs need the catalog's rest, at `/` too (a person without a
  // coalition is shown the frame there, an address whose own page needs only the core).
  return (
    <WholeCatalog fallback={<Loading />}>
      <CurrentCoalitionProvider coalition={coalition}>
        <Layout
          me={me.data}
          coalition={coalition}
          bell={gate.blocked ? null : <NotificationBell />}
          onSignOut={onSignOut}
          onLanguageChange={onLanguageChange}
          menuExtra={(close) => <OperatorMenuLink onClick={close} />}
        >
          {signOutError ? <ErrorNotice error={signOutError} /> : null}
          {coalition?.deletionDueAt && !missing && !gate.blocked ? (
            <Suspense fallback={null}>
              <DeletionBanner coalition={coalition} />
            </Suspense>
          ) : null}
          <ErrorBoundary resetKey={location}>
            {missing ? <ErrorNotice error={new ApiError(fallbackProblem(404, lang, "not_found"))} /> : children(coalition)}
          </ErrorBoundary>
        </Layout>
      </CurrentCoalitionProvider>
    </WholeCatalog>
  );
}
