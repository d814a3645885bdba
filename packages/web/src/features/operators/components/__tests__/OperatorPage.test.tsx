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
});
