/**
 * Header navigation from a page of every section, at phone (360×640) and desktop (1280×800) sizes:
 * from each page, every header control (brand, each section tab, the notifications bell, and the
 * account menu's account, organisation and sign-out items) is clicked, and the test checks where it
 * lands: the exact path, the page's heading (not a blank page or "Not found"), and that the section
 * tab of the destination, and only it, is marked aria-current="page".
 * Inside Campaigns, Tasks and Statements these links once resolved relative to the section
 * (`/c/X/campaigns/c/X/tasks`), because the shell was rendered inside the section's nested router.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`; builds nothing.
 * Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */

import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  collectConsoleErrors,
  DESKTOP,
  en,
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
  type Viewport,
} from "./harness.ts";

const coordinator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const ORG = { name: "Secretariat NGO", shortName: "SEC" };
const CAMPAIGN = "Yellow ribbons for free expression";

let server: TestServer;
let browser: TestBrowser;
let coalitionId = "";
let organisationId = "";
let campaignId = "";
let coalitionName = "";
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startServer({ privateWebDist: true });
  browser = await launchBrowser();
  const coord = new ApiClient(server.url);
  const setup = await setupCoalition(coord, { organisation: ORG, coordinator });
  coalitionId = setup.coalitionId;
  const me = await coord.send<{ organisations: { id: string }[]; coalitions: { id: string; name: string }[] }>("GET", "/api/me");
  organisationId = me.organisations[0]?.id ?? "";
  coalitionName = me.coalitions.find((c) => c.id === coalitionId)?.name ?? "";
  const campaign = await coord.send<{ id: string }>("POST", `/api/coalitions/${coalitionId}/campaigns`, {
    title: CAMPAIGN,
    status: "active",
    ownerOrganisationIds: [organisationId],
  });
  campaignId = campaign.id;
});

afterAll(async () => {
  for (const context of contexts.values()) await context.close();
  await browser?.close();
  await server?.stop();
});

/** A place in the app: its path, its page heading, and the section tab that must be current (none: null). */
type Place = { path: string; heading: (t: Translator) => string | RegExp; tab: ((t: Translator) => string) | null };

const places = () => {
  const c = `/c/${coalitionId}`;
  return {
    dashboard: { path: c, heading: () => coalitionName, tab: (t) => t("nav.dashboard") },
    campaigns: { path: `${c}/campaigns`, heading: (t) => t("campaigns.title"), tab: (t) => t("nav.campaigns") },
    campaign: { path: `${c}/campaigns/${campaignId}`, heading: () => CAMPAIGN, tab: (t) => t("nav.campaigns") },
    tasks: {
      path: `${c}/tasks`,
      heading: (t) => new RegExp(`^(${[t("tasks.viewMine"), t("tasks.viewOrganisation"), t("tasks.viewAll")].join("|")})$`),
      tab: (t) => t("nav.tasks"),
    },
    newTask: { path: `${c}/tasks/new`, heading: (t) => t("tasks.createTitle"), tab: (t) => t("nav.tasks") },
    statements: { path: `${c}/statements`, heading: (t) => t("statements.title"), tab: (t) => t("nav.statements") },
    newStatement: { path: `${c}/statements/new`, heading: (t) => t("statements.newTitle"), tab: (t) => t("nav.statements") },
    letters: {
      path: `${c}/letters/campaign/${campaignId}`,
      heading: (t) => t("letters.campaign.title", { campaign: CAMPAIGN }),
      tab: (t) => t("nav.campaigns"),
    },
    targets: { path: `${c}/letters/targets`, heading: (t) => t("letters.targets.title"), tab: (t) => t("nav.campaigns") },
    members: { path: `${c}/members`, heading: (t) => t("members.title"), tab: (t) => t("nav.members") },
    organisation: { path: `/organisations/${organisationId}`, heading: () => ORG.name, tab: () => ORG.shortName },
    audit: { path: `${c}/audit`, heading: (t) => t("audit.title"), tab: (t) => t("nav.audit") },
    account: { path: "/account", heading: (t) => t("account.title"), tab: null },
    notifications: { path: "/notifications", heading: (t) => t("notifications.title"), tab: null },
    signIn: { path: "/sign-in", heading: (t) => t("signIn.title"), tab: null },
  } satisfies Record<string, Place>;
};

/** The pages the crawl starts from: one of every section, and the deep pages of the nested sections. */
const SOURCES = [
  "dashboard",
  "campaign",
  "newTask",
  "tasks",
  "newStatement",
  "statements",
  "letters",
  "targets",
  "members",
  "organisation",
  "audit",
  "account",
  "notifications",
] as const;

type Control = { name: string; click: (page: Page, t: Translator) => Promise<void>; to: keyof ReturnType<typeof places> };

