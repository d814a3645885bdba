/**
 * Two-factor authentication in a real browser against the built app: set up on the account page
 * (the code computed here from the key shown, like an authenticator app would), recovery codes
 * shown once, then signing out and in again with a code. Plus the setup card in Khmer on a phone.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build` first.
 */
import { generateHOTP } from "@oslojs/otp";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  en,
  expectHeading,
  km,
  launchBrowser,
  PHONE,
  screenshot,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const coordinator = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };

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

/** RFC 4648 base32 (the key an authenticator app is given), without padding. */
function decodeBase32(text: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.replace(/\s+/g, "").toUpperCase()) {
    const value = alphabet.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

/**
 * The code an authenticator app shows `steps` 30-second steps from now. The server accepts one step
 * of clock drift and every code only once: turning 2FA on uses the current step, signing in the next
 * one, which is new even if no time has passed.
 */
function codeAt(secret: string, steps: number): string {
  return generateHOTP(decodeBase32(secret), BigInt(Math.floor(Date.now() / 30_000) + steps), 6);
}

/**
 * The account page once its cards have their data. On a phone they stand in one column, and a card
 * above the 2FA card that grows when its answer arrives moves the 2FA card down: a click aimed
 * before that can land on whatever took its place. A likely cause of the one CI run where the click
 * on "start" showed no secret; it did not happen again in a dozen runs under load.
 */
async function openAccount(page: Page) {
  await page.goto(`${server.url}/account`, { waitUntil: "networkidle" });
}

describe("two-factor authentication in the browser", () => {
  it("shows the setup card in Khmer on a phone", async () => {
    const context = await browser.newContext({ language: "km", viewport: PHONE });
    expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
    const page = await context.newPage();
    await openAccount(page);
    await expectHeading(page, km("twoFactorSetup.title"));
    await page.getByRole("button", { name: km("twoFactorSetup.start") }).click();
    await visible(page.getByTestId("two-factor-secret"));
    await visible(page.getByLabel(km("twoFactor.codeLabel")));
    await page.getByRole("heading", { name: km("twoFactorSetup.title"), exact: true }).scrollIntoViewIfNeeded();
    await screenshot(page, "km-phone-two-factor-setup", PHONE);
    await context.close();
  });

  it("sets up on the account page, then signs in with a code from the app", async () => {
    const context = await browser.newContext();
    expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
    const page = await context.newPage();
    await openAccount(page);
    await expectHeading(page, en("twoFactorSetup.title"));
    await page.getByRole("button", { name: en("twoFactorSetup.start") }).click();

    const shown = (await page.getByTestId("two-factor-secret").textContent()) ?? "";
    // Grouped by four for typing; 20 bytes are 32 base32 characters.
    expect(shown).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const secret = shown.replace(/\s+/g, "");
    const link = await page.getByRole("link", { name: en("twoFactorSetup.openInApp") }).getAttribute("href");
    expect(link).toContain(`secret=${secret}`);
    expect(await page.getByLabel(en("twoFactor.codeLabel")).getAttribute("autocomplete")).toBe("one-time-code");

    // A wrong code is refused beside the field.
    const wrong = codeAt(secret, 0) === "000000" ? "111111" : "000000";
    await page.getByLabel(en("twoFactor.codeLabel")).fill(wrong);
    await page.getByRole("button", { name: en("twoFactorSetup.confirm"), exact: true }).click();
    await visible(page.getByRole("alert").getByText(en("errors.two_factor_code_invalid.title")));

    await page.getByLabel(en("twoFactor.codeLabel")).fill(codeAt(secret, 0));
    await page.getByRole("button", { name: en("twoFactorSetup.confirm"), exact: true }).click();
    await visible(page.getByText(en("twoFactorSetup.recoveryInstruction")));
    const codes = await page.locator(".recovery-codes code").allTextContents();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    await visible(page.getByText(en("twoFactorSetup.statusOn"), { exact: true }));
    await screenshot(page, "en-phone-two-factor-recovery-codes");
    await page.getByRole("button", { name: en("twoFactorSetup.recoveryDone") }).click();
    expect(await page.locator(".recovery-codes").count()).toBe(0);

    // Sign out, and in again: the password alone is not enough.
    await page.getByLabel(en("nav.accountMenu")).click();
    await page.getByRole("button", { name: en("nav.signOut") }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    await page.getByLabel(en("auth.email"), { exact: true }).fill(coordinator.email);
    await page.getByLabel(en("auth.password"), { exact: true }).fill(coordinator.password);
    await page.getByRole("button", { name: en("signIn.submit"), exact: true }).click();
    await expectHeading(page, en("twoFactor.signInTitle"));
    expect((await context.request.get(`${server.url}/api/me`)).status()).toBe(401);
    const codeField = page.getByLabel(en("twoFactor.codeLabel"));
    expect(await codeField.getAttribute("autocomplete")).toBe("one-time-code");
    expect(await codeField.getAttribute("inputmode")).toBe("numeric");
    await screenshot(page, "en-phone-two-factor-sign-in");
    // The field to type in has the focus, also after a switch to a recovery code and back (React's autoFocus, preact-client.ts).
    const focused = (label: string) => page.getByLabel(label).evaluate((el) => el === document.activeElement);
    await expect.poll(() => focused(en("twoFactor.codeLabel"))).toBe(true);
    await page.getByRole("button", { name: en("twoFactor.useRecovery") }).click();
    await expect.poll(() => focused(en("twoFactor.recoveryLabel"))).toBe(true);
    await page.getByRole("button", { name: en("twoFactor.useApp") }).click();
    await expect.poll(() => focused(en("twoFactor.codeLabel"))).toBe(true);

    await codeField.fill(codeAt(secret, 1));
    await page.getByRole("button", { name: en("twoFactor.verify"), exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    const me = await context.request.get(`${server.url}/api/me`);
    expect(me.status()).toBe(200);
    expect(((await me.json()) as { person: { twoFactorEnabled: boolean } }).person.twoFactorEnabled).toBe(true);
    await context.close();
  });
});
