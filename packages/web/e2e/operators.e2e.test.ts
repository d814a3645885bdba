/**
 * Many coalitions on one instance, on a 360×640 phone: the person who ran setup is the instance
 * operator, finds the operator page in the account menu (others do not), creates a second coalition
 * with its first coordinator's email, and schedules then cancels a deletion; the coalition's people
 * see the scheduled date. A coordinator downloads the coalition's export (a zip) from the members page.
 * English and Khmer, no sideways scrolling. Needs the web and api builds; builds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  acceptInvitation,
  collectConsoleErrors,
  en,
  expectHeading,
  inviteOrganisation,
  km,
  launchBrowser,
  linkFromMailbox,
  type Person,
  screenshot,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const operator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const member: Person = { name: "Dara Keo", email: "dara@member.example", password: "ribbons for freedom 2026" };
const SECOND = "Coalition for Clean Water in Battambang";

let server: TestServer;
let browser: TestBrowser;
let coalitionId = "";
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startServer({ privateWebDist: true });
  browser = await launchBrowser();
  const coord = new ApiClient(server.url);
  ({ coalitionId } = await setupCoalition(coord, { organisation: { name: "Secretariat", shortName: "SEC" }, coordinator: operator }));
  await inviteOrganisation(coord, coalitionId, { name: "Member organisation", shortName: "MEM" }, member.email);
  await acceptInvitation(server, member);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const noSidewaysScroll = (page: import("playwright-core").Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe("instance operators on a phone", () => {
  it("creates a coalition, schedules and cancels a deletion; members see the date; only operators see the page", async () => {
    const context = await browser.newContext();
    expect((await signIn(context, server.url, operator)).ok()).toBe(true);
    const page = await context.newPage();
    collectConsoleErrors(page, "operator", consoleErrors);
    await page.goto(`${server.url}/c/${coalitionId}`);
    await page.locator("summary.menu-button").click();
    await page.getByRole("link", { name: en("nav.operator") }).click();
    await expectHeading(page, en("operator.title"));
    await visible(page.getByText(en("operator.status.active")));

    await page.getByLabel(en("operator.create.name")).fill(SECOND);
    await page.getByLabel(en("operator.create.organisation")).fill("Water Secretariat");
    await page.getByLabel(en("operator.create.email")).fill("first@water.example");
    await page.getByRole("button", { name: en("operator.create.submit") }).click();
    await visible(page.getByText(en("operator.create.done", { email: "first@water.example" })));
    await visible(page.getByText(en("operator.status.pending")));
    expect(await noSidewaysScroll(page)).toBe(true);
    await screenshot(page, "operator-en");

    // The first coordinator's link says what it makes them: the new coalition's coordinator.
    const invited = await browser.newContext({ language: "km" });
    const invitation = await invited.newPage();
    // (Its errors are not collected: signed out, the page's /api/me answers 401, which the console reports.)
    await invitation.goto(await linkFromMailbox(server, "first@water.example", "/invitations/"));
    await visible(invitation.getByText(km("invitation.coordinatorIntro", { organisation: "Water Secretariat", coalition: SECOND })));
    await visible(invitation.getByText(km("invitation.coordinatorRole")));
    await invited.close();

    // Schedule the first coalition's deletion through the confirmation dialog.
    const first = page.locator("li.row").filter({ hasText: "Alliance" });
    await first.getByRole("button", { name: en("operator.scheduleDeletion") }).click();
    await page
      .locator("dialog[open]")
      .getByRole("button", { name: en("operator.scheduleDeletion") })
      .click();
    await visible(first.getByRole("button", { name: en("operator.cancelDeletion") }));
    await visible(first.getByText(en("operator.status.deletion_scheduled")));

    // The member sees the notice; no operator link in their menu.
    const memberContext = await browser.newContext({ language: "km" });
    expect((await signIn(memberContext, server.url, member)).ok()).toBe(true);
    const memberPage = await memberContext.newPage();
    collectConsoleErrors(memberPage, "member", consoleErrors);
    await memberPage.goto(`${server.url}/c/${coalitionId}`);
    await visible(memberPage.locator(".notice-warning").filter({ hasText: km("coalitionDeletion.banner", { date: "" }).slice(0, 20) }));
    expect(await noSidewaysScroll(memberPage)).toBe(true);
    await screenshot(memberPage, "operator-deletion-notice-km");
    await memberPage.locator("summary.menu-button").click();
    await visible(memberPage.getByRole("link", { name: km("nav.account") }));
    expect(await memberPage.getByRole("link", { name: km("nav.operator") }).count()).toBe(0);
    await memberContext.close();

    await first.getByRole("button", { name: en("operator.cancelDeletion") }).click();
    await visible(first.getByRole("button", { name: en("operator.scheduleDeletion") }));

    // The same page in Khmer.
    await page.evaluate(() => localStorage.setItem("samakki.language", "km"));
    await page.reload();
    await expectHeading(page, km("operator.title"));
    expect(await noSidewaysScroll(page)).toBe(true);
    await screenshot(page, "operator-km");
    await context.close();
  }, 120_000);

  it("a coordinator downloads the coalition's export from the members page", async () => {
    const context = await browser.newContext();
    expect((await signIn(context, server.url, operator)).ok()).toBe(true);
    const page = await context.newPage();
    collectConsoleErrors(page, "export", consoleErrors);
    await page.goto(`${server.url}/c/${coalitionId}/members`);
    const button = page.getByRole("button", { name: en("coalitionExport.button") });
    await visible(button);
    expect(await noSidewaysScroll(page)).toBe(true);
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^samakki-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const zip = Buffer.concat(chunks);
    expect(zip.subarray(0, 2).toString()).toBe("PK");
    expect(zip.includes(Buffer.from("json/coalition.json"))).toBe(true);
    await context.close();
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