const header = (page: Page) => page.locator("header.topbar");
const tab = (page: Page, name: string) => header(page).getByRole("navigation").getByRole("link", { name, exact: true });
const menuItem = async (page: Page, t: Translator, name: string) => {
  await header(page).getByLabel(t("nav.accountMenu")).click();
  await header(page).locator(".menu-panel").getByRole("link", { name, exact: true }).click();
};

/** Every header and menu control; sign-out comes last, since it ends the session. */
const CONTROLS: Control[] = [
  {
    name: "brand",
    click: (page, t) =>
      header(page)
        .getByRole("link", { name: t("app.name"), exact: true })
        .click(),
    to: "dashboard",
  },
  { name: "dashboard tab", click: (page, t) => tab(page, t("nav.dashboard")).click(), to: "dashboard" },
  { name: "campaigns tab", click: (page, t) => tab(page, t("nav.campaigns")).click(), to: "campaigns" },
  { name: "tasks tab", click: (page, t) => tab(page, t("nav.tasks")).click(), to: "tasks" },
  { name: "statements tab", click: (page, t) => tab(page, t("nav.statements")).click(), to: "statements" },
  { name: "members tab", click: (page, t) => tab(page, t("nav.members")).click(), to: "members" },
  { name: "organisation tab", click: (page) => tab(page, ORG.shortName).click(), to: "organisation" },
  { name: "audit tab", click: (page, t) => tab(page, t("nav.audit")).click(), to: "audit" },
  { name: "notifications bell", click: (page) => header(page).locator("a.bell").click(), to: "notifications" },
  { name: "menu: account", click: (page, t) => menuItem(page, t, t("nav.account")), to: "account" },
  { name: "menu: organisation", click: (page, t) => menuItem(page, t, ORG.name), to: "organisation" },
  {
    name: "menu: sign out",
    click: async (page, t) => {
      await header(page).getByLabel(t("nav.accountMenu")).click();
      await header(page)
        .getByRole("button", { name: t("nav.signOut"), exact: true })
        .click();
    },
    to: "signIn",
  },
];

/**
 * Waits until the page shows `place`: its path, its <h1>, no "Not found", and the current tab.
 * Returns a description of what is wrong instead, so one run reports every broken transition.
 *
 * The whole condition is one check polled inside the page (about 530 transitions in this file, each
 * otherwise half a dozen round trips to the browser); only a transition that fails it is examined
 * step by step, to say what is wrong.
 */
async function arrivedAt(page: Page, place: Place, t: Translator): Promise<string | null> {
  const wanted = place.heading(t);
  const want = {
    path: new URL(place.path, server.url).pathname,
    heading: typeof wanted === "string" ? { text: wanted } : { source: wanted.source, flags: wanted.flags },
    tab: place.tab ? place.tab(t) : null,
    // Sign-in has no header; every other page without a section has no current tab.
    tabs: place.tab ? "one" : place === places().signIn ? "any" : "none",
    notFound: t("notFound.title"),
  };
  const arrived = await page
    .waitForFunction(
      (e) => {
        if (location.pathname !== e.path) return false;
        const matches = (text: string) =>
          "text" in e.heading ? text === e.heading.text : new RegExp(e.heading.source, e.heading.flags).test(text);
        const h1 = [...document.querySelectorAll<HTMLElement>("main h1")].find((h) => matches((h.textContent ?? "").trim()));
        if (!h1 || h1.getClientRects().length === 0 || !h1.checkVisibility()) return false;
        const headings = document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]");
        if ([...headings].some((h) => (h.textContent ?? "").trim() === e.notFound)) return false;
        const current = [...document.querySelectorAll<HTMLElement>('header.topbar nav a[aria-current="page"]')].map(
          // biome-ignore lint/performance/useDomNodeTextContent: the rendered name, as the crawl's allInnerTexts reads it
          (a) => a.innerText.trim(),
        );
        if (e.tabs === "one") return current.length === 1 && current[0] === e.tab;
        return e.tabs === "any" || current.length === 0;
      },
      want,
      { timeout: 10_000, polling: "raf" },
    )
    .then(
      () => true,
      () => false,
    );
  return arrived ? null : whyNotAt(page, place, t);
}

