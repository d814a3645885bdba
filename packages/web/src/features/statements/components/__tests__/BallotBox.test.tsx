// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import type { Language } from "@samakki/shared/i18n/translate";
import type { VoteInfo } from "@samakki/shared/statements";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coalition, ids } from "../../../../test/fixtures.ts";
import { control, mockApi, problem, renderApp } from "../../../../test/render.tsx";
import { BallotBox } from "../BallotBox.tsx";

type Mine = VoteInfo["myOrganisations"][number];

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const ballotsPath = `/api/coalitions/${ids.coalition}/statements/${ids.statement}/vote/ballots`;
const organisation = {
  id: ids.organisation,
  name: "Mekong Friends",
  shortName: "MF",
  secondName: { language: "km" as const, name: "មិត្តមេគង្គ" },
};

function mine(overrides: Partial<Mine> = {}): Mine {
  return { organisation, canCast: true, ballot: null, history: [], ...overrides };
}

const counted: Mine["ballot"] = {
  choice: "object",
  named: true,
  comment: "Not in this form.",
  receipt: "R-OLD-RECEIPT",
  castAt: "2026-11-20T03:00:00.000Z",
};

function renderBallot(props: { mine?: Mine; open?: boolean; lang?: Language } = {}) {
  return renderApp(<BallotBox coalition={coalition} statementId={ids.statement} mine={props.mine ?? mine()} open={props.open ?? true} />, {
    lang: props.lang,
  });
}

/** The comment's name includes "(optional)". */
const commentBox = () => screen.getByRole("textbox", { name: new RegExp(`^${en("votes.comment")}`) });
const castButton = () => screen.getByRole("button", { name: en("votes.castSubmit") });

