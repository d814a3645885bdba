/**
 * The audit log's sentences (issue 10, item 9) are a catalog area the page fetches for itself
 * (src/lib/catalog-areas.ts): in a real browser, in English and in Khmer, the page shows each event
 * as a sentence with its target linked, never a raw key or action name.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build` first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  en,
  expectHeading,
  km,
  launchBrowser,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const coordinator = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const title = "Yellow ribbons";

let server: TestServer;
let browser: TestBrowser;
let coalitionId: string;
let campaignId: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const api = new ApiClient(server.url);
  ({ coalitionId } = await setupCoalition(api, { coordinator, organisation: { name: "Secretariat NGO", shortName: "SEC" } }));
  const me = await api.send<{ organisations: { id: string }[] }>("GET", "/api/me");
  ({ id: campaignId } = await api.send<{ id: string }>("POST", `/api/coalitions/${coalitionId}/campaigns`, {
    title,
    ownerOrganisationIds: me.organisations.map((o) => o.id),
  }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the audit log in the browser", () => {
  for (const [language, t] of [
    ["en", en],
    ["km", km],
  ] as const) {
    it(`writes each event as a sentence in ${language === "en" ? "English" : "Khmer"}, its target linked`, async () => {
      const context = await browser.newContext({ language });
      expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
      const page = await context.newPage();
      await page.goto(`${server.url}/c/${coalitionId}/audit`);
      await expectHeading(page, t("audit.title"));
      const sentence = t("auditLog.sentence.campaign_create", { actor: "§", target: "§" })
        .split("§")
        .map((s) => s.trim());
      const event = page
        .getByRole("listitem")
        .filter({ hasText: sentence[1] ?? "" })
        .first();
      await visible(event);
      await visible(event.getByRole("link", { name: t("auditLog.quoted", { title }) }));
      expect(await event.getByRole("link", { name: t("auditLog.quoted", { title }) }).getAttribute("href")).toBe(
        `/c/${coalitionId}/campaigns/${campaignId}`,
      );
      const text = (await page.locator("main").textContent()) ?? "";
      expect(text).not.toMatch(/auditLog\.|campaign\.create|coalition\.setup/);
      await context.close();
    });
  }
});
