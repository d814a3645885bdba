/**
 * Khmer all the way, in a real browser against the built app: on a 360×640 phone in Khmer, the
 * dashboard and a task page show their dates, times and counts in Khmer digits only (one rule,
 * packages/shared/src/i18n/format.ts; GLOSSARY.md "Numerals"), labels and badges are at least 15 px,
 * and nothing is wider than the phone. Chromium ships no Khmer locale data, so this is also the
 * check that nothing falls back to Intl's US English.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`; builds nothing.
 * Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  collectConsoleErrors,
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
  visible,
} from "./harness.ts";

const coordinator: Person = { name: "សុខា ចាន់", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };

let server: TestServer;
let browser: TestBrowser;
const consoleErrors: string[] = [];
const seeded = { coalitionId: "", taskId: "" };

/** A calendar date `days` from today, YYYY-MM-DD. */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function seed() {
  const coord = new ApiClient(server.url);
  // Every name is Khmer without digits: any Latin digit on the pages comes from the app.
  const { coalitionId } = await setupCoalition(coord, {
    organisation: { name: "អង្គការលេខាធិការដ្ឋាន", shortName: "លេខា" },
    coordinator,
    coalitionName: "សម្ព័ន្ធសេរីភាព",
  });
  const me = await coord.send<{ coalitions: { id: string; organisations: { id: string }[] }[] }>("GET", "/api/me");
  const orgId = me.coalitions.find((c) => c.id === coalitionId)?.organisations[0]?.id ?? "";
  const base = `/api/coalitions/${coalitionId}`;
  const campaign = await coord.send<{ id: string }>("POST", `${base}/campaigns`, {
    title: "ខ្សែបូលឿង",
    ownerOrganisationIds: [orgId],
    visibility: "public",
    status: "active",
  });
  // Named in English first, with its Khmer name and unit: a Khmer reader sees only those.
  const metric = await coord.send<{ id: string }>("POST", `${base}/campaigns/${campaign.id}/metrics`, {
    name: "Ribbons handed out",
    secondName: { language: "km", name: "ខ្សែបូដែលបានចែក" },
    unit: "ribbons",
    secondUnit: "ខ្សែបូ",
    target: 12500,
  });
  await coord.send("POST", `${base}/campaigns/${campaign.id}/metrics/${metric.id}/contributions`, {
    organisationId: orgId,
    amount: 1234,
    date: day(-1),
  });
  await coord.send("POST", `${base}/campaigns/${campaign.id}/updates`, { body: "យើងបានចែកខ្សែបូនៅផ្សារ" });
  const task = await coord.send<{ id: string }>("POST", `${base}/tasks`, {
    campaignId: campaign.id,
    title: "បោះពុម្ពខិត្តប័ណ្ណ",
    dueOn: day(-3),
    assigneeOrganisationId: orgId,
  });
  await coord.send("POST", `${base}/tasks`, { title: "រៀបចំបដា", dueOn: day(12), assigneeOrganisationId: orgId });
  await coord.send("POST", `${base}/tasks/${task.id}/comments`, { body: "ខ្ញុំនឹងទៅហាងបោះពុម្ព" });
  await coord.send("POST", `${base}/tasks/${task.id}/status`, { status: "in_progress" });
  Object.assign(seeded, { coalitionId, taskId: task.id });
}

// The server's first start (migrations) is the slow part; on a crowded machine it can take over a minute.
beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The page's visible text with Latin digits, each with a little context; [] when there are none. */
async function latinDigits(page: Page): Promise<string[]> {
  const text = (await page.locator("main").textContent()) ?? "";
  return [...text.matchAll(/.{0,20}[0-9].{0,20}/g)].map((m) => m[0]);
}

/** Labels and badges smaller than 15 px (selector and size); [] when all are legible. */
async function smallText(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("main label, main .badge, main .row-meta, main .muted, main small, main .hint")]
      .filter((el) => (el as HTMLElement).offsetParent !== null && (el.textContent ?? "").trim() !== "")
      .map((el) => ({ el, size: Number.parseFloat(getComputedStyle(el).fontSize) }))
      .filter(({ size }) => size < 15)
      .map(({ el, size }) => `${el.tagName.toLowerCase()}.${el.className} ${size}px`),
  );
}

