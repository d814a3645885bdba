// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { campaignDetail, coalition, ids, letterTarget, me } from "../../../../test/fixtures.ts";
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

  it("finds a letter's recipients by name, party or province, and keeps those chosen whatever is shown", async () => {
    const target = (id: string, nameEn: string, nameKm: string, party: string, province: string) =>
      letterTarget({ id, nameEn, nameKm, party, province, role: "Member of Parliament" });
    const targets = [
      target("7a000000-0000-4000-8000-000000000001", "Heng Vanna", "ហេង វណ្ណា", "Party A", "KH-12"),
      target("7a000000-0000-4000-8000-000000000002", "Keo Sophal", "កែវ សុផល", "Party B", "KH-12"),
      target("7a000000-0000-4000-8000-000000000003", "Chan Dara", "ចាន់ ដារ៉ា", "Party A", "KH-17"),
    ];
    const api = mockApi({
      "GET /api/me": { body: me() },
      [`GET ${campaignPath}`]: { body: campaignDetail({ id: ids.campaign }) },
      [`GET ${campaignPath}/letter-actions`]: { body: [] },
      [`GET ${campaignPath}/letter-stats`]: { body: { notContacted: [], awaitingReply: [], byParty: [], byProvince: [] } },
      [`GET /api/coalitions/${ids.coalition}/letter-targets*`]: { body: targets },
      [`POST ${campaignPath}/letter-actions`]: (request) => ({
        status: 201,
        body: {
          id: ids.task,
          campaignId: ids.campaign,
          subjectKm: "",
          subjectEn: "",
          bodyKm: "",
          bodyEn: "",
          ...(request.body as object),
          targets: [],
          counts: { sent: 0, delivered: 0, replied: 0 },
          started: 0,
          canEdit: true,
          createdAt: "2026-11-01T00:00:00.000Z",
        },
      }),
    });
    const { user } = await renderApp(<CampaignLettersPage coalition={coalition} campaignId={ids.campaign} />);
    await user.click(await screen.findByRole("button", { name: en("letters.actions.add") }));
    const box = (name: RegExp) => screen.getByRole<HTMLInputElement>("checkbox", { name });
    await screen.findByText(/Heng Vanna/);
    expect(screen.getByText(translate("en", "letters.actions.chosen", { count: 0 }))).toBeTruthy();

    // By party: two shown, both chosen at once.
    await user.type(screen.getByLabelText(en("letters.actions.findRecipient")), "party a");
    expect(screen.queryByText(/Keo Sophal/)).toBeNull();
    await user.click(screen.getByRole("button", { name: translate("en", "letters.actions.chooseShown", { count: 2 }) }));
    expect(box(/Heng Vanna/).checked && box(/Chan Dara/).checked).toBe(true);
    // By province and name: the one from Kampot who is not chosen; chosen too.
    await user.clear(screen.getByLabelText(en("letters.actions.findRecipient")));
    await user.selectOptions(screen.getByLabelText(en("letters.targets.province")), "KH-12");
    expect(screen.queryByText(/Chan Dara/)).toBeNull();
    await user.type(screen.getByLabelText(en("letters.actions.findRecipient")), "sophal{Enter}");
    // Enter looked; it did not save the letter.
    expect(api.calls("POST")).toEqual([]);
    expect(screen.queryByText(/Heng Vanna/)).toBeNull();
    await user.click(box(/Keo Sophal/));
    await user.click(box(/Keo Sophal/));
    await user.click(box(/Keo Sophal/));
    expect(screen.getByText(translate("en", "letters.actions.chosen", { count: 3 }))).toBeTruthy();
    await user.type(screen.getByLabelText(en("letters.actions.findRecipient")), " nobody");
    expect(screen.getByText(en("letters.actions.noMatch"))).toBeTruthy();

    await user.type(screen.getByLabelText(en("letters.actions.title")), "Letter on the bill");
    await user.click(screen.getByRole("button", { name: en("letters.actions.save") }));
    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    // Those hidden by the search are sent too, in the directory's order.
    expect(api.calls("POST")[0]?.body).toMatchObject({ title: "Letter on the bill", targetIds: targets.map((t) => t.id) });
  });
});
