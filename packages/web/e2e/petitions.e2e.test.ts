/**
 * A visitor signs a petition on a phone (360×640), in Khmer, with JavaScript OFF: the plain form
 * posts, the confirmation link comes from the dev mailbox, its page's button confirms, and the
 * count on the petition page rises. The coalition, a public campaign and its petition are seeded
 * through the HTTP API. Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`.
 * Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */

import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  km,
  launchBrowser,
  linkFromMailbox,
  type Person,
  PHONE,
  screenshot,
  setupCoalition,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const coordinator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "petitions for the forest 2026" };
const signer = { name: "ស្រីមុំ", email: "srey.mom@example.org" };

let server: TestServer;
let browser: TestBrowser;
let context: BrowserContext;
let petitionUrl = "";

beforeAll(async () => {
  server = await startServer({ privateWebDist: true });
  browser = await launchBrowser();
  const coord = new ApiClient(server.url);
  const { coalitionId } = await setupCoalition(coord, { organisation: { name: "Secretariat NGO", shortName: "SEC" }, coordinator });
  const me = await coord.send<{ coalitions: { id: string; slug: string; organisations: { id: string }[] }[] }>("GET", "/api/me");
  const coalition = me.coalitions.find((c) => c.id === coalitionId);
  const ownerId = coalition?.organisations[0]?.id ?? "";
  const campaign = await coord.send<{ id: string; slug: string }>("POST", `/api/coalitions/${coalitionId}/campaigns`, {
    title: "ការពារព្រៃឡង់",
    slug: "prey-lang",
    visibility: "public",
    status: "active",
    ownerOrganisationIds: [ownerId],
  });
  await coord.send("POST", `/api/coalitions/${coalitionId}/campaigns/${campaign.id}/petition`, {
    titleKm: "ញត្តិការពារព្រៃឡង់",
    titleEn: "Protect Prey Lang forest",
    bodyKm: "យើងស្នើសុំឱ្យការពារព្រៃឡង់ សម្រាប់កូនចៅជំនាន់ក្រោយ។\n\nសូមចុះហត្ថលេខាលើញត្តិនេះ។",
    bodyEn: "We ask that Prey Lang be protected for the generations to come.",
    target: 1000,
    opensOn: "2020-01-01",
    closesOn: "2099-12-31",
  });
  // Paper sheets counted by the secretariat: shown apart from the online count.
  await coord.send("POST", `/api/coalitions/${coalitionId}/campaigns/${campaign.id}/petition/paper-sheets`, {
    organisationId: ownerId,
    count: 31,
    province: "KH-17",
    date: "2026-11-20",
    note: "",
  });
  petitionUrl = `${server.url}/coalitions/${coalition?.slug}/campaigns/${campaign.slug}/petition?lang=km`;
  context = await browser.browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, javaScriptEnabled: false, locale: "km-KH" });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

const countText = (n: string) => km("petitions.public.counted", { count: n });

describe("a petition signed in Khmer on a phone without JavaScript", () => {
  let page: Page;

  it("shows the petition, its count and the form", async () => {
    page = await context.newPage();
    const res = await page.goto(petitionUrl);
    expect(res?.status()).toBe(200);
    await visible(page.getByRole("heading", { name: "ញត្តិការពារព្រៃឡង់", level: 1 }));
    await visible(page.getByText(countText("៣១"), { exact: true }));
    // Nothing is wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, "petition-km-phone");
  });

  it("signs with the plain form and is asked to check the email", async () => {
    await page.getByLabel(km("petitions.public.name")).fill(signer.name);
    await page.getByLabel(km("petitions.public.email")).fill(signer.email);
    await page.getByLabel(km("petitions.public.province")).selectOption("KH-17");
    await page.getByLabel(km("petitions.public.showName")).check();
    await page.getByRole("button", { name: km("petitions.public.submit") }).click();
    await visible(page.getByText(km("petitions.public.checkEmail")));
    // On the phone's screen where the page lands, in the form's place: an empty form there, with the
    // thanks scrolled off above it, read as a failure and got a second signature.
    const thanks = await page.getByText(km("petitions.public.checkEmail")).evaluate((el) => {
      const box = el.getBoundingClientRect();
      return { top: box.top, bottom: box.bottom, height: window.innerHeight };
    });
    expect(thanks.top).toBeGreaterThanOrEqual(0);
    expect(thanks.bottom).toBeLessThanOrEqual(thanks.height);
    expect(await page.getByLabel(km("petitions.public.name")).count()).toBe(0);
    await visible(page.getByRole("link", { name: km("petitions.public.signAnother") }));
    // Not counted before it is confirmed.
    await visible(page.getByText(countText("៣១"), { exact: true }));
    await screenshot(page, "petition-km-phone-signed");
  });

  it("confirms from the dev mailbox with the page's button, and the count rises", async () => {
    const link = await linkFromMailbox(server, signer.email, "/petitions/confirm/");
    await page.goto(`${link}?lang=km`);
    await visible(page.getByRole("heading", { name: km("petitions.public.confirmTitle") }));
    await page.getByRole("button", { name: km("petitions.public.confirmButton") }).click();
    await visible(page.getByText(km("petitions.public.confirmed")));
    await screenshot(page, "petition-km-phone-confirmed");
    await page.goto(petitionUrl);
    await visible(page.getByText(countText("៣២"), { exact: true }));
    await visible(page.getByText(km("petitions.public.onlinePaper", { online: "១", paper: "៣១" })));
    await visible(page.getByText(signer.name));
    await screenshot(page, "petition-km-phone-counted");
  });
});
