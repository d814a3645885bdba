/**
 * The secret calendar feed (issue 10, item 13) in a real browser: the account page makes the link,
 * shows it once, a calendar app (here: fetch, no cookie) reads the coalition's march stages from it,
 * and revoking it through the app's confirm dialog ends it.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build` first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  en,
  expectHeading,
  launchBrowser,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const coordinator = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const march = "Phnom Penh to Angkor Wat";

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const api = new ApiClient(server.url);
  const { coalitionId } = await setupCoalition(api, { coordinator, organisation: { name: "Secretariat NGO", shortName: "SEC" } });
  const me = await api.send<{ organisations: { id: string }[] }>("GET", "/api/me");
  const campaign = await api.send<{ id: string }>("POST", `/api/coalitions/${coalitionId}/campaigns`, {
    title: "Yellow ribbons",
    ownerOrganisationIds: me.organisations.map((o) => o.id),
  });
  await api.send("POST", `/api/coalitions/${coalitionId}/campaigns/${campaign.id}/activities`, {
    kind: "march",
    title: march,
    startsAt: "2026-12-01T07:00",
    stages: [
      { date: "2026-12-01", from: "Phnom Penh", to: "Skuon", distanceKm: 75.5 },
      { date: "2026-12-02", from: "Skuon", to: "Kampong Thom", distanceKm: 88.1 },
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("calendar feed in the browser", () => {
  it("makes the link on the account page, a calendar app reads it without a session, and revoking ends it", async () => {
    const context = await browser.newContext();
    expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
    const page = await context.newPage();
    await page.goto(`${server.url}/account`);
    await expectHeading(page, en("calendarFeed.title"));
    await visible(page.getByText(en("calendarFeed.none")));

    await page.getByRole("button", { name: en("calendarFeed.create") }).click();
    await visible(page.getByText(en("calendarFeed.shownOnce")));
    const url = await page.getByLabel(en("calendarFeed.linkLabel")).inputValue();
    expect(url).toMatch(new RegExp(`^${server.url}/calendar/[a-z2-7]{52}\\.ics$`));
    const webcal = await page.getByRole("link", { name: en("calendarFeed.openInApp") }).getAttribute("href");
    expect(webcal).toBe(url.replace(/^http:/, "webcal:"));

    // A calendar app: no cookie, no Origin.
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const ics = (await feed.text()).replace(/\r\n[ \t]/g, "");
    expect(ics).toContain(`SUMMARY:${march}\\, stage 2: Skuon to Kampong Thom (88.1 km)`);
    expect(ics).toContain("DTSTART;VALUE=DATE:20261202");

    await page.getByRole("button", { name: en("calendarFeed.revoke") }).click();
    const dialog = page.getByRole("dialog", { name: en("calendarFeed.revokeConfirm") });
    await visible(dialog);
    await dialog.getByRole("button", { name: en("calendarFeed.revoke") }).click();
    await visible(page.getByText(en("calendarFeed.none")));
    expect((await fetch(url)).status).toBe(404);
    await context.close();
  });
});