/** What keeps the page from showing `place`, checked step by step (after arrivedAt's check timed out). */
async function whyNotAt(page: Page, place: Place, t: Translator): Promise<string | null> {
  const expected = new URL(place.path, server.url).pathname;
  try {
    await page.waitForURL((url) => url.pathname === expected, { timeout: 1000 });
  } catch {
    return `expected ${expected}, was ${new URL(page.url()).pathname}`;
  }
  const wanted = place.heading(t);
  const h1 = page.locator("main h1", { hasText: wanted }).first();
  try {
    await h1.waitFor({ state: "visible", timeout: 1000 });
  } catch {
    const shown = await page.locator("main h1").allInnerTexts();
    return `at ${expected}: heading ${String(wanted)} not shown (headings: ${JSON.stringify(shown)})`;
  }
  const text = ((await h1.textContent()) ?? "").trim();
  if (typeof wanted === "string" ? text !== wanted : !wanted.test(text)) return `at ${expected}: heading was ${JSON.stringify(text)}`;
  if (await page.getByRole("heading", { name: t("notFound.title"), exact: true }).count()) return `at ${expected}: "Not found"`;
  if (place.tab) {
    const current = await header(page).locator('nav a[aria-current="page"]').allInnerTexts();
    const tabName = place.tab(t);
    if (current.length !== 1 || current[0]?.trim() !== tabName)
      return `at ${expected}: current tab ${JSON.stringify(current)}, expected [${JSON.stringify(tabName)}]`;
  } else if (place !== places().signIn) {
    const current = await header(page).locator('nav a[aria-current="page"]').allInnerTexts();
    if (current.length) return `at ${expected}: current tab ${JSON.stringify(current)}, expected none`;
  }
  return null;
}

/** Moves to `path` inside the single-page app without a reload (as a link would), to keep the crawl fast. */
async function goInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((p) => {
    history.pushState(null, "", p);
    dispatchEvent(new PopStateEvent("popstate"));
  }, path);
}

/**
 * One browser context per size and language, kept from test to test as a returning user's browser is
 * (its service worker installed once, not 23 times: a fifth of this file's CPU), and signed in
 * again before each test, whose last control signs out.
 */
const contexts = new Map<string, BrowserContext>();
async function signedInContext(viewport: Viewport, lang: "en" | "km" = "en"): Promise<BrowserContext> {
  const key = `${viewport.width}x${viewport.height} ${lang}`;
  let context = contexts.get(key);
  if (!context) {
    context = await browser.newContext({ viewport, language: lang });
    contexts.set(key, context);
  }
  const res = await signIn(context, server.url, coordinator);
  expect(res.status()).toBe(200);
  return context;
}

for (const [size, viewport] of [
  ["phone", PHONE],
  ["desktop", DESKTOP],
] as const) {
  describe(`header navigation at ${size} size (${viewport.width}×${viewport.height})`, () => {
    for (const source of SOURCES) {
      it(`every header and menu control from the ${source} page lands on its page, with its tab current`, async () => {
        const context = await signedInContext(viewport);
        const page = await context.newPage();
        collectConsoleErrors(page, `${size} ${source}`, consoleErrors);
        const all = places();
        const from = all[source];
        const broken: string[] = [];
        await page.goto(`${server.url}${from.path}`);
        page.setDefaultTimeout(10_000);
        const start = await arrivedAt(page, from, en);
        if (start) broken.push(`${source} itself: ${start}`);
        for (const control of CONTROLS) {
          // Back to the source page (without a reload) before each control.
          if (new URL(page.url()).pathname !== from.path) {
            await goInApp(page, from.path);
            const back = await arrivedAt(page, from, en);
            if (back) broken.push(`back on ${source} before ${control.name}: ${back}`);
          }
          try {
            await control.click(page, en);
          } catch (error) {
            broken.push(`${source} → ${control.name}: could not click (${String(error).split("\n")[0]})`);
            continue;
          }
          const problem = await arrivedAt(page, all[control.to], en);
          if (problem) broken.push(`${source} → ${control.name}: ${problem}`);
        }
        await page.close();
        expect(broken).toEqual([]);
      });
    }
  });
}

describe("a campaign page in Khmer on a phone", () => {
  it("shows the header with the campaigns tab current, and its links stay absolute", async () => {
    const context = await signedInContext(PHONE, "km");
    const page = await context.newPage();
    collectConsoleErrors(page, "km campaign", consoleErrors);
    const all = places();
    await page.goto(`${server.url}${all.campaign.path}`);
    expect(await arrivedAt(page, all.campaign, km)).toBeNull();
    const hrefs = await header(page)
      .locator("nav a")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(hrefs).toContain(`/c/${coalitionId}/tasks`);
    expect(hrefs.every((h) => h?.startsWith("/c/") || h?.startsWith("/organisations/"))).toBe(true);
    await screenshot(page, "navigation-campaign-km-phone");
    await tab(page, km("nav.tasks")).click();
    expect(await arrivedAt(page, all.tasks, km)).toBeNull();
    await page.close();
  });

  it("logged no console errors or uncaught exceptions", () => {
    expect(consoleErrors).toEqual([]);
  });
});
