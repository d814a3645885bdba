// @vitest-environment happy-dom

import { translate } from "@samakki/shared/i18n/index";
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { campaignDetail, coalition, ids, me, campaign as summary } from "../../../../test/fixtures.ts";
import { mockApi, problem, renderApp } from "../../../../test/render.tsx";
import { TaskBoard } from "../TaskBoard.tsx";

const en = (key: string) => translate("en", key);

describe("a campaign's task board", () => {
  it("says at once that the campaign is not there, without waiting for its tasks", async () => {
    mockApi({
      "GET /api/me": { body: me() },
      [`GET /api/coalitions/${ids.coalition}/campaigns/${ids.campaign}`]: () => problem(404, "not_found", "Not found"),
      // The tasks never come.
      [`GET /api/coalitions/${ids.coalition}/tasks*`]: () => new Promise(() => undefined),
    });
    await renderApp(<TaskBoard coalition={coalition} campaignId={ids.campaign} />);
    expect(await screen.findByText(translate("en", "errors.not_found.title"))).toBeTruthy();
    expect(screen.queryByText(en("common.loading"))).toBeNull();
  });

  it("names the campaign in the reader's language: its Khmer title on a Khmer page", async () => {
    const campaign = campaignDetail({ secondTitle: { language: "km", name: "ទន្លេស្អាត" } });
    mockApi({
      "GET /api/me": { body: me() },
      [`GET /api/coalitions/${ids.coalition}/campaigns/${ids.campaign}`]: { body: campaign },
      [`GET /api/coalitions/${ids.coalition}/tasks*`]: { body: { items: [], nextCursor: null } },
    });
    await renderApp(<TaskBoard coalition={coalition} campaignId={ids.campaign} />, { lang: "km" });
    const heading = await screen.findByRole("heading", { level: 1 });
    expect(heading.textContent).toContain("ទន្លេស្អាត");
    expect(heading.textContent).not.toContain(summary.title);
    expect(screen.getByRole("link", { name: "ទន្លេស្អាត" })).toBeTruthy();
  });
});
