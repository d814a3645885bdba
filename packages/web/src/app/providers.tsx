import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ComponentType, lazy, type ReactNode, Suspense, useEffect, useState } from "react";
import { isApiError, setTwoFactorRequiredHandler, setUnauthenticatedHandler } from "../lib/api-client.ts";
import { LanguageProvider } from "../lib/i18n.tsx";
import { meQuery, useMe } from "../lib/session.ts";

// Only signed-in people are asked for their password again: the prompt loads once someone is.
// A failed download (offline) leaves it out; sensitive actions then answer with the API's error.
const ReauthDialog = lazy<ComponentType>(() =>
  import("../components/ReauthDialog.tsx").then(
    (m) => ({ default: m.ReauthDialog }),
    () => ({ default: () => null }),
  ),
);
function SignedInReauth() {
  const me = useMe();
  return me.data ? (
    <Suspense fallback={null}>
      <ReauthDialog />
    </Suspense>
  ) : null;
}

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // 4xx answers are final; one retry for a dropped connection on a weak network.
        retry: (count, error) => count < 1 && !(isApiError(error) && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
        staleTime: 20_000,
      },
      mutations: { retry: false },
    },
  });
}

function SessionWatcher({ client }: { client: QueryClient }) {
  useEffect(() => {
    // The session expired or was revoked elsewhere: forget the person, and the route guard sends them to sign in.
    setUnauthenticatedHandler((path) => {
      if (path !== "/api/me") client.setQueryData(meQuery.queryKey, null);
    });
    return () => setUnauthenticatedHandler(null);
  }, [client]);
  useEffect(() => {
    // A coalition started requiring two-factor authentication: ask again, and the shell sends them to setup.
    // Rare, and the account's API module is not part of the first screen: fetched then.
    setTwoFactorRequiredHandler(
      () =>
        void import("../features/account/api/account.ts").then(({ twoFactorRequirementQuery }) =>
          client.invalidateQueries({ queryKey: twoFactorRequirementQuery.queryKey }),
        ),
    );
    return () => setTwoFactorRequiredHandler(null);
  }, [client]);
  return null;
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  return (
    <LanguageProvider>
      <QueryClientProvider client={client}>
        <SessionWatcher client={client} />
        {children}
        <SignedInReauth />
      </QueryClientProvider>
    </LanguageProvider>
  );
}
