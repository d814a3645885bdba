// @vitest-environment happy-dom
import type { Metric } from "@samakki/shared/campaigns";
import { translate } from "@samakki/shared/i18n/index";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { campaignDetail, coalition, ids } from "../../../../test/fixtures.ts";
import { mockApi, problem, type Route, renderApp } from "../../../../test/render.tsx";
import { CampaignPage } from "../CampaignPage.tsx";

const en = (key: string) => translate("en", key);
const campaignPath = `/api/coalitions/${ids.coalition}/campaigns/${ids.campaign}`;

const campaign = campaignDetail();

const ribbons: Metric = {
  id: "3e7a1c00-0000-4000-8000-00000000000c",
  name: "Ribbons",
  secondName: null,
  unit: "ribbons",
  secondUnit: null,
  target: 100_000,
  total: 0,
  progress: 0,
  shares: [],
  source: "typed",
};

/** Everything the page loads, answered at once except the metrics, which `metrics` answers. */
function pageRoutes(metrics: Route): Record<string, Route> {
  return {
    [`GET ${campaignPath}`]: { body: campaign },
    [`GET ${campaignPath}/metrics`]: metrics,
    [`GET ${campaignPath}/activities`]: { body: [] },
    [`GET ${campaignPath}/updates*`]: { body: { items: [], nextCursor: null } },
    [`GET /api/coalitions/${ids.coalition}/tasks*`]: { body: { items: [], nextCursor: null } },
  };
}

describe("a campaign's page", () => {
  // On a phone the metrics card stands above the tasks card: drawn before its metrics came, the
  // page moved the "New task" link down under the finger about to tap it (and under the browser
  // tests' click, which then missed).
  it("is drawn once the campaign and its metrics are both in, so the cards below the metrics do not move", async () => {
    let answerMetrics: (value: { body: unknown }) => void = () => undefined;
    const api = mockApi(
      pageRoutes(
        () =>
          new Promise((resolve) => {
            answerMetrics = resolve;
          }),
      ),
    );
    await renderApp(<CampaignPage coalition={coalition} campaignId={ids.campaign} />);
    // The two requests leave together, not one after the other.
    await waitFor(() => expect(api.calls("GET", `${campaignPath}/metrics`)).toHaveLength(1));
    expect(api.calls("GET", campaignPath).map((c) => c.path)).toContain(campaignPath);
    await waitFor(() => expect(screen.queryByText(en("common.loading"))).not.toBeNull());
    expect(screen.queryByRole("link", { name: en("campaigns.newTask") })).toBeNull();
    expect(screen.queryByRole("heading", { name: campaign.title })).toBeNull();

    answerMetrics({ body: [ribbons] });
    await screen.findByRole("link", { name: en("campaigns.newTask") });
    expect(screen.getByRole("heading", { name: campaign.title })).toBeTruthy();
    expect(screen.getByRole("heading", { name: ribbons.name })).toBeTruthy();
    // The metrics card read the answer the page waited for: one request.
    expect(api.calls("GET", `${campaignPath}/metrics`)).toHaveLength(1);
    expect(api.unanswered).toEqual([]);
  });

  it("says at once that a campaign is not there, without waiting for its cards", async () => {
    const routes = pageRoutes(() => new Promise(() => undefined));
    routes[`GET ${campaignPath}`] = () => problem(404, "not_found", "Not found");
    mockApi(routes);
    await renderApp(<CampaignPage coalition={coalition} campaignId={ids.campaign} />);
    expect(await screen.findByText(en("errors.not_found.title"))).toBeTruthy();
    expect(screen.queryByText(en("common.loading"))).toBeNull();
    expect(screen.queryByRole("link", { name: en("campaigns.newTask") })).toBeNull();
  });

  it("still opens when the metrics fail, with the error in the metrics card alone", async () => {
    const api = mockApi(pageRoutes(() => problem(404, "not_found", "Not found")));
    await renderApp(<CampaignPage coalition={coalition} campaignId={ids.campaign} />);
    await screen.findByRole("link", { name: en("campaigns.newTask") });
    expect(screen.getByRole("heading", { name: campaign.title })).toBeTruthy();
    const metricsCard = screen.getByRole("heading", { name: en("campaigns.metrics") }).closest("section");
    expect(metricsCard).not.toBeNull();
    // (Mounting, the card asks once more for what failed, then shows the error.)
    expect(await within(metricsCard as HTMLElement).findByRole("alert")).toBeTruthy();
    expect(screen.getAllByRole("alert")).toHaveLength(1);
    expect(api.unanswered).toEqual([]);
  });
});
