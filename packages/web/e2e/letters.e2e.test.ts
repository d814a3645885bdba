/**
 * Letters to members of parliament in a real browser against the built app, at phone size, once in
 * English and once in Khmer: the coordinator (through the HTTP API) adds two members of parliament
 * to the directory, a campaign and a letter action addressed to them; an organisation's admin then
 * records in the SPA a letter delivered by hand and the reply it got, and sees them listed, with the
 * recipient no longer "not yet contacted". The coalition and its people are seeded through the API.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`; builds nothing.
 * Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  acceptInvitation,
  collectConsoleErrors,
  en,
  expectHeading,
  inviteOrganisation,
  launchBrowser,
  type Person,
  PHONE,
  screenshot,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  translator,
  visible,
} from "./harness.ts";

const coordinator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "letters to parliament 2026" };
const cchrAdmin: Person = { name: "Dara Kim", email: "admin@cchr.example", password: "write to your member today" };
const CCHR = { name: "Cambodian Center for Human Rights", shortName: "CCHR" };

let server: TestServer;
let browser: TestBrowser;
let coalitionId = "";
const consoleErrors: string[] = [];
const campaigns: Record<"en" | "km", { id: string; targetName: string }> = {
  en: { id: "", targetName: "Sok Dara" },
  km: { id: "", targetName: "ហេង វណ្ណា" },
};
/** The English campaign is public, with a petition and a "letters delivered" metric counted from the records. */
let publicCampaignUrl = "";
const PETITION_TITLE = "Pass the access to information law";

async function seed(): Promise<void> {
  const coord = new ApiClient(server.url);
  const setup = await setupCoalition(coord, { organisation: { name: "Secretariat NGO", shortName: "SEC" }, coordinator });
  coalitionId = setup.coalitionId;
  await inviteOrganisation(coord, coalitionId, CCHR, cchrAdmin.email);
  await acceptInvitation(server, cchrAdmin, "en");
  const base = `/api/coalitions/${coalitionId}`;
  for (const lang of ["en", "km"] as const) {
    const first = await coord.send<{ id: string }>("POST", `${base}/letter-targets`, {
      nameEn: lang === "en" ? campaigns.en.targetName : "Heng Vanna",
      nameKm: lang === "en" ? "សុខ ដារា" : campaigns.km.targetName,
      party: "Party A",
      province: "KH-12",
      email: `mp-${lang}@parliament.example`,
    });
    const second = await coord.send<{ id: string }>("POST", `${base}/letter-targets`, {
      nameEn: `Chan Sophea ${lang}`,
      nameKm: `ចាន់ សុភា ${lang}`,
      party: "Party B",
      province: "KH-3",
    });
    const ownerId = (await orgId(coord, base)) ?? "";
    const campaign = await coord.send<{ id: string; slug: string }>("POST", `${base}/campaigns`, {
      title: lang === "en" ? "Access to information law" : "ច្បាប់ស្តីពីសិទ្ធិទទួលបានព័ត៌មាន",
      ownerOrganisationIds: [ownerId],
      ...(lang === "en" ? { visibility: "public", status: "active" } : {}),
    });
    campaigns[lang].id = campaign.id;
    if (lang === "en") {
      await coord.send("POST", `${base}/campaigns/${campaign.id}/petition`, {
        titleEn: PETITION_TITLE,
        titleKm: "សូមអនុម័តច្បាប់ស្តីពីសិទ្ធិទទួលបានព័ត៌មាន",
        bodyEn: "We ask the National Assembly to pass the law.",
        bodyKm: "យើងស្នើសុំរដ្ឋសភាឱ្យអនុម័តច្បាប់នេះ។",
        target: 1000,
        opensOn: "2020-01-01",
        closesOn: "2099-12-31",
      });
      await coord.send("POST", `${base}/campaigns/${campaign.id}/metrics`, { name: "Letters delivered", target: 125, source: "letters" });
      const me = await coord.send<{ coalitions: { id: string; slug: string }[] }>("GET", "/api/me");
      const slug = me.coalitions.find((c) => c.id === coalitionId)?.slug;
      publicCampaignUrl = `${server.url}/coalitions/${slug}/campaigns/${campaign.slug}?lang=en`;
    }
    await coord.send("POST", `${base}/campaigns/${campaign.id}/letter-actions`, {
      title: lang === "en" ? "Letter on the access to information bill" : "លិខិតស្តីពីសេចក្តីព្រាងច្បាប់",
      subjectEn: "Please support the access to information bill",
      subjectKm: "សូមគាំទ្រសេចក្តីព្រាងច្បាប់ស្តីពីសិទ្ធិទទួលបានព័ត៌មាន",
      bodyEn: "Dear {name},\n\nPlease support the bill.",
      bodyKm: "ជូនចំពោះ {name}\n\nសូមគាំទ្រសេចក្តីព្រាងច្បាប់នេះ។",
      targetIds: [first.id, second.id],
    });
  }
}

