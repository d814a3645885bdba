// @vitest-environment happy-dom
import type { CampaignUpdate } from "@samakki/shared/campaigns";
import { translate } from "@samakki/shared/i18n/index";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { campaignDetail, coalition, ids } from "../../../../test/fixtures.ts";
import { mockApi, renderApp } from "../../../../test/render.tsx";
import { Updates } from "../Updates.tsx";

const km = (key: string) => translate("km", key);
const path = `/api/coalitions/${ids.coalition}/campaigns/${ids.campaign}/updates`;
const update = (id: string, body: string, canRemove: boolean): CampaignUpdate => ({
  id,
  author: { id: "0a0b0c0d-1111-4222-8333-444455556666", displayName: "Dara" },
  body,
  bodyHtml: `<p>${body}</p>`,
  createdAt: "2026-12-01T03:00:00.000Z",
  canRemove,
});
const mine = update("0a0b0c0d-1111-4222-8333-000000000001", "March at seven", true);
const theirs = update("0a0b0c0d-1111-4222-8333-000000000002", "Bring water", false);

describe("a campaign's updates", () => {
  it("offers Remove only where the reader may, asks first in their language, then removes it", async () => {
    let items = [mine, theirs];
    const api = mockApi({
      [`GET ${path}*`]: () => ({ body: { items, nextCursor: null } }),
      [`DELETE ${path}/${mine.id}`]: () => {
        items = [theirs];
        return { status: 204 };
      },
    });
    const { user } = await renderApp(<Updates coalition={coalition} campaign={campaignDetail()} />, { lang: "km" });
    const first = (await screen.findByText("March at seven")).closest("li");
    const second = screen.getByText("Bring water").closest("li");
    if (!first || !second) throw new Error("no rows");
    expect(within(second).queryByRole("button", { name: km("campaigns.removeUpdate") })).toBeNull();
    await user.click(within(first).getByRole("button", { name: km("campaigns.removeUpdate") }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(km("campaigns.removeUpdateConsequence"))).toBeTruthy();
    expect(api.calls("DELETE")).toEqual([]);
    await user.click(within(dialog).getByRole("button", { name: km("campaigns.removeUpdate") }));
    await waitFor(() => expect(screen.queryByText("March at seven")).toBeNull());
    expect(api.calls("DELETE").map((c) => c.path)).toEqual([`${path}/${mine.id}`]);
  });

  it("says before posting, beside the field, that a public campaign's updates are public; a members-only one's say nothing of it", async () => {
    mockApi({ [`GET ${path}*`]: () => ({ body: { items: [], nextCursor: null } }) });
    const shown = await renderApp(<Updates coalition={coalition} campaign={campaignDetail({ visibility: "public" })} />, { lang: "km" });
    const field = await screen.findByLabelText(km("campaigns.updateBody"));
    const hint = document.getElementById(field.getAttribute("aria-describedby")?.split(" ")[0] ?? "");
    expect(hint?.textContent).toContain(km("campaigns.updatePublicNote"));
    shown.unmount();
    await renderApp(<Updates coalition={coalition} campaign={campaignDetail({ visibility: "members" })} />, { lang: "km" });
    await screen.findByLabelText(km("campaigns.updateBody"));
    expect(screen.queryByText(km("campaigns.updatePublicNote"))).toBeNull();
  });
});
