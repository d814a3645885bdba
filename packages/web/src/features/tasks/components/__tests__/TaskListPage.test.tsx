// @vitest-environment happy-dom
import type { MeCoalition } from "@samakki/shared/auth";
import { translate } from "@samakki/shared/i18n/index";
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { campaign, coalition, ids, me, memberOrganisations } from "../../../../test/fixtures.ts";
import { mockApi, renderApp } from "../../../../test/render.tsx";
import { TaskListPage } from "../TaskListPage.tsx";

const en = (key: string) => translate("en", key);
const km = (key: string) => translate("km", key);
const base = `/api/coalitions/${ids.coalition}`;

/** A member of Mekong Friends, not a coordinator. */
const member: MeCoalition = { ...coalition, isCoordinator: false };
const ownedByUs = { ...campaign, owners: [{ id: ids.organisation, name: "Mekong Friends", shortName: "MF" }] };
const ownedByOthers = { ...campaign, owners: [{ id: ids.otherOrganisation, name: "Tonle Youth", shortName: null }] };

function api(campaigns: unknown[]) {
  return mockApi({
    "GET /api/me": { body: me() },
    [`GET ${base}/tasks*`]: { body: { items: [], nextCursor: null } },
    [`GET ${base}/campaigns?limit=100`]: { body: { items: campaigns, nextCursor: null } },
    [`GET ${base}/members`]: { body: memberOrganisations },
  });
}

describe("the task list's New task button", () => {
  it("is not offered to a member whose organisation co-owns no campaign (the API would refuse the task)", async () => {
    api([ownedByOthers]);
    await renderApp(<TaskListPage coalition={member} />);
    // The page is drawn: its CSV link is there, the New task link is not.
    expect(await screen.findByRole("link", { name: en("tasks.exportCsv") })).toBeTruthy();
    expect(screen.queryByRole("link", { name: en("tasks.new") })).toBeNull();
  });

  it("is not offered in Khmer either", async () => {
    api([]);
    await renderApp(<TaskListPage coalition={member} />, { lang: "km" });
    expect(await screen.findByRole("link", { name: km("tasks.exportCsv") })).toBeTruthy();
    expect(screen.queryByRole("link", { name: km("tasks.new") })).toBeNull();
  });

  it("is offered to a member whose organisation co-owns a campaign", async () => {
    api([ownedByOthers, { ...ownedByUs, id: "ca3a0000-0000-4000-8000-0000000000bb" }]);
    await renderApp(<TaskListPage coalition={member} />);
    expect(await screen.findByRole("link", { name: en("tasks.new") })).toBeTruthy();
  });

  it("is offered to a coordinator, who may create a task in no campaign at all", async () => {
    api([]);
    await renderApp(<TaskListPage coalition={coalition} />);
    expect(await screen.findByRole("link", { name: en("tasks.new") })).toBeTruthy();
  });
});
