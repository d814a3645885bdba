// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { act, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { campaignDetail, coalition, ids, memberOrganisations } from "../../../../test/fixtures.ts";
import { mockApi, renderApp } from "../../../../test/render.tsx";
import { CampaignsSection } from "../CampaignsSection.tsx";

const en = (key: string) => translate("en", key);
const campaignsPath = `/api/coalitions/${ids.coalition}/campaigns`;

describe("creating a campaign", () => {
  it("replaces the form in the history with the new campaign: Back returns to the list, not to an empty form", async () => {
    const api = mockApi({
      [`GET /api/coalitions/${ids.coalition}/members`]: { body: memberOrganisations },
      [`POST ${campaignsPath}`]: { body: campaignDetail() },
      // The campaign page opened after it, and the list Back returns to.
      [`GET ${campaignsPath}*`]: { body: { items: [], nextCursor: null } },
      [`GET /api/coalitions/${ids.coalition}/*`]: { body: [] },
    });
    // The person is on the campaigns list and opens the form from it.
    const { user, location } = await renderApp(<CampaignsSection coalition={coalition} />, { path: "/" });
    act(() => location.navigate("/new"));
    await user.type(await screen.findByRole("textbox", { name: en("campaigns.fieldTitle") }), "Free the river");
    await user.click(screen.getByRole("button", { name: en("campaigns.create") }));
    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    expect(api.calls("POST")[0]?.body).toMatchObject({ title: "Free the river", ownerOrganisationIds: [ids.organisation] });

    await waitFor(() => expect(location.history.at(-1)).toBe(`/${ids.campaign}`));
    // One step back is the list: the form is no longer in the history.
    expect(location.history).toEqual(["/", `/${ids.campaign}`]);
  });
});
