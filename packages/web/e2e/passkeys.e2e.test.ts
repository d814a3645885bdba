/**
 * A coalition that requires two-factor authentication, in a real browser against the built app:
 * the coordinator is sent to the account page, sees the TOTP QR code drawn in the page (no request
 * leaves the origin), adds a passkey with Chromium's virtual authenticator (CDP WebAuthn domain),
 * and is let through; then signs out and in again with the passkey as second step.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build` first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  en,
  expectHeading,
  launchBrowser,
  screenshot,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const coordinator = { name: "Dara Keo", email: "dara@secretariat.example", password: "lanterns for freedom 2026" };

let server: TestServer;
let browser: TestBrowser;
let coalitionId: string;

beforeAll(async () => {
  // WebAuthn wants a domain as relying party: the server is named localhost, not 127.0.0.1.
  server = await startServer({ privateWebDist: true, localhostName: true });
  browser = await launchBrowser();
  const api = new ApiClient(server.url);
  ({ coalitionId } = await setupCoalition(api, { coordinator, organisation: { name: "Secretariat NGO", shortName: "SEC" } }));
  await api.send("PATCH", `/api/coalitions/${coalitionId}`, { requireTwoFactor: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("a coalition requiring two-factor authentication, in the browser", () => {
  it("sends the coordinator to set it up: QR code in the page, a passkey added, then let through and asked for it at sign-in; removing it closes the gate", async () => {
    const context = await browser.newContext();
    expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
    const page = await context.newPage();

    // Anywhere else, the gate sends them to the account page.
    await page.goto(`${server.url}/c/${coalitionId}`);
    await page.waitForURL(`${server.url}/account`);
    await visible(page.getByTestId("two-factor-required"));
    expect((await context.request.get(`${server.url}/api/coalitions/${coalitionId}`)).status()).toBe(403);

    // The TOTP setup shows a QR code drawn by the app, beside the key.
    await page.getByRole("button", { name: en("twoFactorSetup.start") }).click();
    const qr = page.getByTestId("two-factor-qr");
    await visible(qr);
    expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe("svg");
    expect(Number(await qr.locator("path").evaluate((el) => (el.getAttribute("d") ?? "").length))).toBeGreaterThan(1000);
    await visible(page.getByTestId("two-factor-secret"));
    await screenshot(page, "en-phone-two-factor-qr");
    expect(browser.foreignRequests(server.url)).toEqual([]);

    // A passkey from Chromium's virtual authenticator.
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });
    const addForm = page.locator("form", { hasText: en("passkeys.addTitle") });
    await addForm.getByLabel(en("passkeys.nameLabel")).fill("Test laptop");
    await addForm.getByLabel(en("account.stepUpPassword"), { exact: true }).fill(coordinator.password);
    // The gate opens with the passkey, and the page asks for the calendar feed's card: held until
    // the notice is read, it must not take the page (and the notice) away meanwhile.
    let releaseFeed = () => {};
    const feedHeld = new Promise<void>((resolve) => {
      releaseFeed = resolve;
    });
    await page.route("**/api/me/calendar-feed", async (route) => {
      await feedHeld;
      await route.continue();
    });
    const feedAsked = page.waitForRequest((request) => request.url().endsWith("/api/me/calendar-feed"));
    await addForm.getByRole("button", { name: en("passkeys.add"), exact: true }).click();
    await feedAsked;
    await visible(page.getByText(en("passkeys.addedNotice")));
    releaseFeed();
    await visible(page.getByRole("list", { name: en("passkeys.title") }).getByText("Test laptop"));
    expect((await context.request.get(`${server.url}/api/coalitions/${coalitionId}`)).status()).toBe(200);

    // The gate is open now.
    await page.goto(`${server.url}/c/${coalitionId}`);
    await page.waitForURL(`${server.url}/c/${coalitionId}`);
    expect(await page.getByTestId("two-factor-required").count()).toBe(0);

    // Sign out and in again: after the password, the passkey is the second step.
    await page.getByLabel(en("nav.accountMenu")).click();
    await page.getByRole("button", { name: en("nav.signOut") }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    await page.getByLabel(en("auth.email"), { exact: true }).fill(coordinator.email);
    await page.getByLabel(en("auth.password"), { exact: true }).fill(coordinator.password);
    await page.getByRole("button", { name: en("signIn.submit"), exact: true }).click();
    await expectHeading(page, en("twoFactor.signInTitle"));
    await page.getByRole("button", { name: en("passkeys.useForSignIn") }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    expect((await context.request.get(`${server.url}/api/me`)).status()).toBe(200);

    // Removing it takes the password in the same form (a DELETE with the proof in its JSON body),
    // and closes the gate again.
    await page.goto(`${server.url}/account`);
    const passkey = page
      .getByRole("list", { name: en("passkeys.title") })
      .getByRole("listitem")
      .filter({ hasText: "Test laptop" });
    await passkey.getByRole("button", { name: en("passkeys.remove") }).click();
    await passkey.getByLabel(en("account.stepUpPassword"), { exact: true }).fill(coordinator.password);
    await passkey.getByRole("button", { name: en("passkeys.remove") }).click();
    await visible(page.getByText(en("passkeys.none")));
    await visible(page.getByTestId("two-factor-required"));
    // The calendar feed carries coalition data, which the closed gate refuses: its card goes too.
    expect(await page.getByRole("heading", { name: en("calendarFeed.title") }).count()).toBe(0);
    expect(await (await context.request.get(`${server.url}/api/me/passkeys`)).json()).toEqual([]);
    expect((await context.request.get(`${server.url}/api/coalitions/${coalitionId}`)).status()).toBe(403);
    await context.close();
  });
});
