// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen } from "@testing-library/react";
import type { ReactElement } from "react";
import { describe, expect, it } from "vitest";
import { Route } from "wouter";
import { CampaignsSection } from "../../features/campaigns/components/CampaignsSection.tsx";
import { LettersSection } from "../../features/letters/components/LettersSection.tsx";
import { StatementsSection } from "../../features/statements/components/StatementsSection.tsx";
import { TasksSection } from "../../features/tasks/components/TasksSection.tsx";
import { coalition, ids } from "../../test/fixtures.ts";
import { mockApi, renderApp } from "../../test/render.tsx";

const c = `/c/${ids.coalition}`;

/** Each section nested under its base, as the app's router mounts it. */
const sections: Array<[string, () => ReactElement]> = [
  [`${c}/campaigns`, () => <CampaignsSection coalition={coalition} />],
  [`${c}/tasks`, () => <TasksSection coalition={coalition} />],
  [`${c}/statements`, () => <StatementsSection coalition={coalition} />],
  [`${c}/letters`, () => <LettersSection coalition={coalition} />],
];

/** Addresses under a section that no page of it answers (the board is under tasks, not under its campaign). */
const missing: Record<string, string[]> = {
  [`${c}/campaigns`]: [`/${ids.campaign}/board`, `/${ids.campaign}/letters/extra`],
  [`${c}/tasks`]: [`/board/${ids.campaign}/extra`, "/a/b"],
  [`${c}/statements`]: ["/a/b"],
  [`${c}/letters`]: ["", "/nowhere"],
};

describe("an address a section has no page for", () => {
  for (const [base, section] of sections) {
    for (const rest of missing[base] ?? []) {
      it(`says so, with a way home: ${base.replace(c, "/c/:coalitionId")}${rest}`, async () => {
        const api = mockApi({});
        await renderApp(
          <Route path={base} nest>
            {section()}
          </Route>,
          { path: `${base}${rest}` },
        );
        expect(await screen.findByRole("heading", { name: translate("en", "notFound.title") })).toBeTruthy();
        const home = screen.getByRole("link", { name: translate("en", "notFound.home") });
        expect(home.getAttribute("href")).toBe("/");
        // Nothing was asked of the API for a page that is not there.
        expect(api.calls("GET")).toEqual([]);
      });
    }
  }
});
