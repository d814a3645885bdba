// @vitest-environment happy-dom
import type { Coalition } from "@samakki/shared/coalitions";
import { translate } from "@samakki/shared/i18n/index";
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ids, me } from "../../../../test/fixtures.ts";
import { mockApi, renderApp } from "../../../../test/render.tsx";
import { CoalitionNameCard } from "../CoalitionNameCard.tsx";

const en = (key: string) => translate("en", key);
const path = `/api/coalitions/${ids.coalition}`;
const settings: Coalition = {
  id: ids.coalition,
  name: "River Coalition",
  secondName: null,
  slug: "river-coalition",
  description: "",
  timeZone: "Asia/Phnom_Penh",
  requireTwoFactor: false,
  createdAt: "2026-11-01T00:00:00.000Z",
};

describe("the coalition's name", () => {
  it("a coordinator gives it a Khmer name, sent with its name", async () => {
    const api = mockApi({
      "GET /api/me": { body: me() },
      [`GET ${path}`]: { body: settings },
      [`PATCH ${path}`]: (request) => ({ body: { ...settings, ...(request.body as object) } }),
    });
    const { user } = await renderApp(<CoalitionNameCard coalitionId={ids.coalition} />);
    await user.type(await screen.findByLabelText(en("names.secondName"), { exact: false }), "សម្ព័ន្ធទន្លេ");
    await user.click(screen.getByRole("button", { name: en("common.save") }));
    await waitFor(() => expect(api.calls("PATCH")).toHaveLength(1));
    expect(api.calls("PATCH")[0]?.body).toEqual({ name: "River Coalition", secondName: { language: "km", name: "សម្ព័ន្ធទន្លេ" } });
    expect(await screen.findByText(en("common.saved"))).toBeTruthy();
  });
});
