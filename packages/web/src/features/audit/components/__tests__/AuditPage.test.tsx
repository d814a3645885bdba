// @vitest-environment happy-dom
import type { Me } from "@samakki/shared/auth";
import { type Language, translate } from "@samakki/shared/i18n/index";
import { screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AppRoutes } from "../../../../app/router.tsx";
import { coalition, ids, me } from "../../../../test/fixtures.ts";
import { mockApi, problem, renderApp } from "../../../../test/render.tsx";

const base = `/api/coalitions/${ids.coalition}`;
const member: Me = { ...me(), coalitions: [{ ...coalition, isCoordinator: false }] };

/** Whether the log's filters were ever in the page, if only for one frame: each change to the page is looked at as it happens. */
function watchForFilters() {
  let seen = false;
  const look = () => {
    if (document.querySelector('select[name="action"], [name="actorId"]')) seen = true;
  };
  const observer = new MutationObserver(look);
  observer.observe(document.body, { childList: true, subtree: true });
  look();
  return {
    get seen() {
      look();
      return seen;
    },
    stop: () => observer.disconnect(),
  };
}

let watcher: ReturnType<typeof watchForFilters> | null = null;
afterEach(() => {
  watcher?.stop();
  watcher = null;
});

describe("the audit log opened by its address", () => {
  for (const lang of ["en", "km"] as const satisfies Language[]) {
    it(`shows a member (not a coordinator) only the refusal in ${lang}: never the filters, and asks the API for nothing of the log`, async () => {
      const t = (key: string) => translate(lang, key);
      // The session comes when the test says, so anything drawn before it is seen too.
      let answerMe: (value: { body: Me }) => void = () => undefined;
      const api = mockApi({
        "GET /api/me": () =>
          new Promise((resolve) => {
            answerMe = resolve;
          }),
        // What the API answers a member, if the page asked.
        [`GET ${base}/*`]: () => problem(403, "forbidden", t("errors.forbidden.title")),
      });
      watcher = watchForFilters();
      await renderApp(<AppRoutes />, { lang, path: `/c/${ids.coalition}/audit` });
      await waitFor(() => expect(api.sent.some((r) => r.path === "/api/me")).toBe(true));
      answerMe({ body: { ...member, person: { ...member.person, language: lang } } });
      expect(await screen.findByText(t("errors.forbidden.title"), {}, { timeout: 10_000 })).toBeTruthy();
      expect(watcher.seen).toBe(false);
      expect(screen.getByRole("alert").textContent).toContain(t("errors.forbidden.detail"));
      expect(screen.getByRole("heading", { name: t("audit.title") })).toBeTruthy();
      expect(screen.queryByLabelText(t("audit.filterAction"))).toBeNull();
      expect(screen.queryByText(t("audit.intro"))).toBeNull();
      expect(api.calls("GET", base)).toEqual([]);
    });
  }

  it("shows a coordinator the filters and the log (the watch above sees filters when they are drawn)", async () => {
    const t = (key: string) => translate("en", key);
    const api = mockApi({
      "GET /api/me": { body: me() },
      [`GET ${base}/audit?limit=50`]: { body: { items: [], nextCursor: null } },
      [`GET ${base}/people`]: { body: [] },
      [`GET ${base}/outbox/dead`]: { body: { count: 0, items: [] } },
      "GET /api/notifications*": { body: { items: [], nextCursor: null, unreadCount: 0 } },
    });
    watcher = watchForFilters();
    await renderApp(<AppRoutes />, { path: `/c/${ids.coalition}/audit` });
    expect(await screen.findByLabelText(t("audit.filterAction"), {}, { timeout: 10_000 })).toBeTruthy();
    expect(watcher.seen).toBe(true);
    expect(await screen.findByText(t("audit.empty"))).toBeTruthy();
    expect(screen.queryByText(t("errors.forbidden.title"))).toBeNull();
    expect(api.unanswered.map((r) => r.path)).toEqual([]);
  });

  it("shows the API's refusal alone when the person stopped being a coordinator since the session was read", async () => {
    const t = (key: string) => translate("en", key);
    mockApi({
      "GET /api/me": { body: me() },
      [`GET ${base}/audit?limit=50`]: () => problem(403, "forbidden", "Not allowed", { detail: "Coordinators only." }),
      [`GET ${base}/people`]: () => problem(403, "forbidden", "Not allowed"),
      [`GET ${base}/outbox/dead`]: () => problem(403, "forbidden", "Not allowed"),
      "GET /api/notifications*": { body: { items: [], nextCursor: null, unreadCount: 0 } },
    });
    await renderApp(<AppRoutes />, { path: `/c/${ids.coalition}/audit` });
    // The session said coordinator: the API's refusal takes the whole page's place.
    expect(await screen.findByText(t("errors.forbidden.detail"), {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByRole("heading", { name: t("audit.title") })).toBeTruthy();
    expect(screen.queryByLabelText(t("audit.filterAction"))).toBeNull();
  });
});
