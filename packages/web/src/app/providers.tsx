import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useEffect, useState } from "react";
import type { ReauthDialog, ReauthRequest } from "../components/ReauthDialog.tsx";
import { isApiError, setReauthHandler, setTwoFactorRequiredHandler, setUnauthenticatedHandler } from "../lib/api-client.ts";
import { LanguageProvider } from "../lib/i18n.tsx";
import { PageArrivalProvider } from "../lib/page-focus.tsx";
import { meQuery } from "../lib/session.ts";

/**
 * The password prompt's code is not part of the first screen: the first request that asks for the
 * password loads it, and it answers that request and every later one. Offline before the service
 * worker kept it, the request fails with the API's answer.
 */
function ReauthPrompt() {
  const [prompt, setPrompt] = useState<{ Dialog: typeof ReauthDialog; first: ReauthRequest } | null>(null);
  useEffect(() => {
    if (prompt) return;
    setReauthHandler(() => {
      const opener = document.activeElement;
      return import("../components/ReauthDialog.tsx").then(
        ({ ReauthDialog: Dialog }) => new Promise<boolean>((resolve) => setPrompt({ Dialog, first: { resolve, opener } })),
        () => false,
      );
    });
    return () => setReauthHandler(null);
  }, [prompt]);
  return prompt ? <prompt.Dialog first={prompt.first} /> : null;
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

/**
 * On a 403 `two_factor_required` (a coalition started requiring two-factor authentication): ask
 * /api/me again (it carries the requirement, which the gate reads), and the shell sends the person
 * to setup. /api/me alone: the queries under ["me", …] include gated ones (the calendar feed), whose
 * 403 would call this again, each time cancelling the refetches still on their way, endlessly (on a
 * busy phone, the passkey list never showed a removal).
 */
export function refetchTwoFactorRequirement(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: meQuery.queryKey, exact: true });
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
    setTwoFactorRequiredHandler(() => void refetchTwoFactorRequirement(client));
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
        <PageArrivalProvider>{children}</PageArrivalProvider>
        <ReauthPrompt />
      </QueryClientProvider>
    </LanguageProvider>
  );
}
