// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import * as paths from "@samakki/shared/paths";
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ids } from "../../../../test/fixtures.ts";
import { field, mockApi, renderApp } from "../../../../test/render.tsx";
import { SetupPage } from "../SetupPage.tsx";

const en = (key: string) => translate("en", key);

describe("the first setup", () => {
  it("replaces the setup form in the history with the new coalition: Back does not return to it", async () => {
    const api = mockApi({
      "GET /api/setup": { body: { needed: true } },
      "POST /api/setup": { body: { coalitionId: ids.coalition, organisationId: ids.organisation, personId: ids.person } },
    });
    const { user, location } = await renderApp(<SetupPage />, { path: paths.setup() });
    await user.type(await screen.findByRole("textbox", { name: new RegExp(`^${en("setup.coalitionName")}`) }), "River Coalition");
    await user.type(field(en("organisation.name")), "Mekong Friends");
    await user.type(field(en("auth.displayName")), "Sokha");
    await user.type(field(en("auth.email")), "sokha@example.org");
    await user.type(field(en("auth.password")), "ribbons for freedom 2026");
    await user.click(screen.getByRole("button", { name: en("setup.submit") }));
    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    await waitFor(() => expect(location.history.at(-1)).toBe(paths.coalition(ids.coalition)));
    expect(location.history).toEqual([paths.coalition(ids.coalition)]);
  });
});
