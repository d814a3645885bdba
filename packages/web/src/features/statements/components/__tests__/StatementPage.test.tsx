// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import type { Statement, VoteInfo } from "@samakki/shared/statements";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coalition, ids, me, statement } from "../../../../test/fixtures.ts";
import { mockApi, type Route, renderApp } from "../../../../test/render.tsx";
import { StatementPage } from "../StatementPage.tsx";

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const one = `/api/coalitions/${ids.coalition}/statements/${ids.statement}`;
const at = "2026-11-20T03:00:00.000Z";

const openVote: VoteInfo = {
  id: ids.vote,
  versionId: ids.version,
  versionNumber: 1,
  sha256: "cd".repeat(32),
  status: "open",
  quorum: 0.5,
  threshold: "majority",
  closesAt: "2026-12-01T03:00:00.000Z",
  totalsVisible: false,
  openedAt: at,
  closedAt: null,
  outcome: null,
  tally: null,
  turnout: { eligible: 1, voted: 1 },
  ballots: null,
  receipts: null,
  myOrganisations: [],
  myOrganisationsNotVoting: [],
};
const closedVote: VoteInfo = { ...openVote, status: "closed", closedAt: at, outcome: "adopted", receipts: [] };

/** The statement page over a statement the routes change (`state.current`), as the API would. */
async function renderPage(initial: Statement, routes: (state: { current: Statement }) => Record<string, Route>) {
  const state = { current: initial };
  const api = mockApi({
    "GET /api/me": { body: me() },
    [`GET ${one}`]: () => ({ body: state.current }),
    [`GET ${one}/versions/*`]: { body: [] },
    [`GET /api/coalitions/${ids.coalition}/statements*`]: { body: { items: [], nextCursor: null } },
    ...routes(state),
  });
  const rendered = await renderApp(<StatementPage coalition={coalition} statementId={ids.statement} />);
  await screen.findByRole("heading", { level: 1, name: initial.title });
  return { ...rendered, api, state };
}

/** The confirmation took the focus, and is the notice that says `text`. */
async function expectFocusedConfirmation(text: string) {
  const notice = await screen.findByText(text);
  await waitFor(() => expect(document.activeElement).toBe(notice.closest(".notice")));
  expect(document.activeElement?.getAttribute("tabindex")).toBe("-1");
}

describe("the statement page's actions, for a keyboard and a screen reader", () => {
  it("opening the vote: the form goes away, and the focus goes to the confirmation", async () => {
    const { user, api } = await renderPage(statement(), (state) => ({
      [`POST ${one}/vote`]: () => {
        state.current = statement({ status: "voting", vote: openVote });
        return { body: state.current };
      },
    }));
    await user.click(screen.getByRole("button", { name: en("votes.open") }));
    await expectFocusedConfirmation(en("votes.openedDone"));
    expect(screen.queryByRole("button", { name: en("votes.open") })).toBeNull();
    expect(api.calls("POST").map((r) => r.path)).toEqual([`${one}/vote`]);
  });

  it("casting a ballot: the form closes, and the focus goes to the confirmation with the receipt", async () => {
    const organisation = { id: ids.organisation, name: "Mekong Friends", shortName: "MF", secondName: null };
    const voting = (ballot: VoteInfo["myOrganisations"][number]["ballot"]) =>
      statement({ status: "voting", vote: { ...openVote, myOrganisations: [{ organisation, canCast: true, ballot, history: [] }] } });
    const { user, api } = await renderPage(voting(null), (state) => ({
      [`POST ${one}/vote/ballots`]: () => {
        state.current = voting({ choice: "abstain", named: true, comment: "", receipt: "R-7F3A", castAt: at });
        return { body: { receipt: "R-7F3A", castAt: at, changed: false } };
      },
    }));
    await user.click(screen.getByRole("radio", { name: en("choice.abstain") }));
    await user.click(screen.getByRole("button", { name: en("votes.castSubmit") }));
    await expectFocusedConfirmation(en("votes.castDone"));
    expect(document.activeElement?.textContent).toContain(en("votes.receiptSaved", { receipt: "R-7F3A" }));
    // The page shows the ballot now, the form folded away under "change": the focus stayed on the confirmation.
    await waitFor(() => expect(screen.queryByRole("button", { name: en("votes.castSubmit") })).toBeNull());
    expect(document.activeElement?.textContent).toContain(en("votes.castDone"));
    expect(api.calls("POST").map((r) => r.path)).toEqual([`${one}/vote/ballots`]);
  });

  it("closing the vote (after its confirmation): the controls go away, and the focus goes to the confirmation", async () => {
    const { user, api } = await renderPage(statement({ status: "voting", vote: openVote }), (state) => ({
      [`POST ${one}/vote/close`]: () => {
        state.current = statement({ status: "adopted", vote: closedVote });
        return { body: state.current };
      },
    }));
    await user.click(screen.getByRole("button", { name: en("votes.closeNow") }));
    const dialog = await screen.findByRole("dialog", { name: en("votes.closeConfirmTitle") });
    await user.click(within(dialog).getByRole("button", { name: en("votes.closeConfirmAction") }));
    await expectFocusedConfirmation(en("votes.closedDone"));
    expect(screen.queryByRole("button", { name: en("votes.closeNow") })).toBeNull();
    expect(api.calls("POST").map((r) => r.path)).toEqual([`${one}/vote/close`]);
  });

  it("publishing (after its confirmation): the actions go away, and the focus goes to the confirmation", async () => {
    const { user, api } = await renderPage(statement({ status: "adopted", vote: closedVote }), (state) => ({
      [`POST ${one}/publish`]: () => {
        state.current = statement({ status: "published", vote: closedVote, publishedAt: at, publicUrl: "https://samakki.test/s/1" });
        return { status: 204 };
      },
    }));
    await user.click(screen.getByRole("button", { name: en("statements.publish") }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: en("statements.publish") }));
    await expectFocusedConfirmation(en("statements.publishedDone"));
    expect(screen.queryByRole("button", { name: en("statements.publish") })).toBeNull();
    expect(api.calls("POST").map((r) => r.path)).toEqual([`${one}/publish`]);
  });
});

describe("the versions card", () => {
  const v2 = { ...statement().current, id: "7e450000-0000-4000-8000-0000000000f2", number: 2, title: "Protect the river now" };
  const twoVersions = statement({ versions: [statement().current, v2], current: v2, versionCount: 2 });

  it("says what its buttons now show elsewhere, in a status that was there before", async () => {
    const { user } = await renderPage(twoVersions, () => ({
      [`GET ${one}/versions/1`]: { body: statement().current },
      [`GET ${one}/diff?from=1&to=2`]: {
        body: {
          from: 1,
          to: 2,
          title: [{ value: "Protect the river", added: false, removed: false }],
          bodyEn: [{ value: "We ask…", added: false, removed: false }],
          bodyKm: [],
        },
      },
    }));
    const card = screen.getByRole("heading", { level: 2, name: en("statements.versionsTitle") }).closest("section");
    if (!card) throw new Error("no versions card");
    const status = within(card).getByRole("status");
    expect(status.textContent).toBe("");

    const read = within(card).getByRole("button", { name: en("statements.read", { number: 1 }) });
    await user.click(read);
    expect(status.textContent).toBe(en("statements.readingVersion", { number: 1 }));
    expect(document.activeElement).toBe(read);

    await user.click(within(card).getByRole("button", { name: en("statements.compare") }));
    expect(status.textContent).toBe(en("statements.diffShown", { from: 1, to: 2 }));
    expect(within(card).getByRole("status")).toBe(status);
  });
});
