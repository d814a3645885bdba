// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import type { Target } from "@samakki/shared/letters";
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coalition, ids, me } from "../../../../test/fixtures.ts";
import { mockApi, problem, renderApp } from "../../../../test/render.tsx";
import { TargetsPage } from "../TargetsPage.tsx";

const en = (key: string) => translate("en", key);
const targets = `/api/coalitions/${ids.coalition}/letter-targets`;
const target: Target = {
  id: "7a19e700-0000-4000-8000-000000000001",
  nameKm: "សុខ ដារា",
  nameEn: "Sok Dara",
  role: "MP",
  party: "",
  province: null,
  constituency: "",
  email: "",
  phone: "",
  fax: "",
  postalAddress: "",
  archived: false,
  updatedAt: "2026-11-01T00:00:00.000Z",
};

describe("the letter targets directory", () => {
  it("says why an archive did not go through, instead of nothing", async () => {
    const api = mockApi({
      "GET /api/me": { body: me() },
      [`GET ${targets}*`]: { body: [target] },
      [`PATCH ${targets}/${target.id}`]: problem(403, "forbidden", "You may not do this"),
    });
    const { user } = await renderApp(<TargetsPage coalition={coalition} />, { path: "/" });
    await user.click(await screen.findByRole("button", { name: en("letters.targets.archive") }));
    // The problem said in the reader's language from its code, as the API does.
    expect(await screen.findByText(translate("en", "errors.forbidden.title"))).toBeTruthy();
    expect(api.calls("PATCH")).toHaveLength(1);
  });
});
