/**
 * Installable and readable offline (issue 10, item 4), on a 360×640 phone in Khmer: pages seen
 * online (dashboard, my tasks, a campaign, the statements) open again without a network, with a bar
 * saying when the data was shown; an action tried offline says it was not sent and is not sent later;
 * after signing out, nothing of the previous person is shown offline; a new release drops the answers
 * the old one kept, and a tab left open learns of it without a page load (shown again, an hour on
 * screen, a change answered 404). The manifest and its icons are served as the browser expects.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`; builds nothing.
 * Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  COALITION_NAME,
  collectConsoleErrors,
  km,
  launchBrowser,
  type Person,
  screenshot,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const coordinator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const ORG = { name: "Secretariat of the Alliance", shortName: "SEC" };
const TASK = "Collect the ribbons from Kampot";
const CAMPAIGN = "Yellow ribbons for free expression";
const STATEMENT = "Joint statement on the freedom of the press";
const UPDATE = "The first ribbons are out in Phnom Penh.";
const NOT_SENT = "Written offline: must never reach the server.";

let server: TestServer;
let browser: TestBrowser;
let coalitionId = "";
let campaignId = "";
let coord: ApiClient;
const consoleErrors: string[] = [];

beforeAll(async () => {
  // A private copy of the build: the update test changes its sw.js, as a release would, without
  // touching what browser tests running alongside are served.
  server = await startServer({ privateWebDist: true });
  browser = await launchBrowser();
  coord = new ApiClient(server.url);
  ({ coalitionId } = await setupCoalition(coord, { organisation: ORG, coordinator }));
  const me = await coord.send<{ person: { id: string }; organisations: { id: string }[] }>("GET", "/api/me");
  const organisationId = me.organisations[0]?.id ?? "";
  const base = `/api/coalitions/${coalitionId}`;
  const dueOn = new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10);
  await coord.send("POST", `${base}/tasks`, { title: TASK, dueOn, assigneeOrganisationId: organisationId, assigneePersonId: me.person.id });
  ({ id: campaignId } = await coord.send<{ id: string }>("POST", `${base}/campaigns`, {
    title: CAMPAIGN,
    status: "active",
    ownerOrganisationIds: [organisationId],
  }));
  await coord.send("POST", `${base}/campaigns/${campaignId}/updates`, { body: UPDATE });
  await coord.send("POST", `${base}/statements`, {
    title: STATEMENT,
    bodyEn: "We stand for a free press.",
    bodyKm: "យើងគាំទ្រសេរីភាពសារព័ត៌មាន។",
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const pages = () => {
  const c = `/c/${coalitionId}`;
  return [
    { name: "dashboard", path: c, shows: TASK },
    { name: "my-tasks", path: `${c}/tasks?view=mine`, shows: TASK },
    { name: "campaign", path: `${c}/campaigns/${campaignId}`, shows: UPDATE },
    { name: "statements", path: `${c}/statements`, shows: STATEMENT },
  ];
};

const banner = (page: Page) => page.getByTestId("offline-banner");

/** Waits until the service worker controls the page, so what the page fetches goes through it. */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
}

async function signedInPhone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ language: "km" });
  expect((await signIn(context, server.url, coordinator)).status()).toBe(200);
  const page = await context.newPage();
  collectConsoleErrors(page, "offline", consoleErrors);
  return { context, page };
}

describe("installable", () => {
  it("links a manifest in the page's language, with icons the server sends", async () => {
    const context = await browser.newContext({ language: "km" });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    // The manifest link follows the language once the page has loaded (lib/pwa.tsx).
    await expect
      .poll(() => page.locator('link[rel="manifest"]').getAttribute("href"), { timeout: 15_000 })
      .toBe("/manifest.km.webmanifest");
    const res = await context.request.get(`${server.url}/manifest.km.webmanifest`);
    expect(res.headers()["content-type"]).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as { name: string; icons: { src: string; sizes: string; purpose: string }[] };
    expect(manifest.name).toBe(km("app.name"));
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
    for (const icon of manifest.icons) {
      const png = await context.request.get(`${server.url}${icon.src}`);
      expect(png.headers()["content-type"]).toBe("image/png");
    }
    const sw = await context.request.get(`${server.url}/sw.js`);
    expect(sw.headers()["cache-control"]).toBe("no-cache");
    await context.close();
  });
});

