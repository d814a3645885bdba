import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { twoFactorRequirementQuery } from "../features/account/api/account.ts";
import { dashboardQuery } from "../features/dashboard/api/dashboard.ts";
import { unreadCountQuery } from "../features/notifications/api/notifications.ts";
import { meQuery, setupQuery } from "../lib/session.ts";
import { CampaignsSection, LazyShell, PetitionPage } from "./pages.ts";
import { preloadRoute } from "./preload.ts";

const COALITION = "2c139cfa-8fb5-4eaa-9a5d-6b0eef3ee4f6";

describe("preloadRoute: a page's first reads start with its code, and the page's own queries take them", () => {
  let gets: string[];
  beforeEach(() => {
    gets = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (path: string) => {
        gets.push(path);
        // Signed out: what matters here is which requests reach the network, not their answers.
        return new Response(JSON.stringify({ status: 401 }), { status: 401, headers: { "content-type": "application/problem+json" } });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());
  /** The browser holds the server's hint that a session cookie exists (lib/signed-in-hint.ts), unless `signedOut`. */
  const hint = (signedOut = false) =>
    vi.stubGlobal("document", { cookie: signedOut ? "samakki-language=km" : "samakki-language=km; samakki_signed_in=1" });
  beforeEach(() => hint());

  /** Runs each query as the page would, and returns the requests that reached the network. */
  async function readsOf(queries: { queryKey: readonly unknown[]; queryFn?: unknown }[]) {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    await Promise.all(queries.map((q) => client.fetchQuery(q as never).catch(() => undefined)));
  }

  it("the dashboard: the session (with the two-factor requirement), the bell's count and the dashboard, each asked for once", async () => {
    preloadRoute(`/c/${COALITION}`, "en");
    const early = [...gets];
    expect(early.sort()).toEqual(["/api/me", `/api/coalitions/${COALITION}/dashboard`, "/api/notifications?limit=1&unread=true"].sort());
    await readsOf([meQuery, twoFactorRequirementQuery, dashboardQuery(COALITION), unreadCountQuery]);
    // No query asked the network again: each took its early answer (a path that differed would show here).
    expect(gets).toHaveLength(early.length);
  });

  it("the sign-in page: the session and the setup status only, no signed-in code or data", async () => {
    preloadRoute("/sign-in", "en");
    expect(gets.sort()).toEqual(["/api/me", "/api/setup"]);
    await readsOf([meQuery, setupQuery]);
    expect(gets).toHaveLength(2);
  });

  it("a browser without the signed-in hint asks nothing about a session: no 401 for the browser to log", async () => {
    hint(true);
    preloadRoute("/sign-in", "en");
    expect(gets).toEqual(["/api/setup"]);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    expect(await client.fetchQuery(meQuery)).toBeNull();
    await client.fetchQuery(setupQuery).catch(() => undefined);
    expect(gets).toEqual(["/api/setup"]);
  });

  it("a page it does not know: the session only", () => {
    preloadRoute("/no/such/page", "en");
    expect(gets).toEqual(["/api/me"]);
  });

  it("`/`: the session and the setup status, which decide where it sends", () => {
    preloadRoute("/", "en");
    // (The session's early request may still be waiting from the test before: it is asked for once.)
    expect(gets.filter((path) => path !== "/api/me")).toEqual(["/api/setup"]);
  });

  it("picks the route the router draws: the petition page, not the campaigns section it sits in", () => {
    const petition = vi.spyOn(PetitionPage, "preload").mockResolvedValue(() => null);
    const campaigns = vi.spyOn(CampaignsSection, "preload").mockResolvedValue(() => null);
    const shell = vi.spyOn(LazyShell, "preload").mockResolvedValue(() => null);
    preloadRoute(`/c/${COALITION}/campaigns/some-campaign/petition`, "en");
    expect(petition).toHaveBeenCalledTimes(1);
    expect(campaigns).not.toHaveBeenCalled();
    expect(shell).toHaveBeenCalledTimes(1);
    preloadRoute(`/c/${COALITION}/campaigns/some-campaign`, "en");
    expect(campaigns).toHaveBeenCalledTimes(1);
    // A signed-in page that is not the dashboard reads no dashboard.
    expect(gets.filter((path) => path.includes("/dashboard"))).toEqual([]);
    vi.restoreAllMocks();
  });
});