describe("Khmer on a phone", () => {
  it("the first-run setup names the time zones in Khmer (Chromium has no Khmer names of its own)", async () => {
    const context = await browser.newContext({ viewport: PHONE, language: "km" });
    const page = await context.newPage();
    // (Not signed in yet: the page's /api/me answers 401, which the console reports.)
    await page.goto(`${server.url}/setup`);
    const zone = page.getByLabel(km("setup.timeZone"));
    await visible(zone);
    const option = (value: string) => zone.locator(`option[value="${value}"]`);
    await expect
      .poll(() => option("Asia/Phnom_Penh").textContent())
      .toBe(km("timeZones.option", { zone: "Asia/Phnom Penh", name: "ម៉ោងនៅឥណ្ឌូចិន" }));
    expect(await option("Europe/Paris").textContent()).toBe(km("timeZones.option", { zone: "Europe/Paris", name: "ម៉ោងនៅអឺរ៉ុបកណ្ដាល" }));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, "km-phone-setup");
    await context.close();
    await seed();
  });

  it("the dashboard and a task page show Khmer digits only, legible, within the phone's width", async () => {
    const context = await browser.newContext({ viewport: PHONE, language: "km" });
    expect((await signIn(context, server.url, coordinator)).status()).toBe(200);
    const page = await context.newPage();
    collectConsoleErrors(page, coordinator.email, consoleErrors);

    await page.goto(`${server.url}/c/${seeded.coalitionId}`);
    await visible(page.getByRole("link", { name: "បោះពុម្ពខិត្តប័ណ្ណ" }));
    await visible(page.getByText("យើងបានចែកខ្សែបូនៅផ្សារ"));
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("km");
    // The overdue task's date and the metric's figures are there, in Khmer digits, with the metric's Khmer name and unit.
    await visible(page.getByText("៣", { exact: false }));
    await visible(page.getByText("ខ្សែបូដែលបានចែក", { exact: false }));
    expect(await page.locator("main").textContent()).not.toMatch(/ribbons|Ribbons handed out/);
    expect(await latinDigits(page)).toEqual([]);
    expect(await smallText(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, "km-phone-dashboard");

    await page.goto(`${server.url}/c/${seeded.coalitionId}/tasks/${seeded.taskId}`);
    await visible(page.getByText("ខ្ញុំនឹងទៅហាងបោះពុម្ព"));
    await visible(page.getByText(km("tasks.overdue")).first());
    expect(await latinDigits(page)).toEqual([]);
    expect(await smallText(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, "km-phone-task");

    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("choosing English on the account page: when the server does not keep it, the page stays in Khmer and says so; when it does, English, kept by the account", async () => {
    const context = await browser.newContext({ viewport: PHONE, language: "km" });
    expect((await signIn(context, server.url, coordinator)).status()).toBe(200);
    const page = await context.newPage();
    await page.goto(`${server.url}/account`);
    const english = page.getByRole("radio", { name: "English" });
    await visible(english);
    // The save fails (the server is briefly unavailable). Its answer is in English: the request went
    // out in the language being chosen.
    const failure = {
      type: "about:blank",
      title: en("errors.internal.title"),
      detail: en("errors.internal.detail"),
      status: 503,
      code: "internal",
    };
    await page.route("**/api/me", (route) =>
      route.request().method() === "PATCH"
        ? route.fulfill({ status: 503, contentType: "application/problem+json", body: JSON.stringify(failure) })
        : route.continue(),
    );
    await english.click();
    // Said in Khmer, the page's language, which stays.
    await visible(page.getByRole("alert").getByText(km("errors.internal.title")));
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("km");
    expect(await page.getByRole("radio", { name: "ខ្មែរ" }).isChecked()).toBe(true);
    await screenshot(page, "km-phone-account-language-not-saved");
    // It goes through: English, and still English after a reload (the account keeps it).
    await page.unroute("**/api/me");
    const saved = page.waitForResponse((res) => res.url().endsWith("/api/me") && res.request().method() === "PATCH");
    await english.click();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("en");
    await visible(page.getByRole("status").getByText(en("common.saved")));
    // The account keeps it (this harness presets Khmer on every page it opens, so no reload here).
    expect(await page.evaluate(() => fetch("/api/me").then((r) => r.json() as Promise<{ person: { language: string } }>))).toMatchObject({
      person: { language: "en" },
    });
    expect(await page.getByRole("radio", { name: "English" }).isChecked()).toBe(true);
    await context.close();
  });
});
