/**
 * Joint statements in a real browser against the built app (issue 4): a member proposes and
 * revises a statement, a coordinator opens a vote, the representatives of three organisations
 * vote (one changes its ballot, one endorses anonymously, in Khmer), the coordinator closes the
 * vote early once everyone has voted and publishes; the public page names the right signatories
 * and counts the anonymous endorsement. Needs `pnpm --filter @samakki/web build` and
 * `pnpm --filter @samakki/api build` first. The coalition is seeded through the HTTP API.
 * Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  acceptInvitation,
  DESKTOP,
  en,
  expectHeading,
  inviteOrganisation,
  km,
  launchBrowser,
  type Person,
  screenshot,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const COALITION = "Alliance for Freedom of Expression in Cambodia";
const coordinator = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const secretariat = { name: "Secretariat NGO", shortName: "SEC" };
/** Endorses, then changes its ballot to object: must not be named publicly. */
const cchr = {
  org: { name: "Cambodian Center for Human Rights", shortName: "CCHR" },
  person: { name: "Dara Kim", email: "admin@cchr.example", password: "three weeks to angkor wat" },
};
/** Endorses anonymously, in Khmer: counted, never named. */
const licadho = {
  org: { name: "Cambodian League for the Promotion and Defense of Human Rights", shortName: "LICADHO" },
  person: { name: "Chanthy Meas", email: "admin@licadho.example", password: "yellow ribbons for all" },
};

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A new browser context, signed in as `person` through the API. */
async function signedInContext(person: Person): Promise<BrowserContext> {
  const context = await browser.newContext();
  const res = await signIn(context, server.url, person);
  expect(res.status(), await res.text()).toBeLessThan(300);
  return context;
}

async function inviteAndAccept(seed: ApiClient, coalitionId: string, member: typeof cchr): Promise<void> {
  await inviteOrganisation(seed, coalitionId, member.org, member.person.email);
  await acceptInvitation(server, member.person);
}