async function orgId(client: ApiClient, base: string): Promise<string | undefined> {
  const members = await client.send<{ organisation: { id: string; shortName: string | null } }[]>("GET", `${base}/members`);
  return members.find((m) => m.organisation.shortName === CCHR.shortName)?.organisation.id;
}

beforeAll(async () => {
  server = await startServer({ privateWebDist: true });
  browser = await launchBrowser();
  await seed();
  // Seeding hashes three passwords (argon2): slow on a busy machine.
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

for (const lang of ["en", "km"] as const) {
  const L = translator(lang);

  describe(`letters in ${lang === "en" ? "English" : "Khmer"}`, () => {
    it("an organisation records a letter delivered by hand and the reply it got, on a phone", async () => {
      const context = await browser.newContext({ language: lang });
      expect((await signIn(context, server.url, cchrAdmin)).status()).toBe(200);
      const page: Page = await context.newPage();
      collectConsoleErrors(page, cchrAdmin.email, consoleErrors);
      const { id, targetName } = campaigns[lang];

      await page.goto(`${server.url}/c/${coalitionId}/campaigns/${id}`);
      await page.getByRole("link", { name: L("letters.campaign.link") }).click();
      await visible(page.getByRole("heading", { name: L("letters.views.notContacted") }));
      const notContacted = page.locator("section.card", {
        has: page.getByRole("heading", { name: L("letters.views.title"), exact: true }),
      });
      await visible(notContacted.getByText(targetName));

      await page.getByText(L("letters.record.title"), { exact: true }).click();
      const form = page.getByRole("form", { name: new RegExp(`^${L("letters.record.title")}`) });
      await form.getByLabel(L("letters.record.target")).selectOption({ label: targetName });
      await form.getByLabel(L("letters.record.sentOn")).fill("2026-11-02");
      await form.getByLabel(L("letters.record.channel")).selectOption("hand");
      await form.getByLabel(L("letters.record.delivered")).check();
      await screenshot(page, `letters-record-${lang}`);
      await form.getByRole("button", { name: L("letters.record.submit") }).click();
      await visible(page.getByText(L("letters.record.done")));
      await visible(page.getByText(L("letters.list.delivered"), { exact: false }));

      await page.getByText(L("letters.reply.title"), { exact: true }).click();
      const reply = page.getByRole("form", { name: L("letters.reply.title") });
      await reply.getByLabel(L("letters.reply.receivedOn")).fill("2026-11-20");
      const summary = lang === "en" ? "Will vote for the bill" : "នឹងបោះឆ្នោតគាំទ្រសេចក្តីព្រាងច្បាប់";
      await reply.getByLabel(L("letters.reply.summary")).fill(summary);
      await reply.getByLabel(L("letters.reply.stance")).selectOption("supportive");
      await reply.getByLabel(new RegExp(L("letters.reply.scanReference"))).fill("Drive/Replies/2026-11-20.pdf");
      await reply.getByRole("button", { name: L("letters.reply.submit") }).click();
      // Said, and the form closed.
      await page.getByText(L("letters.reply.done")).waitFor();
      expect(await reply.isVisible()).toBe(false);
      await visible(page.getByText(summary, { exact: false }));
      // The recipient has been contacted now, and the reply counts in the rate by party.
      await expect.poll(() => notContacted.getByText(targetName).count(), { timeout: 15_000 }).toBe(0);
      await expectHeading(page, L("letters.views.byParty"));
      await screenshot(page, `letters-reply-${lang}`);
      await context.close();
    });
  });
}

describe("the public campaign page", () => {
  it("shows the petition and the letter action, and counts the delivered letter, to a visitor without JavaScript", async () => {
    const context = await browser.browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(publicCampaignUrl);
    await visible(page.getByRole("heading", { name: en("petitions.title"), exact: true }));
    await visible(page.getByText(PETITION_TITLE, { exact: false }).first());
    await visible(page.getByRole("heading", { name: en("publicLetters.sectionTitle") }));
    await visible(page.getByRole("link", { name: en("publicLetters.cta") }));
    // The metric counted from the records: the English run above recorded one delivered letter.
    const metric = page.locator("li, div, section", { hasText: "Letters delivered" }).last();
    await expect.poll(async () => (await metric.textContent()) ?? "").toMatch(/\b1\b/);
    await screenshot(page, "public-campaign-petition-and-letters-en");
    await context.close();
  });
});

describe("the browser run", () => {
  it("logged no console errors and asked nothing from another origin", () => {
    expect(consoleErrors).toEqual([]);
    expect(browser.foreignRequests(server.url)).toEqual([]);
  });
});
