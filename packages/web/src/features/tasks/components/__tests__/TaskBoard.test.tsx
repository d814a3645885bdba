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

  describe("tells each reader what they can do with the cards", () => {
    const other = { id: ids.otherOrganisation, name: "Tonle Sap Youth", shortName: null, secondName: null };
    const mine = { id: ids.organisation, name: "Mekong Friends", shortName: "MF", secondName: null };
    /** A member (not an admin) of Mekong Friends, not a coordinator, whose organisation does not run the campaign. */
    const member = {
      ...coalition,
      isCoordinator: false,
      organisations: coalition.organisations.map((o) => ({ ...o, role: "member" as const })),
    };
    const board = (tasks: ReturnType<typeof task>[], canEdit = true) =>
      mockApi({
        "GET /api/me": { body: me() },
        [`GET /api/coalitions/${ids.coalition}/campaigns/${ids.campaign}`]: { body: campaignDetail({ canEdit }) },
        [`GET /api/coalitions/${ids.coalition}/tasks*`]: { body: { items: tasks, nextCursor: null } },
      });
    const hints = ["tasks.boardHint", "tasks.boardHintSome", "tasks.boardHintNone"];
    /** Which of the three hints the page shows, in the reader's language. */
    const shownHint = (lang: "en" | "km") => hints.filter((key) => screen.queryByText(translate(lang, key)) !== null);

    it("the move hint when every card has its list", async () => {
      board([task({ assigneeOrganisation: mine, assigneePerson: { id: ids.person, displayName: "Sokha" } })], false);
      await renderApp(<TaskBoard coalition={member} campaignId={ids.campaign} />);
      await screen.findByRole("combobox", { name: en("tasks.moveTo", { task: "Print the banners" }) });
      expect(shownHint("en")).toEqual(["tasks.boardHint"]);
    });

    it("when some cards have no list, that only the organisation a task is assigned to moves it", async () => {
      board([
        task({ id: ids.task, title: "Ours", assigneeOrganisation: mine }),
        task({ id: ids.vote, title: "Theirs", assigneeOrganisation: other }),
      ]);
      // An admin of Mekong Friends: moves its task, not Tonle Sap Youth's.
      await renderApp(<TaskBoard coalition={coalition} campaignId={ids.campaign} />, { lang: "km" });
      await screen.findByRole("heading", { level: 1 });
      expect(screen.getAllByRole("combobox")).toHaveLength(1);
      expect(shownHint("km")).toEqual(["tasks.boardHintSome"]);
    });

    it("when no card has a list, says so instead of the move hint", async () => {
      board(
        [
          task({ id: ids.task, title: "Theirs", assigneeOrganisation: other }),
          // Assigned to the reader's organisation, but not to them, and they are not its admin.
          task({ id: ids.vote, title: "Ours", assigneeOrganisation: mine, assigneePerson: { id: ids.otherPerson, displayName: "Dara" } }),
          // Unassigned: the campaign's organisers move it, and the reader is not one.
          task({ id: ids.version, title: "Nobody's" }),
        ],
        false,
      );
      await renderApp(<TaskBoard coalition={member} campaignId={ids.campaign} />);
      await screen.findByRole("heading", { level: 1 });
      expect(screen.queryAllByRole("combobox")).toHaveLength(0);
      expect(shownHint("en")).toEqual(["tasks.boardHintNone"]);
    });
  });
});