describe("the ballot box", () => {
  it("offers the three choices as one labelled radio group, usable from the keyboard alone", async () => {
    const api = mockApi({ [`POST ${ballotsPath}`]: { body: { receipt: "R-1", castAt: "2026-11-21T03:00:00.000Z", changed: false } } });
    const { user } = await renderBallot();
    const group = screen.getByRole("group", { name: en("votes.castLegend", { organisation: "Mekong Friends" }) });
    const radios = within(group).getAllByRole("radio");
    expect(radios.map((r) => r.getAttribute("value"))).toEqual(["endorse", "object", "abstain"]);
    expect(within(group).getByRole("radio", { name: en("choice.object") })).toBe(radios[1]);
    expect(radios.every((r) => !control(r, HTMLInputElement).checked)).toBe(true);

    // Tab into the group, Space picks the focused choice, the arrow keys move the choice within it.
    await user.tab();
    expect(document.activeElement).toBe(radios[0]);
    await user.keyboard(" ");
    expect(control(radios[0], HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole("group", { name: en("votes.namedLegend", { organisation: "Mekong Friends" }) })).toBeTruthy();
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(radios[1]);
    expect(control(radios[1], HTMLInputElement).checked).toBe(true);
    expect(control(radios[0], HTMLInputElement).checked).toBe(false);
    // Naming only concerns endorsements: the question goes away with another choice.
    expect(screen.queryByRole("group", { name: en("votes.namedLegend", { organisation: "Mekong Friends" }) })).toBeNull();

    // Enter in the comment submits the form (no mouse anywhere).
    await user.tab();
    expect(document.activeElement).toBe(commentBox());
    await user.keyboard("Ok");
    await user.tab();
    expect(document.activeElement).toBe(castButton());
    await user.keyboard("{Enter}");
    await screen.findByText(en("votes.castDone"));
    expect(api.calls("POST")).toEqual([
      { method: "POST", path: ballotsPath, body: { organisationId: ids.organisation, choice: "object", named: true, comment: "Ok" } },
    ]);
  });

  it("refuses to send without a choice: the error sits by the group and focus goes to it", async () => {
    const api = mockApi({});
    const { user } = await renderBallot();
    await user.click(castButton());
    const error = await screen.findByText(en("votes.chooseChoice"));
    const group = screen.getByRole("group", { name: en("votes.castLegend", { organisation: "Mekong Friends" }) });
    expect(group.getAttribute("aria-invalid")).toBe("true");
    expect(group.getAttribute("aria-describedby")).toBe(error.id);
    const radios = within(group).getAllByRole("radio");
    expect(radios.every((r) => r.getAttribute("aria-invalid") === "true")).toBe(true);
    expect(document.activeElement).toBe(radios[0]);
    expect(api.calls()).toEqual([]);
  });

  it("asks an endorsement whether to name the organisation, and sends nothing until answered", async () => {
    const api = mockApi({});
    const { user } = await renderBallot();
    await user.click(screen.getByRole("radio", { name: en("choice.endorse") }));
    await user.click(castButton());
    await screen.findByText(en("votes.chooseNamed"));
    expect(screen.getByRole("radio", { name: new RegExp(en("votes.namedYes")) }).getAttribute("aria-invalid")).toBe("true");
    expect(api.calls()).toEqual([]);
  });

  it("sends the endorsement with the naming answer and the trimmed comment, disabled while it is on its way, then shows the receipt", async () => {
    let answer: (value: Response) => void = () => undefined;
    const api = mockApi({
      [`POST ${ballotsPath}`]: () =>
        new Promise<Response>((resolve) => {
          answer = resolve;
        }),
    });
    const { user } = await renderBallot();
    await user.click(screen.getByRole("radio", { name: en("choice.endorse") }));
    await user.click(screen.getByRole("radio", { name: new RegExp(en("votes.namedNo")) }));
    await user.type(commentBox(), "  We agree.  ");
    await user.click(castButton());

    await waitFor(() => expect(api.calls("POST")).toHaveLength(1));
    expect(api.calls("POST")[0]?.body).toEqual({ organisationId: ids.organisation, choice: "endorse", named: false, comment: "We agree." });
    expect(control(castButton(), HTMLButtonElement).disabled).toBe(true);
    expect(castButton().getAttribute("aria-busy")).toBe("true");
    await user.click(castButton());
    expect(api.calls("POST")).toHaveLength(1);

    answer(
      new Response(JSON.stringify({ receipt: "R-7F3A", castAt: "2026-11-21T03:00:00.000Z", changed: false }), {
        headers: { "content-type": "application/json" },
      }),
    );
    const done = await screen.findByRole("status");
    expect(done.textContent).toContain(en("votes.castDone"));
    expect(done.textContent).toContain(en("votes.receiptSaved", { receipt: "R-7F3A" }));
    expect(control(castButton(), HTMLButtonElement).disabled).toBe(false);
  });

  it("shows the API's refusal (the vote closed meanwhile) and keeps the choice", async () => {
    mockApi({
      [`POST ${ballotsPath}`]: problem(409, "precondition_failed", "The vote is closed", { detail: "Ballots can no longer be cast." }),
    });
    const { user } = await renderBallot();
    await user.click(screen.getByRole("radio", { name: en("choice.abstain") }));
    await user.click(castButton());
    const alert = await screen.findByRole("alert");
    // Said from its code in the page's language, as the API says it (its title is the code's).
    expect(alert.textContent).toContain(en("errors.precondition_failed.title"));
    expect(alert.textContent).toContain(en("errors.precondition_failed.detail"));
    expect(control(screen.getByRole("radio", { name: en("choice.abstain") }), HTMLInputElement).checked).toBe(true);
    expect(screen.queryByText(en("votes.castDone"))).toBeNull();
  });

  it("keeps a cast ballot behind a change disclosure, preselected, and says when a change was counted", async () => {
    const api = mockApi({ [`POST ${ballotsPath}`]: { body: { receipt: "R-NEW", castAt: "2026-11-21T03:00:00.000Z", changed: true } } });
    const { user } = await renderBallot({ mine: mine({ ballot: counted }) });
    const current = screen.getByTestId("current-ballot");
    expect(current.textContent).toContain(en("choice.object"));
    expect(current.textContent).toContain("R-OLD-RECEIPT");
    await user.click(screen.getByText(en("votes.changeOpen")));
    expect(control(screen.getByRole("radio", { name: en("choice.object") }), HTMLInputElement).checked).toBe(true);
    expect(control(commentBox(), HTMLTextAreaElement).value).toBe("Not in this form.");
    await user.click(screen.getByRole("radio", { name: en("choice.abstain") }));
    await user.click(screen.getByRole("button", { name: en("votes.changeSubmit") }));
    await screen.findByText(en("votes.changedDone"));
    expect(api.calls("POST")[0]?.body).toMatchObject({ choice: "abstain", comment: "Not in this form." });
  });

  it("has no form once the vote is closed, nor for people who do not represent the organisation", async () => {
    mockApi({});
    const closed = await renderBallot({ mine: mine({ ballot: counted }), open: false });
    expect(screen.queryAllByRole("radio")).toEqual([]);
    expect(screen.queryByRole("button", { name: en("votes.castSubmit") })).toBeNull();
    expect(screen.queryByText(en("votes.changeOpen"))).toBeNull();
    expect(screen.getByTestId("current-ballot").textContent).toContain("R-OLD-RECEIPT");
    closed.unmount();

    const never = await renderBallot({ open: false });
    expect(screen.getByText(en("votes.didNotVote"))).toBeTruthy();
    expect(screen.queryAllByRole("radio")).toEqual([]);
    never.unmount();

    await renderBallot({ mine: mine({ canCast: false }) });
    expect(screen.getByText(en("votes.onlyRepresentatives"))).toBeTruthy();
    expect(screen.queryAllByRole("radio")).toEqual([]);
  });

  it("speaks Khmer: the legend with the organisation's Khmer name, the choices, the naming question and the errors", async () => {
    const km = (key: string, params?: Record<string, string | number>) => translate("km", key, params);
    const api = mockApi({});
    const { user } = await renderBallot({ lang: "km" });
    const group = screen.getByRole("group", { name: km("votes.castLegend", { organisation: "មិត្តមេគង្គ" }) });
    const names = within(group)
      .getAllByRole("radio")
      .map((r) => r.closest("label")?.textContent);
    expect(names).toEqual(["គាំទ្រ", "ជំទាស់", "អនុប្បវាទ"]);
    await user.click(screen.getByRole("radio", { name: "គាំទ្រ" }));
    expect(screen.getByRole("group", { name: km("votes.namedLegend", { organisation: "មិត្តមេគង្គ" }) })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: km("votes.castSubmit") }));
    expect((await screen.findByText(km("votes.chooseNamed"))).textContent).toMatch(/[\u1780-\u17FF]/);
    expect(document.body.textContent).not.toContain(en("votes.castSubmit"));
    expect(document.body.textContent).not.toContain("Mekong Friends");
    expect(api.calls()).toEqual([]);
  });
});
