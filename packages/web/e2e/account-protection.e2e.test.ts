/**
 * A stolen session is not a stolen account (issue 7): in a real browser, changing the email asks
 * for the password in the same form even right after signing in; the old address gets a link that
 * undoes the change and signs out every device.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build` first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  en,
  expectHeading,
  launchBrowser,
  linkFromMailbox,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const coordinator = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const newEmail = "sokha.new@secretariat.example";

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await setupCoalition(new ApiClient(server.url), { coordinator, organisation: { name: "Secretariat NGO", shortName: "SEC" } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("email change in the browser", () => {
  it("needs the password in the same form, and the old address can undo it", async () => {
    const context = await browser.newContext();
    expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
    const page = await context.newPage();
    await page.goto(`${server.url}/account`);
    await expectHeading(page, en("account.emailTitle"));

    // Other cards (recovery codes, passkeys) ask for the same proof in their own forms.
    const emailForm = page.locator("form").filter({ has: page.getByLabel(en("account.newEmail")) });

    // Right after signing in, a wrong password is still refused beside the field.
    await emailForm.getByLabel(en("account.newEmail")).fill(newEmail);
    await emailForm.getByLabel(en("account.stepUpPassword")).fill("not my password at all");
    await page.getByRole("button", { name: en("account.changeEmail") }).click();
    await visible(page.getByText(en("errors.wrong_password.title")));

    await emailForm.getByLabel(en("account.newEmail")).fill(newEmail);
    await emailForm.getByLabel(en("account.stepUpPassword")).fill(coordinator.password);
    await page.getByRole("button", { name: en("account.changeEmail") }).click();
    await visible(page.getByText(en("account.emailChangeSent", { email: newEmail })));

    await page.goto(await linkFromMailbox(server, newEmail, "/verify-email\\?token="));
    await page.getByRole("button", { name: en("verify.submit") }).click();
    await visible(page.getByText(en("verify.doneTitle")));

    // The old address was told, with a link that puts it back and signs out every device.
    const undo = await linkFromMailbox(server, coordinator.email, "/undo-email-change\\?token=");
    const stranger = await browser.newContext();
    const undoPage = await stranger.newPage();
    await undoPage.goto(undo);
    await expectHeading(undoPage, en("undoEmailChange.title"));
    await undoPage.getByRole("button", { name: en("undoEmailChange.submit") }).click();
    await visible(undoPage.getByText(en("undoEmailChange.doneTitle")));

    expect((await context.request.get(`${server.url}/api/me`)).status()).toBe(401);
    expect((await signIn(stranger, server.url, coordinator)).ok()).toBe(true);
    await stranger.close();
    await context.close();
  });
});

describe("signing another device out", () => {
  it("asks first in the app's own dialog, naming the consequence; cancelling keeps that device signed in", async () => {
    const other = await browser.newContext();
    expect((await signIn(other, server.url, coordinator)).ok()).toBe(true);
    const context = await browser.newContext();
    expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
    const page = await context.newPage();
    const native: string[] = [];
    page.on("dialog", (dialog) => {
      native.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${server.url}/account`);
    await expectHeading(page, en("account.sessionsTitle"));
    const sessions = page.locator(".card").filter({ has: page.getByRole("heading", { name: en("account.sessionsTitle") }) });
    const endOne = sessions.getByRole("button", { name: en("account.endSession"), exact: true }).first();
    const dialog = page.getByRole("dialog");

    // Escape, then Cancel: the other device stays signed in.
    await endOne.click();
    await visible(dialog.getByText(en("account.endSessionConsequence")));
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en("common.cancel"));
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await endOne.click();
    await dialog.getByRole("button", { name: en("common.cancel") }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await other.request.get(`${server.url}/api/me`)).status()).toBe(200);

    // Everywhere else, confirmed: the other device is signed out, this one is not.
    await sessions.getByRole("button", { name: en("account.signOutOthers") }).click();
    await visible(dialog.getByText(en("account.signOutOthersConsequence")));
    await dialog.getByRole("button", { name: en("account.signOutOthers") }).click();
    await dialog.waitFor({ state: "hidden" });
    await sessions
      .getByRole("button", { name: en("account.endSession"), exact: true })
      .first()
      .waitFor({ state: "detached" });
    expect((await other.request.get(`${server.url}/api/me`)).status()).toBe(401);
    expect((await context.request.get(`${server.url}/api/me`)).status()).toBe(200);
    expect(native).toEqual([]);
    await other.close();
    await context.close();
  });
});
