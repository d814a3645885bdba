// @vitest-environment happy-dom
import { translate as shared } from "@samakki/shared/i18n/index";
import { render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import { isCatalogLoaded } from "../lib/catalogs.ts";
import { me } from "../test/fixtures.ts";
import { mockApi } from "../test/render.tsx";
import { Providers } from "./providers.tsx";
import { AppRoutes } from "./router.tsx";

/**
 * `/` is a first screen (its catalog's core only: lib/catalogs.ts), but for a person without a
 * coalition (their organisation suspended) it draws the signed-in frame, whose bell's label is in
 * the rest. Rendered as main.tsx does, without loading the rest first (renderApp would).
 */
describe("the signed-in frame at / for a person without a coalition", () => {
  for (const lang of ["en", "km"] as const) {
    it(`labels the notification bell in ${lang}, never with its raw key`, async () => {
      localStorage.setItem("samakki.language", lang);
      expect(isCatalogLoaded(lang, ["core", "rest"])).toBe(false);
      mockApi({
        "GET /api/setup": { body: { needed: false } },
        "GET /api/me": { body: { ...me({ language: lang }), coalitions: [] } },
        "GET /api/notifications?limit=1&unread=true": { body: { items: [], nextCursor: null, unreadCount: 0 } },
      });
      const location = memoryLocation({ path: "/", record: true });
      render(
        <Router hook={location.hook} searchHook={location.searchHook}>
          <Providers>
            <AppRoutes />
          </Providers>
        </Router>,
      );
      const title = shared(lang, "notifications.title");
      const bell = await screen.findByRole("link", { name: title }, { timeout: 10_000 });
      expect(bell.getAttribute("title")).toBe(title);
      expect(screen.getByRole("heading", { name: shared(lang, "home.noCoalitionTitle") })).toBeTruthy();
      await waitFor(() => expect(document.body.innerHTML).not.toContain("notifications.title"));
    });
  }
});
