/**
 * Sign-ups in a real browser against the built app: a visitor on a 360×640 phone, in Khmer and with
 * JavaScript off, signs up for two of a march's three stages on the public /join page, confirms
 * from the dev mailbox (the link opens a page with a button: a POST), and the coalition's
 * coordinator (an owner) sees the people per stage under the activity in the SPA.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`; builds nothing.
 * Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */

import { formatNumber } from "@samakki/shared/i18n/format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  collectConsoleErrors,
  km,
  launchBrowser,
  linkFromMailbox,
  type Person,
  PHONE,
  screenshot,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const coordinator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const visitor = { name: "ស្រីពៅ", email: "sreypov@example.org" };

let server: TestServer;
let browser: TestBrowser;
const consoleErrors: string[] = [];
const seeded = { coalitionId: "", coalitionSlug: "", campaignId: "", campaignSlug: "", marchId: "" };

/** A calendar date `days` from today, YYYY-MM-DD (the march must be upcoming). */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const stages = [
  { date: day(20), from: "ភ្នំពេញ", to: "កណ្តាល", distanceKm: 20 },
  { date: day(21), from: "កណ្តាល", to: "តាកែវ", distanceKm: 25 },
  { date: day(22), from: "តាកែវ", to: "កំពត", distanceKm: 30 },
];

async function seed() {
  const coord = new ApiClient(server.url);
  const { coalitionId } = await setupCoalition(coord, { organisation: { name: "Secretariat NGO", shortName: "SEC" }, coordinator });
  const me = await coord.send<{ coalitions: { id: string; slug: string; organisations: { id: string }[] }[] }>("GET", "/api/me");
  const coalition = me.coalitions.find((c) => c.id === coalitionId);
  const orgId = coalition?.organisations[0]?.id ?? "";
  const campaign = await coord.send<{ id: string; slug: string }>("POST", `/api/coalitions/${coalitionId}/campaigns`, {
    title: "ដើរដើម្បីទន្លេ",
    ownerOrganisationIds: [orgId],
    visibility: "public",
    status: "active",
  });
  const march = await coord.send<{ id: string }>("POST", `/api/coalitions/${coalitionId}/campaigns/${campaign.id}/activities`, {
    kind: "march",
    title: "ការដង្ហែក្បួនពីភ្នំពេញទៅកំពត",
    startsAt: `${stages[0]?.date}T07:00`,
    endsAt: `${stages[2]?.date}T17:00`,
    location: "ភ្នំពេញ",
    stages,
  });
  Object.assign(seeded, {
    coalitionId,
    coalitionSlug: coalition?.slug ?? "",
    campaignId: campaign.id,
    campaignSlug: campaign.slug,
    marchId: march.id,
  });
}

beforeAll(async () => {
  server = await startServer({ privateWebDist: true });
  browser = await launchBrowser();
  await seed();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("sign-ups for a march, in Khmer, on a phone without JavaScript", () => {
  it("a visitor signs up for two stages, confirms from the mailbox, and the owner sees the counts per stage", async () => {
    const joinUrl = `${server.url}/coalitions/${seeded.coalitionSlug}/campaigns/${seeded.campaignSlug}/join?lang=km`;
    const context = await browser.browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, javaScriptEnabled: false, locale: "km-KH" });
    const page = await context.newPage();
    await page.goto(joinUrl);
    await visible(page.getByRole("heading", { name: km("signups.public.title", { campaign: "ដើរដើម្បីទន្លេ" }) }));
    // The page fits the phone: nothing wider than the viewport.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // The question, two lines on a phone, sits inside its box: a legend in the border had the line run between them.
    const legend = await page.locator("fieldset > legend").evaluate((el) => {
      const box = el.getBoundingClientRect();
      const frame = (el.parentElement as HTMLElement).getBoundingClientRect();
      return { top: box.top, frameTop: frame.top };
    });
    expect(legend.top).toBeGreaterThan(legend.frameTop);
    await screenshot(page, "km-phone-signup-form");

    // Sent without a name first: the form comes back with the message and the choices kept.
    await page.locator(`input[value="${seeded.marchId}:1"]`).check();
    await page.locator(`input[value="${seeded.marchId}:3"]`).check();
    await page.getByLabel(km("signups.public.email")).fill(visitor.email);
    await page.getByRole("button", { name: km("signups.public.submit") }).click();
    await visible(page.getByText(km("signups.public.errors.name")));
    expect(await page.locator(`input[value="${seeded.marchId}:1"]`).isChecked()).toBe(true);
    expect(await page.getByLabel(km("signups.public.email")).inputValue()).toBe(visitor.email);
    await screenshot(page, "km-phone-signup-form-error");

    await page.getByLabel(km("signups.public.name")).fill(visitor.name);
    await page.getByLabel(km("signups.public.guests")).fill("1");
    await page.getByRole("button", { name: km("signups.public.submit") }).click();
    await page.waitForURL(/done=email/);
    await visible(page.getByText(km("signups.public.done.email")));
    await screenshot(page, "km-phone-signup-sent");

    const link = await linkFromMailbox(server, visitor.email, "/signups/confirm/");
    await page.goto(link);
    await visible(page.getByRole("heading", { name: km("signups.public.confirm.title") }));
    await screenshot(page, "km-phone-signup-confirm");
    await page.getByRole("button", { name: km("signups.public.confirm.button") }).click();
    await page.waitForURL(/done=confirmed/);
    await visible(page.getByText(km("signups.public.done.confirmed")));
    await screenshot(page, "km-phone-signup-confirmed");
    await context.close();

    // The coordinator, an owner of the campaign, opens the sign-ups under the march in the SPA.
    const owner = await browser.newContext({ language: "km" });
    expect((await signIn(owner, server.url, coordinator)).status()).toBe(200);
    const spa = await owner.newPage();
    collectConsoleErrors(spa, coordinator.email, consoleErrors);
    await spa.goto(`${server.url}/c/${seeded.coalitionId}/campaigns/${seeded.campaignId}`);
    await spa.locator("details.signups summary").first().click();
    const people = (position: number) => spa.locator(`table.signup-counts tr[data-position="${position}"] .signup-people`);
    await visible(people(1));
    const two = formatNumber(2, "km");
    const zero = formatNumber(0, "km");
    expect(await people(1).textContent()).toBe(two);
    expect(await people(2).textContent()).toBe(zero);
    expect(await people(3).textContent()).toBe(two);
    await visible(spa.locator("ul.signup-list").getByText(visitor.name));
    await spa.locator("details.signups").first().scrollIntoViewIfNeeded();
    // Nothing wider than the phone, even with the list open.
    expect(await spa.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(spa, "km-phone-signup-owner-counts");

    expect(browser.foreignRequests(server.url)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
