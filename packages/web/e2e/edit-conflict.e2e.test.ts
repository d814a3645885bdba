/**
 * Two people editing one task at once, in two browsers (lib/edit-conflict.tsx over the API's If-Match):
 * one on a desktop in English renames it; the other, on a phone in Khmer, had the edit form open and
 * writes its description. The second save is refused without losing either change: the phone's form
 * takes the new title (its person left the title alone), keeps the typed description, says what
 * changed, and saving again keeps both.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`; builds nothing.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  DESKTOP,
  en,
  expectHeading,
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

let server: TestServer;
let browser: TestBrowser;
let api: ApiClient;
let taskPath = "";
let taskUrl = "";
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  api = new ApiClient(server.url);
  const { coalitionId } = await setupCoalition(api, { organisation: { name: "Secretariat NGO", shortName: "SEC" }, coordinator });
  const task = await api.send<{ id: string }>("POST", `/api/coalitions/${coalitionId}/tasks`, {
    title: "Print the banners",
    description: "Two banners.",
  });
  taskPath = `/api/coalitions/${coalitionId}/tasks/${task.id}`;
  taskUrl = `${server.url}/c/${coalitionId}/tasks/${task.id}`;
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

/** The coordinator on another device: a context of its own, signed in, on the task's page with its edit form open. */
async function editorOn(options: Parameters<TestBrowser["newContext"]>[0], t: typeof en): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
  const page = await context.newPage();
  await page.goto(taskUrl);
  await expectHeading(page, "Print the banners");
  await page.getByRole("button", { name: t("common.edit"), exact: true }).click();
  await visible(page.getByRole("button", { name: t("common.save"), exact: true }));
  return page;
}

describe("two people editing one task", () => {
  it("keeps both changes: the second save is refused, merges the first, and saves again", async () => {
    const desktop = await editorOn({ viewport: DESKTOP, language: "en" }, en);
    const phone = await editorOn({ language: "km" }, km);

    // On the desktop: a new title, saved.
    const title = desktop.getByRole("textbox", { name: en("tasks.fieldTitle") });
    await title.fill("Print four banners");
    await desktop.getByRole("button", { name: en("common.save"), exact: true }).click();
    await expectHeading(desktop, "Print four banners");

    // On the phone, the form opened before that: a description, saved.
    await phone.getByRole("textbox", { name: km("tasks.description") }).fill("បដាបួន នៅលើក្រណាត់។");
    await phone.getByRole("button", { name: km("common.save"), exact: true }).click();
    await visible(phone.getByText(km("errors.edit_conflict.title")));
    const notice = phone.locator(".notice", { hasText: km("common.editConflictTheirs") });
    await visible(notice);
    expect((await notice.locator("dt").allTextContents()).map((s) => s.trim())).toEqual([km("tasks.fieldTitle")]);
    expect((await notice.locator("dd").textContent())?.trim()).toBe(`Print four banners (${km("common.editConflictMerged")})`);
    // Its person did not touch the title: the form now holds the desktop's. Their description is still there.
    expect(await phone.getByRole("textbox", { name: km("tasks.fieldTitle") }).inputValue()).toBe("Print four banners");
    expect(await phone.getByRole("textbox", { name: km("tasks.description") }).inputValue()).toBe("បដាបួន នៅលើក្រណាត់។");
    // The page behind the form already shows the new title.
    await expectHeading(phone, "Print four banners");
    await screenshot(phone, "km-phone-task-edit-conflict");

    await phone.getByRole("button", { name: km("common.save"), exact: true }).click();
    await visible(phone.getByText("បដាបួន នៅលើក្រណាត់។"));
    const saved = await api.send<{ title: string; description: string; revision: number }>("GET", taskPath);
    expect(saved).toMatchObject({ title: "Print four banners", description: "បដាបួន នៅលើក្រណាត់។", revision: 3 });
  });
});
