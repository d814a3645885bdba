// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../../test/fixtures.ts";
import { mockApi, renderApp } from "../../../../test/render.tsx";
import { OperatorPage } from "../OperatorPage.tsx";

const coalitions = "GET /api/operator/coalitions";

describe("the operator page", () => {
  it("tells someone who is not an operator how one becomes one, and offers no form it would refuse", async () => {
    const api = mockApi({ "GET /api/me": { body: { ...me(), operator: false } }, [coalitions]: { body: [] } });
    await renderApp(<OperatorPage />, { lang: "km" });
    expect(await screen.findByText(translate("km", "operator.notOperator"))).toBeTruthy();
    expect(screen.queryByRole("form")).toBeNull();
    expect(screen.queryAllByRole("textbox")).toHaveLength(0);
    expect(api.calls("GET").filter((c) => c.path.startsWith("/api/operator"))).toEqual([]);
  });

  it("shows an operator the coalitions and the form to create one", async () => {
    mockApi({ "GET /api/me": { body: { ...me(), operator: true } }, [coalitions]: { body: [] } });
    await renderApp(<OperatorPage />);
    expect(await screen.findByText(translate("en", "operator.none"))).toBeTruthy();
    expect(screen.queryByText(translate("en", "operator.notOperator"))).toBeNull();
    expect(screen.getAllByRole("textbox").length).toBeGreaterThan(0);
  });

  it("names each coalition in the reader's language, in the list and in the deletion question", async () => {
    const coalition = {
      id: "00000000-0000-4000-8000-000000000001",
      name: "Alliance for Freedom of Expression",
      secondName: { language: "km", name: "សម្ព័ន្ធភាពសេរីភាពបញ្ចេញមតិ" },
      slug: "afec",
      createdAt: "2026-01-01T00:00:00.000Z",
      status: "active",
      deletionDueAt: null,
      organisations: 3,
      coordinators: 1,
    };
    mockApi({ "GET /api/me": { body: { ...me(), operator: true } }, [coalitions]: { body: [coalition] } });
    const { user } = await renderApp(<OperatorPage />, { lang: "km" });
    expect(await screen.findByText("សម្ព័ន្ធភាពសេរីភាពបញ្ចេញមតិ")).toBeTruthy();
    expect(screen.queryByText(coalition.name)).toBeNull();
    await user.click(screen.getByRole("button", { name: translate("km", "operator.scheduleDeletion") }));
    expect(await screen.findByText(translate("km", "operator.scheduleConfirm", { name: "សម្ព័ន្ធភាពសេរីភាពបញ្ចេញមតិ" }))).toBeTruthy();
  });
});
