// @vitest-environment happy-dom
import type { MeCoalition } from "@samakki/shared/auth";
import { translate } from "@samakki/shared/i18n/index";
import type { Language } from "@samakki/shared/i18n/translate";
import type { VoteInfo } from "@samakki/shared/statements";
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coalition, ids, statement } from "../../../../test/fixtures.ts";
import { mockApi, renderApp } from "../../../../test/render.tsx";
import { VotePanel } from "../VotePanel.tsx";

/**
 * Where the ballot box would be, a reader whose organisation casts no ballot is told why: an observer,
 * an organisation that was not yet a member when the vote opened, a person who is not a representative,
 * a person of no organisation.
 */

const at = "2026-11-20T03:00:00.000Z";
const organisation = {
  id: ids.organisation,
  name: "Mekong Friends",
  shortName: "MF",
  secondName: { language: "km" as const, name: "មិត្តមេគង្គ" },
};

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
  turnout: { eligible: 3, voted: 1 },
  ballots: null,
  receipts: null,
  myOrganisations: [],
  myOrganisationsNotVoting: [],
};

/** A plain member of the coalition (no coordinator): the page as they read it. */
const member: MeCoalition = {
  ...coalition,
  isCoordinator: false,
  organisations: [{ ...organisation, role: "member", representative: false }],
};

function renderPanel(vote: Partial<VoteInfo>, options: { lang?: Language; reader?: MeCoalition } = {}) {
  mockApi({});
  const s = statement({ status: "voting", vote: { ...openVote, ...vote }, permissions: { edit: false, manage: false } });
  return renderApp(<VotePanel coalition={options.reader ?? member} statement={s} />, { lang: options.lang });
}

const reasons = () => screen.queryAllByTestId("not-voting").map((p) => p.textContent);

describe("the vote panel, for a reader who casts no ballot", () => {
  it("an observer organisation: says that observers follow the vote without a ballot, in English and Khmer", async () => {
    const notVoting = [{ organisation, reason: "observer" as const }];
    const english = await renderPanel({ myOrganisationsNotVoting: notVoting });
    expect(reasons()).toEqual([translate("en", "votes.notVotingObserver", { organisation: "Mekong Friends" })]);
    expect(screen.queryAllByRole("radio")).toEqual([]);
    english.unmount();

    await renderPanel({ myOrganisationsNotVoting: notVoting }, { lang: "km" });
    expect(reasons()).toEqual([translate("km", "votes.notVotingObserver", { organisation: "មិត្តមេគង្គ" })]);
  });

  it("an organisation that was not yet a member when the vote opened: says so, while open and after the close", async () => {
    const notVoting = [{ organisation, reason: "not_member_at_opening" as const }];
    const open = await renderPanel({ myOrganisationsNotVoting: notVoting });
    expect(reasons()).toEqual([translate("en", "votes.notVotingLate", { organisation: "Mekong Friends" })]);
    open.unmount();

    await renderPanel({ status: "closed", closedAt: at, outcome: "adopted", receipts: [], myOrganisationsNotVoting: notVoting });
    expect(reasons()).toEqual([translate("en", "votes.notVotingLate", { organisation: "Mekong Friends" })]);
  });

  it("a person who is not a representative: their organisation's ballot box says that its representatives cast it", async () => {
    await renderPanel({ myOrganisations: [{ organisation, canCast: false, ballot: null, history: [] }] });
    expect(screen.getByRole("heading", { name: translate("en", "votes.ballotOf", { organisation: "Mekong Friends" }) })).toBeTruthy();
    expect(screen.getByText(translate("en", "votes.onlyRepresentatives"))).toBeTruthy();
    expect(screen.queryAllByRole("radio")).toEqual([]);
    expect(reasons()).toEqual([]);
  });

  it("a person of no organisation (a coordinator alone): says that member organisations' representatives vote", async () => {
    await renderPanel({}, { reader: { ...coalition, organisations: [] } });
    expect(reasons()).toEqual([translate("en", "votes.notVotingNoOrganisation")]);
  });

  it("a representative who can vote: the ballot box, and no reason", async () => {
    await renderPanel(
      { myOrganisations: [{ organisation, canCast: true, ballot: null, history: [] }] },
      { reader: { ...member, organisations: [{ ...organisation, role: "admin", representative: true }] } },
    );
    expect(screen.getAllByRole("radio")).toHaveLength(3);
    expect(reasons()).toEqual([]);
  });
});
