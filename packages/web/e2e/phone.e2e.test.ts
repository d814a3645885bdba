/**
 * The signed-in app on a 360×640 phone, in English and Khmer: the header is compact (two rows, ≤ 80 px),
 * its every control a target of at least 40×40 px (e2e/touch.ts), and sticky, the current section's tab is fully on screen in every section, the coalition's long name is
 * cut to one line and reachable in full (title, and a tap), and no page scrolls sideways. The dashboard
 * shows the day's work: an overdue task of my organisation first, a vote waiting for our ballot with
 * its closing time, and (coordinator) the overdue tasks across the coalition.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`; builds nothing.
 * Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  acceptInvitation,
  COALITION_NAME,
  collectConsoleErrors,
  en,
  inviteOrganisation,
  km,
  launchBrowser,
  type Person,
  PHONE,
  screenshot,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  type Translator,
} from "./harness.ts";
import { MIN_HEADER_TARGET_PX, smallHeaderTargets } from "./touch.ts";

const coordinator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const ORG = { name: "Secretariat of the Alliance", shortName: "SEC" };
const OTHER = { name: "Cambodian League for the Promotion and Defense of Human Rights", shortName: "LICADHO" };
const otherAdmin: Person = { name: "Dara Keo", email: "dara@licadho.example", password: "ribbons for freedom 2026" };
const TASKS = {
  overdue: "Collect the ribbons from Kampot",
  later: "Print the march banners",
  otherOverdue: "Book the press conference room",
};
const STATEMENT = "Joint statement on the freedom of the press";
const CAMPAIGN = "Yellow ribbons for free expression";

let server: TestServer;
let browser: TestBrowser;
let coalitionId = "";
let organisationId = "";
const consoleErrors: string[] = [];

/** A calendar date `days` from today (the margins are days wide, so the coalition's zone does not matter). */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** A local date-time in Phnom Penh (UTC+7) `hours` from now. */
const localIn = (hours: number) => new Date(Date.now() + (hours + 7) * 3_600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  server = await startServer({ privateWebDist: true });
  browser = await launchBrowser();
  const coord = new ApiClient(server.url);
  ({ coalitionId } = await setupCoalition(coord, { organisation: ORG, coordinator }));
  const me = await coord.send<{ organisations: { id: string }[] }>("GET", "/api/me");
  organisationId = me.organisations[0]?.id ?? "";
  const { organisationId: otherId } = await inviteOrganisation(coord, coalitionId, OTHER, otherAdmin.email);
  await acceptInvitation(server, otherAdmin);
  const base = `/api/coalitions/${coalitionId}`;
  // Created in an order other than the one expected on the dashboard.
  await coord.send("POST", `${base}/tasks`, { title: TASKS.later, dueOn: day(6), assigneeOrganisationId: organisationId });
  await coord.send("POST", `${base}/tasks`, { title: TASKS.overdue, dueOn: day(-4), assigneeOrganisationId: organisationId });
  await coord.send("POST", `${base}/tasks`, { title: TASKS.otherOverdue, dueOn: day(-2), assigneeOrganisationId: otherId });
  const statement = await coord.send<{ id: string; current: { id: string } }>("POST", `${base}/statements`, {
    title: STATEMENT,
    bodyEn: "We stand for a free press.",
    bodyKm: "យើងគាំទ្រសេរីភាពសារព័ត៌មាន។",
  });
  await coord.send("POST", `${base}/statements/${statement.id}/vote`, {
    versionId: statement.current.id,
    quorum: 0.5,
    threshold: "majority",
    closesAt: localIn(50),
    totalsVisible: false,
  });
  const campaign = await coord.send<{ id: string }>("POST", `${base}/campaigns`, {
    title: CAMPAIGN,
    status: "active",
    ownerOrganisationIds: [organisationId],
  });
  const metric = await coord.send<{ id: string }>("POST", `${base}/campaigns/${campaign.id}/metrics`, {
    name: "Ribbons distributed",
    unit: "ribbons",
    target: 100000,
  });
  await coord.send("POST", `${base}/campaigns/${campaign.id}/metrics/${metric.id}/contributions`, {
    organisationId,
    amount: 12500,
    date: day(0),
  });
  await coord.send("POST", `${base}/campaigns/${campaign.id}/updates`, { body: "The first 12,500 ribbons are out in Phnom Penh." });
  // Starting the server, a first-run setup and an invitation (its email) on a busy two-core machine.
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Every section reachable from the header's strip, with the label of its tab. */
const sections = (t: Translator) => {
  const c = `/c/${coalitionId}`;
  return [
    { name: "dashboard", path: c, tab: t("nav.dashboard") },
    { name: "campaigns", path: `${c}/campaigns`, tab: t("nav.campaigns") },
    { name: "tasks", path: `${c}/tasks`, tab: t("nav.tasks") },
    { name: "statements", path: `${c}/statements`, tab: t("nav.statements") },
    { name: "members", path: `${c}/members`, tab: t("nav.members") },
    { name: "organisation", path: `/organisations/${organisationId}`, tab: ORG.shortName },
    { name: "audit", path: `${c}/audit`, tab: t("nav.audit") },
  ];
};

const header = (page: Page) => page.locator("header.topbar");
/** Two rows of 40 px tap targets (touch.ts, MIN_HEADER_TARGET_PX): the header takes no more of a phone's height. */
const HEADER_MAX_PX = 2 * MIN_HEADER_TARGET_PX;

/** What a phone user sees of the header and the page, measured in the page. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const header = document.querySelector("header.topbar");
    const current = document.querySelector('header.topbar nav a[aria-current="page"]');
    const name = document.querySelector<HTMLElement>("header.topbar .coalition-name");
    const strip = document.querySelector<HTMLElement>("header.topbar nav");
    const box = (el: Element | null) => {
      const r = el?.getBoundingClientRect();
      return r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height } : null;
    };
    return {
      header: box(header),
      current: box(current),
      currentText: current?.textContent?.trim() ?? null,
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      name: name
        ? {
            title: name.title,
            text: name.textContent,
            // The name's text is cut with an ellipsis, and the button then shows its chevron.
            cut: (name.firstElementChild?.scrollWidth ?? 0) > (name.firstElementChild?.clientWidth ?? 0),
            chevron: name.hasAttribute("data-cut") && getComputedStyle(name, "::after").borderRightStyle === "solid",
          }
        : null,
      // Which ends of the tab strip have more tabs beyond them, and whether they fade out there.
      strip: strip
        ? {
            overflows: strip.scrollWidth > strip.clientWidth,
            start: strip.hasAttribute("data-more-start"),
            end: strip.hasAttribute("data-more-end"),
            faded: getComputedStyle(strip).maskImage !== "none",
          }
        : null,
    };
  });
}

for (const [lang, t] of [
  ["en", en],
  ["km", km],
] as const) {
  describe(`the phone header in ${lang} (360×640)`, () => {
    it("is at most 80 px high with 40 px tap targets, shows the current tab whole in every section, and nothing scrolls sideways", async () => {
      const context = await browser.newContext({ viewport: PHONE, language: lang });
      expect((await signIn(context, server.url, coordinator)).status()).toBe(200);
      const page = await context.newPage();
      collectConsoleErrors(page, `${lang} header`, consoleErrors);
      const problems: string[] = [];
      for (const section of sections(t)) {
        await page.goto(`${server.url}${section.path}`);
        await page.locator("main h1").first().waitFor({ state: "visible", timeout: 15_000 });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        // The strip settles once the fonts are in; measure when the current tab has stopped moving.
        await expect.poll(async () => (await measure(page)).current?.right, { timeout: 5000 }).toBeLessThanOrEqual(PHONE.width);
        const m = await measure(page);
        if (!m.header || m.header.height > HEADER_MAX_PX) problems.push(`${section.name}: header ${m.header?.height} px high`);
        for (const small of await smallHeaderTargets(page)) problems.push(`${section.name}: header tap target ${small}`);
        if (m.currentText !== section.tab) problems.push(`${section.name}: current tab ${m.currentText}, expected ${section.tab}`);
        if (!m.current || m.current.left < 0 || m.current.right > PHONE.width || m.current.top < 0 || m.current.bottom > PHONE.height)
          problems.push(`${section.name}: current tab outside the screen ${JSON.stringify(m.current)}`);
        if (m.scrollWidth > PHONE.width) problems.push(`${section.name}: the page is ${m.scrollWidth} px wide`);
        if (!m.name?.cut || !m.name.chevron || m.name.title !== COALITION_NAME || m.name.text !== COALITION_NAME)
          problems.push(`${section.name}: coalition name ${JSON.stringify(m.name)}`);
        // The tabs do not fit a phone: the first section's strip has more at its end only, the last's at its start only.
        if (!m.strip?.overflows || !m.strip.faded) problems.push(`${section.name}: strip ${JSON.stringify(m.strip)}`);
        if (section.name === "dashboard" && (m.strip?.start || !m.strip?.end))
          problems.push(`dashboard: strip ends ${JSON.stringify(m.strip)}`);
        if (section.name === "audit" && (!m.strip?.start || m.strip?.end)) problems.push(`audit: strip ends ${JSON.stringify(m.strip)}`);
        if (section.name !== "dashboard") await screenshot(page, `phone-${section.name}-${lang}`);
      }
      await context.close();
      expect(problems).toEqual([]);
    });

    it("stays at the top when the page scrolls, and shows the coalition's full name on a tap", async () => {
      const context = await browser.newContext({ viewport: PHONE, language: lang });
      expect((await signIn(context, server.url, coordinator)).status()).toBe(200);
      const page = await context.newPage();
      collectConsoleErrors(page, `${lang} sticky`, consoleErrors);
      await page.goto(`${server.url}/c/${coalitionId}`);
      await page.getByText(TASKS.overdue).first().waitFor({ timeout: 15_000 });
      await page.evaluate(() => window.scrollTo(0, 500));
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
      const top = await header(page).evaluate((h) => h.getBoundingClientRect().top);
      expect(top).toBe(0);
      expect(
        await header(page)
          .getByRole("link", { name: t("nav.dashboard"), exact: true })
          .isVisible(),
      ).toBe(true);

      const name = header(page).locator(".coalition-name");
      expect(await name.getAttribute("aria-expanded")).toBe("false");
      await name.click();
      expect(await name.getAttribute("aria-expanded")).toBe("true");
      expect(
        await name.evaluate((el) => {
          const text = el.firstElementChild as HTMLElement;
          return text.scrollWidth <= text.clientWidth && el.getBoundingClientRect().right <= window.innerWidth;
        }),
      ).toBe(true);
      // On a line of its own, the width of the bar: not a column a word wide, splitting words.
      expect(await name.evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(PHONE.width * 0.75);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `phone-header-name-open-${lang}`);
      await context.close();
    });
  });

  describe(`the dashboard in ${lang} on a phone`, () => {
    it("shows my organisation's overdue task first, the vote waiting for our ballot with its closing time, and the coalition's overdue tasks", async () => {
      const context = await browser.newContext({ viewport: PHONE, language: lang });
      expect((await signIn(context, server.url, coordinator)).status()).toBe(200);
      const page = await context.newPage();
      collectConsoleErrors(page, `${lang} dashboard`, consoleErrors);
      await page.goto(`${server.url}/c/${coalitionId}`);
      const mine = page.locator(".dashboard-tasks");
      await mine.getByText(TASKS.overdue).waitFor({ timeout: 15_000 });
      expect(await mine.locator(".row-title").allInnerTexts()).toEqual([TASKS.overdue, TASKS.later]);
      expect(await mine.locator(".row").first().getAttribute("class")).toContain("row-overdue");
      expect(await mine.getByText(t("dashboard.tasksEmpty")).count()).toBe(0);

      const votes = page.locator(".dashboard-votes");
      await votes.getByText(STATEMENT).waitFor();
      const closes = (await votes.locator(".row-meta strong").first().textContent()) ?? "";
      expect(closes.startsWith(t("dashboard.closesAt", { date: "" }).trim())).toBe(true);
      expect(closes.length).toBeGreaterThan(t("dashboard.closesAt", { date: "" }).length + 5);
      expect(await votes.getByText(t("dashboard.notVoted", { organisation: ORG.shortName })).count()).toBe(1);

      const overdue = page.locator(".dashboard-overdue");
      expect(await overdue.locator(".row-title").allInnerTexts()).toEqual([TASKS.overdue, TASKS.otherOverdue]);
      expect(await overdue.getByText(OTHER.shortName, { exact: false }).count()).toBeGreaterThan(0);

      const campaigns = page.locator(".dashboard-campaigns");
      expect(await campaigns.getByText(CAMPAIGN).count()).toBe(1);
      expect(await campaigns.locator("progress").getAttribute("value")).toBe("0.125");
      expect(await page.locator(".dashboard-updates").getByText("The first 12,500 ribbons are out in Phnom Penh.").count()).toBe(1);

      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, `phone-dashboard-${lang}`);
      await context.close();
    });
  });
}

describe("the phone pages", () => {
  it("logged no console errors or uncaught exceptions", () => {
    expect(consoleErrors).toEqual([]);
  });
});