describe("readable offline, in Khmer on a phone", () => {
  it("shows the pages seen online with the time they were shown, refuses an action, and forgets everything at sign-out", async () => {
    const { context, page } = await signedInPhone();
    await page.goto(`${server.url}${pages()[0]?.path}`);
    await controlled(page);
    // Online: every page once, through the service worker; no offline bar.
    for (const p of pages()) {
      await page.goto(`${server.url}${p.path}`);
      await visible(page.getByText(p.shows));
      expect(await banner(page).count()).toBe(0);
    }

    await context.setOffline(true);
    for (const p of pages()) {
      await page.goto(`${server.url}${p.path}`);
      await visible(page.getByText(p.shows));
      await visible(banner(page));
      const text = (await banner(page).textContent()) ?? "";
      // The Khmer sentence around a time of today in Phnom Penh ("… ម៉ោង HH:MM …").
      const [before = "", after = ""] = km("pwa.offlineBanner", { time: "{time}" }).split("{time}");
      expect(text.startsWith(before) && text.endsWith(after), text).toBe(true);
      expect(text.slice(before.length, text.length - after.length)).toMatch(/^[^0-9]*[០-៩]{1,2}:[០-៩]{2}[^0-9]*$/);
      await screenshot(page, `offline-km-${p.name}`);
    }

    // An action offline: posting an update on the campaign says it was not sent.
    await page.goto(`${server.url}/c/${coalitionId}/campaigns/${campaignId}`);
    await visible(page.getByText(UPDATE));
    await page.getByLabel(km("campaigns.updateBody")).fill(NOT_SENT);
    await page.getByRole("button", { name: km("campaigns.post") }).click();
    await visible(page.getByText(km("common.offlineTitle")));
    await screenshot(page, "offline-km-not-sent");

    // Back online: nothing was queued behind the person's back.
    await context.setOffline(false);
    await page.goto(`${server.url}/c/${coalitionId}/campaigns/${campaignId}`);
    await visible(page.getByText(UPDATE));
    expect(await banner(page).count()).toBe(0);
    const updates = await coord.send<{ items: { body: string }[] }>(
      "GET",
      `/api/coalitions/${coalitionId}/campaigns/${campaignId}/updates`,
    );
    expect(updates.items.map((u) => u.body)).not.toContain(NOT_SENT);

    // Signing out offline is not sent either, and says so; the page stays where it was.
    await context.setOffline(true);
    await page.getByLabel(km("nav.accountMenu")).click();
    await page.getByRole("button", { name: km("nav.signOut") }).click();
    await visible(page.getByRole("alert").filter({ hasText: km("common.offlineTitle") }));
    expect(new URL(page.url()).pathname).toBe(`/c/${coalitionId}/campaigns/${campaignId}`);
    await screenshot(page, "offline-km-sign-out-not-sent");
    await context.setOffline(false);

    // Sign out through the account menu, then offline: nothing of the previous person is shown.
    await page.getByLabel(km("nav.accountMenu")).click();
    await page.getByRole("button", { name: km("nav.signOut") }).click();
    await page.waitForURL(/\/sign-in/);
    await context.setOffline(true);
    await page.goto(`${server.url}/c/${coalitionId}`);
    // Signed out, the browser holds no signed-in hint (lib/signed-in-hint.ts): the app asks for no
    // session and shows the sign-in page, from the service worker's copy of the app.
    await page.waitForURL(/\/sign-in/);
    await page.waitForSelector("main h1");
    for (const text of [TASK, COALITION_NAME, coordinator.name]) expect(await page.getByText(text).count(), text).toBe(0);
    // Nor when the app was last used: the one kept answer, whether the first setup was done, has no time.
    expect(await banner(page).count()).toBe(0);
    const kept = await page.evaluate(async () => {
      const cache = await caches.open("samakki-api");
      return (await cache.keys()).map((r) => r.url);
    });
    // Only whether the first setup was done (public, the same for everyone) may remain.
    expect(kept.filter((url) => new URL(url).pathname !== "/api/setup")).toEqual([]);
    await screenshot(page, "offline-km-after-sign-out");
    await context.close();
    expect(consoleErrors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e))).toEqual([]);
  });
});

