// @vitest-environment happy-dom
import type { InvitationPreview } from "@samakki/shared/coalitions";
import { translate } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ids, me } from "../../../../test/fixtures.ts";
import { mockApi, renderApp } from "../../../../test/render.tsx";
import { AcceptInvitationPage } from "../AcceptInvitationPage.tsx";

const token = "t".repeat(32);
const preview: InvitationPreview = {
  kind: "organisation",
  coordinator: false,
  email: "dara@example.org",
  coalitionName: "Alliance for Freedom of Expression",
  coalitionSecondName: { language: "km", name: "សម្ព័ន្ធភាពដើម្បីសេរីភាពបញ្ចេញមតិ" },
  organisationName: "Youth Network",
  organisationSecondName: { language: "km", name: "បណ្ដាញយុវជន" },
  expiresAt: "2030-01-01T00:00:00.000Z",
  accountExists: false,
  displayName: null,
  language: null,
};

describe("the invitation page", () => {
  it.each([
    ["km", "បណ្ដាញយុវជន", "សម្ព័ន្ធភាពដើម្បីសេរីភាពបញ្ចេញមតិ"],
    ["en", "Youth Network", "Alliance for Freedom of Expression"],
  ] as const)("names the organisation and the coalition in the reader's language (%s)", async (lang, organisation, coalition) => {
    mockApi({ [`GET /api/invitations/${token}`]: { body: preview } });
    await renderApp(<AcceptInvitationPage token={token} />, { lang });
    const intro = translate(lang, "invitation.organisationIntro", { organisation, coalition });
    expect(await screen.findByText(intro)).toBeTruthy();
  });

  it("replaces the used invitation in the history with the organisation: Back does not offer it again", async () => {
    const api = mockApi({
      "GET /api/me": { body: me({ email: preview.email }) },
      [`GET /api/invitations/${token}`]: { body: preview },
      [`POST /api/invitations/${token}/accept`]: {
        body: { organisationId: ids.organisation, coalitionId: ids.coalition, accountCreated: false },
      },
    });
    const { user, location } = await renderApp(<AcceptInvitationPage token={token} />, { path: paths.invitation(token) });
    await user.click(await screen.findByRole("button", { name: translate("en", "invitation.accept") }));
    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    await waitFor(() => expect(location.history.at(-1)).toBe(paths.organisation(ids.organisation)));
    expect(location.history).toEqual([paths.organisation(ids.organisation)]);
  });
});