describe("joint statement, vote and publication in the browser", () => {
  let coalitionId = "";
  let slug = "";
  let statementUrl = "";
  let statementId = "";
  let coordinatorPage: Page;
  const nativeDialogs: string[] = [];
  const receipts: Record<string, string> = {};

  it("seeds a coalition of three member organisations through the API", async () => {
    const seed = new ApiClient(server.url);
    const setup = await setupCoalition(seed, { coalitionName: COALITION, organisation: secretariat, coordinator });
    coalitionId = setup.coalitionId;
    await inviteAndAccept(seed, coalitionId, cchr);
    await inviteAndAccept(seed, coalitionId, licadho);
    const members = await seed.send<{ organisation: { name: string }; status: string }[]>("GET", `/api/coalitions/${coalitionId}/members`);
    expect(
      members
        .filter((m) => m.status === "active")
        .map((m) => m.organisation.name)
        .sort(),
    ).toEqual([cchr.org.name, licadho.org.name, secretariat.name].sort());
    const me = await seed.send<{ coalitions: { id: string; slug: string }[] }>("GET", "/api/me");
    slug = me.coalitions.find((c) => c.id === coalitionId)?.slug ?? "";
    expect(slug).not.toBe("");
  });

  it("a member proposes a bilingual draft, revises it, compares the versions and comments", async () => {
    const context = await signedInContext(coordinator);
    coordinatorPage = await context.newPage();
    const page = coordinatorPage;
    // Confirmations are the app's own <dialog>, never the browser's window.confirm.
    page.on("dialog", (dialog) => {
      nativeDialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${server.url}/c/${coalitionId}/statements`);
    await expectHeading(page, en("statements.title"));
    await visible(page.getByText(en("statements.empty")));
    await page.getByRole("link", { name: en("statements.propose") }).click();
    await expectHeading(page, en("statements.newTitle"));

    // Nothing written: the errors show beside the fields, and nothing is sent.
    await page.getByRole("button", { name: en("statements.saveDraft") }).click();
    await visible(page.getByText(en("statements.bodyRequired")));
    expect(await page.getByLabel(en("statements.fieldTitle"), { exact: true }).getAttribute("aria-invalid")).toBe("true");

    await page.getByLabel(en("statements.fieldTitle"), { exact: true }).fill("Release the detained land activists");
    await page
      .getByLabel(en("statements.bodyEn"))
      .fill(
        "The undersigned organisations call on the authorities to release the activists detained in Phnom Penh.\n\nWe ask for a fair trial.",
      );
    await page.getByLabel(en("statements.bodyKm")).fill("អង្គការដែលបានចុះហត្ថលេខាខាងក្រោម សូមអំពាវនាវឱ្យអាជ្ញាធរដោះលែងសកម្មជនដែលត្រូវបានឃុំខ្លួន។");
    await page.getByRole("button", { name: en("statements.saveDraft") }).click();
    await page.waitForURL(/\/statements\/[0-9a-f-]{36}$/);
    statementUrl = page.url();
    statementId = statementUrl.split("/statements/")[1] ?? "";
    await expectHeading(page, "Release the detained land activists");
    await visible(page.getByText(en("statementStatus.draft"), { exact: true }));

    // A second version: the diff shows what changed, marked by <ins>/<del>, with a legend.
    await page.getByRole("button", { name: en("statements.edit") }).click();
    await page
      .getByLabel(en("statements.bodyEn"))
      .fill(
        "The undersigned organisations call on the authorities to release immediately the activists detained in Phnom Penh.\n\nWe ask for a fair and public trial.",
      );
    await page.getByRole("button", { name: en("statements.saveVersion") }).click();
    await visible(page.getByRole("button", { name: en("statements.compare") }));
    await page.getByRole("button", { name: en("statements.compare") }).click();
    await expectHeading(page, en("statements.diffTitle", { from: 1, to: 2 }));
    await visible(page.locator(".diff-section ins", { hasText: "immediately" }));
    await visible(page.getByText(en("statements.diffAdded")));

    // A comment stays on the version it was written on.
    await page.getByLabel(en("statements.addComment")).fill("Can we name the prison in the Khmer text too?");
    await page.getByRole("button", { name: en("statements.postComment") }).click();
    await visible(page.getByText("Can we name the prison in the Khmer text too?"));
    await screenshot(page, "statements-en-phone-draft");
    await screenshot(page, "statements-en-desktop-draft", DESKTOP);
    await page.getByLabel(en("statements.showVersion")).selectOption("1");
    await visible(page.getByText(en("statements.olderVersion", { current: 2 })));
    await visible(page.getByText(en("statements.noComments")));
    await page.getByLabel(en("statements.showVersion")).selectOption("2");
    await visible(page.getByText("Can we name the prison in the Khmer text too?"));
  });

  it("the coordinator opens a vote on version 2; the text is then frozen", async () => {
    const page = coordinatorPage;
    await expectHeading(page, en("votes.openTitle"));
    const closesAt = page.getByLabel(en("votes.closesAt"));
    expect(await closesAt.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T17:00$/);
    // Too soon is refused before anything is sent.
    await closesAt.fill("2020-01-01T10:00");
    await page.getByRole("button", { name: en("votes.open"), exact: true }).click();
    await visible(page.getByText(en("votes.closesAtTooSoon")));
    const inThreeDays = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
    await closesAt.fill(`${inThreeDays}T17:00`);
    // Running totals plus "who has voted" reveal each ballot as it arrives: the form says so before opening.
    const warning = page.getByTestId("totals-visible-warning");
    expect(await warning.count()).toBe(0);
    await page.getByLabel(en("votes.totalsVisible")).check();
    await visible(warning.getByText(en("votes.totalsVisibleWarningTitle")));
    await visible(warning.getByText(en("votes.totalsVisibleWarning")));
    expect(await page.getByLabel(en("votes.totalsVisible")).getAttribute("aria-describedby")).toBe("totals-visible-warning");
    await screenshot(page, "statements-en-phone-open-vote-totals-warning");
    await page.getByLabel(en("votes.totalsVisible")).uncheck();
    expect(await warning.count()).toBe(0);
    await page.getByLabel(en("votes.totalsVisible")).check();
    await visible(warning);
    await page.getByRole("button", { name: en("votes.open"), exact: true }).click();
    await visible(page.getByText(en("votes.stateOpen")));
    // The vote is on the version saved last, whose SHA-256 is shown.
    await visible(page.locator(".vote-panel .facts").getByText(en("statements.versionNumber", { number: 2 }), { exact: true }));
    await visible(page.getByText(en("statements.lockedTitle")));
    expect(await page.getByRole("button", { name: en("statements.edit") }).count()).toBe(0);
    await visible(page.getByText(en("votes.whoVoted", { voted: 0, eligible: 3 })));
    // Closing early waits for every organisation.
    expect(await page.getByRole("button", { name: en("votes.closeNow") }).isDisabled()).toBe(true);
  });

  it("the secretariat endorses and is named; the naming question must be answered", async () => {
    const page = coordinatorPage;
    await page.getByLabel(en("choice.endorse"), { exact: true }).check();
    await visible(page.getByText(en("votes.namedLegend", { organisation: secretariat.name })));
    await page.getByRole("button", { name: en("votes.castSubmit") }).click();
    await visible(page.getByText(en("votes.chooseNamed")));
    await page.getByLabel(en("votes.namedYes")).check();
    await page.getByRole("button", { name: en("votes.castSubmit") }).click();
    await visible(page.getByText(en("votes.castDone")));
    const receipt = page.getByTestId("current-ballot").locator(".receipt");
    await visible(receipt);
    receipts.sec = (await receipt.textContent()) ?? "";
    expect(receipts.sec).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{1,4})+$/);
    await visible(page.getByText(en("votes.whoVoted", { voted: 1, eligible: 3 })));
    // The organisations, by name, are loaded when the list is opened.
    expect(await page.locator(".turnout li").count()).toBe(0);
    await page.getByText(en("votes.whoVoted", { voted: 1, eligible: 3 })).click();
    await visible(page.locator(".turnout li.turnout-voted").getByText(secretariat.name));
    await page.locator(".turnout li.turnout-pending").nth(1).waitFor();
    expect(await page.locator(".turnout li.turnout-voted").count()).toBe(1);
    await screenshot(page, "statements-en-phone-vote-open-coordinator");
    await screenshot(page, "statements-en-desktop-vote-open-coordinator", DESKTOP);
  });

  it("CCHR endorses, then changes its ballot to object; the history keeps both", async () => {
    const context = await signedInContext(cchr.person);
    const page = await context.newPage();
    await page.goto(statementUrl);
    await expectHeading(page, en("votes.ballotOf", { organisation: cchr.org.name }));
    await visible(page.getByText(en("votes.notVotedYet")));
    await page.getByLabel(en("choice.endorse"), { exact: true }).check();
    await page.getByLabel(en("votes.namedYes")).check();
    await page.getByRole("button", { name: en("votes.castSubmit") }).click();
    await visible(page.getByText(en("votes.castDone")));
    await visible(page.getByTestId("current-ballot").getByText(en("choice.endorse"), { exact: true }));
    const first = (await page.getByTestId("current-ballot").locator(".receipt").textContent()) ?? "";
    // The form to change it is folded away once a ballot is cast.
    await page.getByText(en("votes.changeOpen")).click();

    await page.getByLabel(en("choice.object"), { exact: true }).check();
    // The naming question only concerns endorsements.
    expect(await page.getByLabel(en("votes.namedYes")).count()).toBe(0);
    await page
      .getByRole("textbox", { name: `${en("votes.comment")} (${en("common.optional")})`, exact: true })
      .fill("The text should name the judge.");
    await page.getByRole("button", { name: en("votes.changeSubmit") }).click();
    await visible(page.getByText(en("votes.changedDone")));
    await visible(page.getByTestId("current-ballot").getByText(en("choice.object"), { exact: true }));
    receipts.cchr = (await page.getByTestId("current-ballot").locator(".receipt").textContent()) ?? "";
    expect(receipts.cchr).not.toBe(first);
    await page.getByText(en("votes.history", { count: 2 })).click();
    await visible(page.locator(".ballot-history").getByText(en("votes.replaced")));
    // Running totals are on for this vote.
    await visible(page.getByRole("table", { name: en("votes.runningTotals") }));
    await screenshot(page, "statements-en-phone-ballot-changed");
    await context.close();
  });

  it("LICADHO endorses anonymously, in Khmer", async () => {
    const context = await signedInContext(licadho.person);
    const page = await context.newPage();
    await page.goto(statementUrl);
    await expectHeading(page, en("votes.ballotOf", { organisation: licadho.org.name }));
    await page.getByRole("button", { name: "ខ្មែរ" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "km");
    await expectHeading(page, km("votes.ballotOf", { organisation: licadho.org.name }));
    await page.getByLabel(km("choice.endorse"), { exact: true }).check();
    await visible(page.getByText(km("votes.namedExplained")));
    await page.getByLabel(km("votes.namedNo")).check();
    await screenshot(page, "statements-km-phone-ballot-form");
    await page.getByRole("button", { name: km("votes.castSubmit") }).click();
    await visible(page.getByText(km("votes.castDone")));
    const current = page.getByTestId("current-ballot");
    await visible(current.getByText(km("votes.anonymousShort")));
    receipts.licadho = (await current.locator(".receipt").textContent()) ?? "";
    // A representative sees how many have voted, not who: beside the named endorsements, who voted
    // would tell that LICADHO endorsed anonymously.
    await visible(
      page
        .getByText(km("votes.howManyVoted", { voted: "៣", eligible: "៣" }))
        .or(page.getByText(km("votes.howManyVoted", { voted: 3, eligible: 3 }))),
    );
    expect(await page.locator(".turnout-details").count()).toBe(0);
    await screenshot(page, "statements-km-phone-vote-open");
    await screenshot(page, "statements-km-desktop-vote-open", DESKTOP);
    await context.close();
  });

  it("every organisation has voted: the coordinator closes the vote early and sees the result", async () => {
    const page = coordinatorPage;
    await page.reload();
    await visible(page.getByText(en("votes.closeEarlyReady")));
    const close = page.getByRole("button", { name: en("votes.closeNow") });
    expect(await close.isDisabled()).toBe(false);
    // The confirmation names the consequence, starts on the safe choice, and cancelling changes nothing.
    await close.click();
    const confirmClose = page.getByRole("dialog", { name: en("votes.closeConfirmTitle") });
    await visible(confirmClose.getByText(en("votes.closeConfirmConsequence")));
    await screenshot(page, "statements-en-phone-confirm-close");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en("common.cancel"));
    await page.keyboard.press("Escape");
    await confirmClose.waitFor({ state: "hidden" });
    await close.click();
    await confirmClose.getByRole("button", { name: en("common.cancel") }).click();
    await confirmClose.waitFor({ state: "hidden" });
    await page.reload();
    await visible(page.getByText(en("votes.closeEarlyReady")));
    expect(await page.getByTestId("vote-outcome").count()).toBe(0);
    await visible(page.getByText(en("votes.stateOpen"), { exact: true }));

    await close.click();
    await confirmClose.getByRole("button", { name: en("votes.closeConfirmAction") }).click();
    await visible(page.getByTestId("vote-outcome").getByText(en("outcome.adopted")));
    // After the close, the rules no longer speak of totals hidden "until the close".
    await visible(page.getByText(en("votes.totalsWereHidden")).or(page.getByText(en("votes.totalsWereShown"))));
    expect(await page.getByText(en("votes.totalsHidden")).count()).toBe(0);
    await visible(page.getByText(en("statementStatus.adopted"), { exact: true }));
    // The named endorsements (members only), and every counted receipt, the viewer's own highlighted.
    const ballots = page.getByRole("region", { name: en("votes.howEachVoted") });
    await visible(ballots.locator(".row", { hasText: secretariat.name }));
    // LICADHO endorsed anonymously: counted, never named, not even to members. Nor is CCHR's
    // objection: named, it would leave LICADHO the one voter unaccounted for.
    expect(await ballots.getByText(licadho.org.name).count()).toBe(0);
    expect(await ballots.getByText(cchr.org.name).count()).toBe(0);
    await visible(ballots.getByText(en("votes.anonymousNotListed", { count: 1 })));
    const listed = (await page.getByTestId("receipts").locator("code").allTextContents()).sort();
    expect(listed).toEqual([receipts.sec, receipts.cchr, receipts.licadho].sort());
    expect(await page.locator(".receipt-mine code").textContent()).toBe(receipts.sec);
    await page.getByRole("button", { name: en("votes.verify"), exact: true }).click();
    await visible(page.getByText(en("votes.verifyMatches")));
    await screenshot(page, "statements-en-phone-vote-closed");
    await screenshot(page, "statements-en-desktop-vote-closed", DESKTOP);
  });

  it("the coordinator publishes; the public page names the secretariat only and counts one anonymous endorsement", async () => {
    const page = coordinatorPage;
    const publish = page.getByRole("button", { name: en("statements.publish"), exact: true });
    const confirmPublish = page.getByRole("dialog", {
      name: en("statements.publishConfirmTitle", { title: "Release the detained land activists" }),
    });
    // Cancelling publishes nothing: no public address, and the public page stays unknown.
    await publish.click();
    await visible(confirmPublish.getByText(en("statements.publishConfirmConsequence")));
    await confirmPublish.getByRole("button", { name: en("common.cancel") }).click();
    await confirmPublish.waitFor({ state: "hidden" });
    await page.reload();
    await visible(publish);
    expect(await page.getByTestId("public-url").count()).toBe(0);
    expect((await fetch(`${server.url}/statements/${statementId}`)).status).toBe(404);

    await publish.click();
    await confirmPublish.getByRole("button", { name: en("statements.publish"), exact: true }).click();
    await visible(page.getByTestId("public-url"));
    const publicUrl = (await page.getByTestId("public-url").getAttribute("href")) ?? "";
    expect(publicUrl).toBe(`${server.url}/statements/${statementId}`);
    await visible(page.getByRole("link", { name: `${server.url}/coalitions/${slug}/statements.atom` }));
    await screenshot(page, "statements-en-phone-published");

    for (const lang of ["en", "km"] as const) {
      const res = await fetch(`${publicUrl}?lang=${lang}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      const t = lang === "en" ? en : km;
      expect(html).toContain(`lang="${lang}"`);
      expect(html).toContain(`${secretariat.name} (${secretariat.shortName})`);
      expect(html).toContain(t("public.anonymousCount", { count: 1 }));
      // The objector and the anonymous endorser are never named publicly.
      for (const hidden of [cchr.org, licadho.org]) {
        expect(html).not.toContain(hidden.name);
        expect(html).not.toContain(`(${hidden.shortName})`);
      }
      for (const r of Object.values(receipts)) expect(html).toContain(r);
    }
    const feed = await fetch(`${server.url}/coalitions/${slug}/statements.atom`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain("Release the detained land activists");

    const publicPage = await page.context().newPage();
    await publicPage.goto(`${publicUrl}?lang=km`);
    await visible(publicPage.getByText(km("public.anonymousCount", { count: 1 })));
    await screenshot(publicPage, "statements-km-phone-public-page");
    await publicPage.goto(`${publicUrl}?lang=en`);
    await screenshot(publicPage, "statements-en-desktop-public-page", DESKTOP);
    await publicPage.close();
  });

  it("the list filters by status and the statement shows as published", async () => {
    const page = coordinatorPage;
    await page.getByRole("link", { name: `← ${en("statements.backToList")}` }).click();
    await expectHeading(page, en("statements.title"));
    await page.getByLabel(en("statements.filterStatus")).selectOption("draft");
    await visible(page.getByText(en("statements.emptyFiltered")));
    await page.getByLabel(en("statements.filterStatus")).selectOption("published");
    await visible(page.getByRole("link", { name: "Release the detained land activists" }));
    await screenshot(page, "statements-en-phone-list");
  });

  it("asked for no confirmation through the browser's window.confirm", () => {
    expect(nativeDialogs).toEqual([]);
  });

  it("loaded nothing from any other origin", () => {
    expect(browser.foreignRequests(server.url)).toEqual([]);
  });
});
