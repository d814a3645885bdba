// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { act, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { campaignDetail, coalition, ids, memberOrganisations } from "../../../../test/fixtures.ts";
import { conflictNotice, mockApi, problem, renderApp } from "../../../../test/render.tsx";
import { CampaignFormPage } from "../CampaignFormPage.tsx";
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

describe("editing a campaign", () => {
  it("refused because someone else saved first: takes their changes into the fields this person left, keeps the typing, and saves both", async () => {
    const owner = memberOrganisations[0]?.organisation;
    if (!owner) throw new Error("no organisation");
    const mine = campaignDetail({ owners: [owner], summary: "Clean water", revision: 4 });
    const theirs = { ...mine, summary: "Clean water for every village", status: "paused" as const, revision: 5 };
    const campaignPath = `${campaignsPath}/${ids.campaign}`;
    let patches = 0;
    const api = mockApi({
      [`GET /api/coalitions/${ids.coalition}/members`]: { body: memberOrganisations },
      [`GET ${campaignPath}`]: () => ({ body: patches === 0 ? mine : theirs }),
      [`PATCH ${campaignPath}`]: ({ body }) => {
        patches += 1;
        if (patches === 1)
          return problem(412, "edit_conflict", en("errors.edit_conflict.title"), { detail: en("errors.edit_conflict.detail") });
        return { body: { ...theirs, ...(body as object), revision: 6 } };
      },
      [`GET ${campaignsPath}*`]: { body: { items: [], nextCursor: null } },
    });
    const { user } = await renderApp(<CampaignFormPage coalition={coalition} campaignId={ids.campaign} />);
    const goals = await screen.findByRole("textbox", { name: new RegExp(`^${en("campaigns.goals")}`) });
    await user.type(goals, "A river anyone can swim in.");
    await user.click(screen.getByRole("button", { name: en("common.save") }));

    await screen.findByText(en("errors.edit_conflict.detail"));
    const notice = conflictNotice(en("common.editConflictTheirs"));
    expect(notice.fields).toEqual([en("campaigns.summary"), en("campaigns.status")]);
    // Only they changed these: the form now holds their values, beside what this person typed.
    expect(notice.values).toEqual([
      `Clean water for every village (${en("common.editConflictMerged")})`,
      `${en("campaignStatus.paused")} (${en("common.editConflictMerged")})`,
    ]);
    expect((goals as HTMLTextAreaElement).value).toBe("A river anyone can swim in.");
    const summary = screen.getByRole("textbox", { name: new RegExp(`^${en("campaigns.summary")}`) });
    expect((summary as HTMLTextAreaElement).value).toBe("Clean water for every village");

    await user.click(screen.getByRole("button", { name: en("common.save") }));
    await waitFor(() => expect(patches).toBe(2));
    const ifMatch = api.headers("PATCH", "If-Match");
    expect(ifMatch).toEqual(['"4"', '"5"']);
    expect(api.calls("PATCH")[1]?.body).toMatchObject({
      summary: "Clean water for every village",
      status: "paused",
      goals: "A river anyone can swim in.",
    });
  });
});
