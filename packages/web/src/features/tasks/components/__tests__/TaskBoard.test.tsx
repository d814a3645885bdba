// @vitest-environment happy-dom

import { translate } from "@samakki/shared/i18n/index";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { campaignDetail, coalition, ids, me, campaign as summary, task } from "../../../../test/fixtures.ts";
import { mockApi, problem, renderApp } from "../../../../test/render.tsx";
import { TaskBoard } from "../TaskBoard.tsx";

const en = (key: string, params?: Record<string, string>) => translate("en", key, params);

describe("a campaign's task board", () => {
  it("says at once that the campaign is not there, without waiting for its tasks", async () => {
    mockApi({
      "GET /api/me": { body: me() },
      [`GET /api/coalitions/${ids.coalition}/campaigns/${ids.campaign}`]: () => problem(404, "not_found", "Not found"),
      // The tasks never come.
      [`GET /api/coalitions/${ids.coalition}/tasks*`]: () => new Promise(() => undefined),
    });
    await renderApp(<TaskBoard coalition={coalition} campaignId={ids.campaign} />);
    expect(await screen.findByText(translate("en", "errors.not_found.title"))).toBeTruthy();
    expect(screen.queryByText(en("common.loading"))).toBeNull();
  });

  it("names the campaign in the reader's language: its Khmer title on a Khmer page", async () => {
    const campaign = campaignDetail({ secondTitle: { language: "km", name: "ទន្លេស្អាត" } });
    mockApi({
      "GET /api/me": { body: me() },
      [`GET /api/coalitions/${ids.coalition}/campaigns/${ids.campaign}`]: { body: campaign },
      [`GET /api/coalitions/${ids.coalition}/tasks*`]: { body: { items: [], nextCursor: null } },
    });
    await renderApp(<TaskBoard coalition={coalition} campaignId={ids.campaign} />, { lang: "km" });
    const heading = await screen.findByRole("heading", { level: 1 });
    expect(heading.textContent).toContain("ទន្លេស្អាត");
    expect(heading.textContent).not.toContain(summary.title);
    expect(screen.getByRole("link", { name: "ទន្លេស្អាត" })).toBeTruthy();
  });

  it("gives the focus back to a moved card's list in its new column, and says where it went", async () => {
    let status: "todo" | "in_progress" = "todo";
    const api = mockApi({
      "GET /api/me": { body: me() },
      [`GET /api/coalitions/${ids.coalition}/campaigns/${ids.campaign}`]: { body: campaignDetail() },
      [`GET /api/coalitions/${ids.coalition}/tasks*`]: () => ({ body: { items: [task({ status })], nextCursor: null } }),
      [`POST /api/coalitions/${ids.coalition}/tasks/${ids.task}/status`]: () => {
        status = "in_progress";
        return { body: task({ status }) };
      },
    });
    const { user } = await renderApp(<TaskBoard coalition={coalition} campaignId={ids.campaign} />);
    const moveTo = en("tasks.moveTo", { task: "Print the banners" });
    const todo = await screen.findByTestId("column-todo");
    await user.selectOptions(within(todo).getByRole("combobox", { name: moveTo }), "in_progress");
    await user.click(within(todo).getByRole("button", { name: en("tasks.move") }));

    // Drawn anew in its new column: the focus is on its list there (not lost to the page's body).
    const doing = screen.getByTestId("column-in_progress");
    await waitFor(() => expect(within(doing).queryByRole("combobox", { name: moveTo })).not.toBeNull());
    const select = within(doing).getByRole("combobox", { name: moveTo });
    await waitFor(() => expect(document.activeElement).toBe(select));
    expect(within(todo).queryByRole("combobox", { name: moveTo })).toBeNull();
    expect(screen.getByRole("status").textContent).toBe(
      translate("en", "tasks.moved", { task: "Print the banners", status: en("taskStatus.in_progress") }),
    );
    expect(api.calls("POST")).toEqual([
      { method: "POST", path: `/api/coalitions/${ids.coalition}/tasks/${ids.task}/status`, body: { status: "in_progress" } },
    ]);
  });
});
