// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coalition, ids, me } from "../../../../test/fixtures.ts";
import { mockApi, problem, renderApp } from "../../../../test/render.tsx";
import { CampaignLettersPage } from "../CampaignLettersPage.tsx";

const en = (key: string) => translate("en", key);
const campaignPath = `/api/coalitions/${ids.coalition}/campaigns/${ids.campaign}`;

describe("a campaign's letters page", () => {
  it("says at once that the campaign is not there, without waiting for its letter actions", async () => {
    mockApi({
      "GET /api/me": { body: me() },
      [`GET ${campaignPath}`]: () => problem(404, "not_found", "Not found"),
      // The letter actions never come.
      [`GET ${campaignPath}/letter-actions`]: () => new Promise(() => undefined),
    });
    await renderApp(<CampaignLettersPage coalition={coalition} campaignId={ids.campaign} />);
    expect(await screen.findByText(translate("en", "errors.not_found.title"))).toBeTruthy();
    expect(screen.queryByText(en("common.loading"))).toBeNull();
  });
});