describe("updates", () => {
  it("offers a new release with a prompt, switches to it only when asked, and drops what the old one kept", async () => {
    const { context, page } = await signedInPhone();
    const statements = `${server.url}/c/${coalitionId}/statements`;
    // The dashboard, seen once the worker controls the page, is kept.
    await page.goto(`${server.url}/c/${coalitionId}`);
    await controlled(page);
    await page.goto(`${server.url}/c/${coalitionId}`);
    await visible(page.getByText(TASK));
    await page.goto(statements);
    await visible(page.getByText(STATEMENT));
    const dashboard = `/api/coalitions/${coalitionId}/dashboard`;
    const kept = () => page.evaluate(async () => (await (await caches.open("samakki-api")).keys()).map((r) => new URL(r.url).pathname));
    expect(await kept()).toContain(dashboard);
    const file = join(server.webDist ?? join(import.meta.dirname, "../dist"), "sw.js");
    const original = await readFile(file, "utf8");
    try {
      // A new release: the worker's script differs by a byte.
      await writeFile(file, `${original}\n// the next release\n`);
      await page.goto(statements);
      await visible(page.getByText(km("pwa.updateReady")));
      await screenshot(page, "update-km-prompt");
      // Until the person says so, the old worker keeps serving and the new one waits.
      expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(true);
      await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: km("pwa.reload") }).click()]);
      await visible(page.getByText(STATEMENT));
      expect(await page.getByText(km("pwa.updateReady")).count()).toBe(0);
      expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(false);
      // What the old release kept is gone (its answers may have another shape); the statements
      // page just seen is kept again, and the dashboard, not seen since, is not shown offline.
      expect(await kept()).not.toContain(dashboard);
      await context.setOffline(true);
      await page.goto(`${server.url}/c/${coalitionId}`);
      await visible(page.getByText(km("common.offlineTitle")));
      expect(await page.getByText(TASK).count()).toBe(0);
      await page.goto(statements);
      await visible(page.getByText(STATEMENT));
      await context.setOffline(false);
    } finally {
      await writeFile(file, original);
      await context.close();
    }
  });

  for (const [when, wake] of [
    ["shown again a quarter of an hour later", "visibility"],
    ["on screen for an hour", "hour"],
  ] as const) {
    it(`a tab left open learns of a new release when ${when}, without a navigation`, async () => {
      const { context, page } = await signedInPhone();
      // The page's clock, so that minutes pass at once (the service worker keeps the real one), and
      // a count of the update checks the page asks for.
      await page.clock.install();
      await page.addInitScript(() => {
        const update = ServiceWorkerRegistration.prototype.update;
        Object.assign(window, { updateChecks: 0 });
        ServiceWorkerRegistration.prototype.update = function (this: ServiceWorkerRegistration) {
          Object.assign(window, { updateChecks: (window as unknown as { updateChecks: number }).updateChecks + 1 });
          return update.call(this);
        };
      });
      const checks = () => page.evaluate(() => (window as unknown as { updateChecks: number }).updateChecks);
      const dashboard = `${server.url}/c/${coalitionId}`;
      await page.goto(dashboard);
      await controlled(page);
      await visible(page.getByText(TASK));
      const file = join(server.webDist ?? join(import.meta.dirname, "../dist"), "sw.js");
      const original = await readFile(file, "utf8");
      try {
        await writeFile(file, `${original}\n// the release after\n`);
        const shown = () => page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
        if (wake === "visibility") {
          // Shown again within a quarter of an hour of the last check: no request.
          await page.clock.fastForward("05:00");
          await shown();
          expect(await checks()).toBe(0);
          await page.clock.fastForward("11:00");
          await shown();
          await shown();
          expect(await checks()).toBe(1);
        } else {
          await page.clock.fastForward("01:00:01");
        }
        await visible(page.getByText(km("pwa.updateReady")));
        expect(page.url()).toBe(dashboard);
      } finally {
        await writeFile(file, original);
        await context.close();
      }
    });
  }

  it("a tab left open learns of a new release when a change answers 404 (an endpoint that moved), without a navigation", async () => {
    const { context, page } = await signedInPhone();
    const campaign = `${server.url}/c/${coalitionId}/campaigns/${campaignId}`;
    await page.goto(campaign);
    await controlled(page);
    const file = join(server.webDist ?? join(import.meta.dirname, "../dist"), "sw.js");
    const original = await readFile(file, "utf8");
    // The release this tab runs calls an endpoint the new one has moved: the server answers 404.
    await context.route(`**/api/coalitions/${coalitionId}/campaigns/${campaignId}`, (route) =>
      route.request().method() === "PATCH"
        ? route.fulfill({
            status: 404,
            contentType: "application/problem+json",
            // As the server writes it, in the page's language.
            body: JSON.stringify({
              type: "/api/docs#error-not_found",
              title: km("errors.not_found.title"),
              detail: km("errors.not_found.detail"),
              status: 404,
              code: "not_found",
            }),
          })
        : route.fallback(),
    );
    try {
      await writeFile(file, `${original}\n// a release that moved an endpoint\n`);
      const overview = page.locator("section.card", { has: page.getByRole("heading", { name: km("campaigns.overview"), exact: true }) });
      await overview.getByLabel(km("campaigns.changeStatus")).selectOption("paused");
      await overview.getByRole("button", { name: km("common.save") }).click();
      // The change is refused as any 404 is, and the new release is offered at once: no page load came in between.
      await visible(page.getByText(km("pwa.updateReady")));
      expect(page.url()).toBe(campaign);
      await screenshot(page, "update-after-404-km");
    } finally {
      await writeFile(file, original);
      await context.close();
    }
  });
});
