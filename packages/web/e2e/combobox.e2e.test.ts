/**
 * The searchable combobox (issue 10, item 8) on a task page, on a 360x640 phone: the assignee
 * organisation and person are picked by typing part of a name and the keyboard, the list fits the
 * screen and long organisation names wrap instead of being cut; in the comment box, `@` opens the
 * coalition's people filtered as you type (English, any case, and Khmer), Escape closes it, arrows and
 * Enter pick; the posted comment shows the name only, never the `@[Name](id)` markup, and the
 * mentioned person starts watching (so the API did receive the markup). axe stays clean with the
 * lists open. Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`.
 */

import type { Language } from "@samakki/shared/i18n/index";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit, BLOCKING } from "./axe.ts";
import {
  ApiClient,
  acceptInvitation,
  collectConsoleErrors,
  expectHeading,
  inviteOrganisation,
  launchBrowser,
  type Person,
  PHONE,
  screenshot,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  translator,
  visible,
} from "./harness.ts";

const coordinator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const khmerAdmin: Person = { name: "សុខ ដារា", email: "admin@cchr.example", password: "three weeks to angkor wat" };
const englishAdmin: Person = { name: "Dara Kim", email: "admin@licadho.example", password: "yellow ribbons everywhere" };
const CCHR = { name: "Cambodian Center for Human Rights", shortName: "CCHR" };
const LICADHO = { name: "Cambodian League for the Promotion and Defense of Human Rights", shortName: "LICADHO" };
const LICADHO_LABEL = `${LICADHO.name} (${LICADHO.shortName})`;

let server: TestServer;
let browser: TestBrowser;
let coalitionId = "";
const taskIds: Record<Language, string> = { en: "", km: "" };
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startServer({ privateWebDist: true });
  browser = await launchBrowser();
  const coord = new ApiClient(server.url);
  ({ coalitionId } = await setupCoalition(coord, { organisation: { name: "Secretariat NGO", shortName: "SEC" }, coordinator }));
  await inviteOrganisation(coord, coalitionId, CCHR, khmerAdmin.email);
  await inviteOrganisation(coord, coalitionId, LICADHO, englishAdmin.email);
  await Promise.all([acceptInvitation(server, khmerAdmin, "km"), acceptInvitation(server, englishAdmin, "en")]);
  for (const lang of ["en", "km"] as const) {
    const task = await coord.send<{ id: string }>("POST", `/api/coalitions/${coalitionId}/tasks`, {
      title: `Print the leaflets (${lang})`,
    });
    taskIds[lang] = task.id;
  }
  // Three accounts with slow password hashes, on a busy machine.
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(person: Person, lang: Language): Promise<Page> {
  const context = await browser.newContext({ language: lang });
  expect((await signIn(context, server.url, person)).ok()).toBe(true);
  const page = await context.newPage();
  collectConsoleErrors(page, person.email, consoleErrors);
  return page;
}

const card = (page: Page, title: string) => page.locator("section.card", { has: page.getByRole("heading", { name: title, exact: true }) });

/** The texts of the options of the one listbox shown. */
const shownOptions = (page: Page) => page.locator("[role=listbox]:visible [role=option]").allTextContents();

/** Waits until the shown options are exactly `expected` (the list filters as the input changes). */
async function expectOptions(page: Page, expected: string[]): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const box = [...document.querySelectorAll<HTMLElement>("[role=listbox]")].find((l) => !l.hidden);
      const got = box ? [...box.querySelectorAll<HTMLElement>("[role=option]")].map((o) => o.textContent) : [];
      return JSON.stringify(got) === JSON.stringify(want);
    },
    expected,
    { timeout: 15_000 },
  );
}

/**
 * Waits until `input` has the focus and holds `text`, and its list shows exactly `expected`: the state
 * ArrowDown and Enter act on. Fails with what was there instead (a closed list, the focus elsewhere).
 */
async function expectSearching(page: Page, input: Locator, text: string, expected: string[]): Promise<void> {
  const id = (await input.getAttribute("id")) ?? "";
  const state = () =>
    page.evaluate((inputId) => {
      const box = [...document.querySelectorAll<HTMLElement>("[role=listbox]")].find((l) => !l.hidden);
      const field = document.getElementById(inputId);
      return {
        focused: document.activeElement === field,
        value: field instanceof HTMLInputElement ? field.value : null,
        options: box ? [...box.querySelectorAll<HTMLElement>("[role=option]")].map((o) => o.textContent) : null,
      };
    }, id);
  const want = { focused: true, value: text, options: expected };
  await expect.poll(state, { timeout: 15_000 }).toEqual(want);
}

/** The shown listbox lies inside the phone's screen, and none of its options is cut (they wrap). */
async function expectListFits(page: Page): Promise<void> {
  const box = await page.locator("[role=listbox]:visible").boundingBox();
  expect(box).not.toBeNull();
  if (!box) return;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
  const cut = await page
    .locator("[role=listbox]:visible [role=option]")
    .evaluateAll((options) => options.filter((o) => o.scrollWidth > o.clientWidth || o.getAttribute("title") !== o.textContent).length);
  expect(cut).toBe(0);
}

/** axe finds nothing serious; with `listOpen`, the list was still open when it looked. */
async function expectAxeClean(page: Page, { listOpen = false } = {}): Promise<void> {
  const { violations } = await audit(page);
  expect(violations.filter((v) => BLOCKING.has(v.impact ?? "")).map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" | ")}`)).toEqual(
    [],
  );
  if (listOpen) expect(await page.locator("[role=listbox]:visible").count()).toBe(1);
}

describe("the combobox on a task page", () => {
  it("assigns by typing part of an organisation's and a person's name and choosing with the keyboard", async () => {
    const L = translator("en");
    const page = await signedIn(coordinator, "en");
    await page.goto(`${server.url}/c/${coalitionId}/tasks/${taskIds.en}`);
    await expectHeading(page, "Print the leaflets (en)");
    const assign = card(page, L("tasks.assignTitle"));
    const organisation = assign.getByRole("combobox", { name: L("tasks.assigneeOrganisation") });

    // Opened, it lists every choice and axe finds nothing serious in the open list.
    await organisation.click();
    await visible(page.locator("[role=listbox]:visible [role=option]", { hasText: LICADHO.shortName }));
    expect((await shownOptions(page)).sort()).toEqual(
      [L("tasks.nobody"), "Secretariat NGO (SEC)", `${CCHR.name} (${CCHR.shortName})`, LICADHO_LABEL].sort(),
    );
    await expectAxeClean(page, { listOpen: true });

    // Part of a word, in another case, keeps only the long name; it wraps inside the phone's screen.
    await organisation.fill("PROMOTION");
    await expectOptions(page, [LICADHO_LABEL]);
    await expectListFits(page);
    await screenshot(page, "en-phone-combobox-organisation");
    // The keys act on the focused field and the list it shows when they arrive: still this search.
    await expectSearching(page, organisation, "PROMOTION", [LICADHO_LABEL]);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await organisation.inputValue()).toBe(LICADHO_LABEL);
    expect(await organisation.getAttribute("title")).toBe(LICADHO_LABEL);
    expect(await page.locator("[role=listbox]:visible").count()).toBe(0);

    // The organisation's people load; Escape closes the list and keeps the choice.
    const person = assign.getByRole("combobox", { name: L("tasks.assigneePerson"), exact: false });
    await person.click();
    await expectOptions(page, [L("tasks.noPerson"), englishAdmin.name]);
    await page.keyboard.press("Escape");
    expect(await page.locator("[role=listbox]:visible").count()).toBe(0);
    await person.fill("kim");
    await expectSearching(page, person, "kim", [englishAdmin.name]);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await person.inputValue()).toBe(englishAdmin.name);

    await assign.getByRole("button", { name: L("tasks.assign") }).click();
    await visible(assign.getByText(L("tasks.assigned")));
    await visible(page.getByTestId("assignee-organisation").getByText(LICADHO_LABEL));
    await visible(page.getByTestId("assignee-person").getByText(englishAdmin.name));
  });

  it("mentions with @ in the comment box: filtered as you type, picked with the keyboard, posted as the name only", async () => {
    const L = translator("en");
    const page = await signedIn(coordinator, "en");
    await page.goto(`${server.url}/c/${coalitionId}/tasks/${taskIds.en}`);
    await expectHeading(page, "Print the leaflets (en)");
    const comments = card(page, L("tasks.comments"));
    const box = comments.getByRole("textbox", { name: L("tasks.comment") });

    // "@" lists the coalition's people; Escape closes the list and leaves the text as typed.
    await box.click();
    await page.keyboard.type("Leaflets are printed, thanks @");
    await visible(page.locator("[role=listbox]:visible [role=option]", { hasText: englishAdmin.name }));
    await expectAxeClean(page, { listOpen: true });
    await page.keyboard.press("Escape");
    expect(await page.locator("[role=listbox]:visible").count()).toBe(0);
    expect(await box.inputValue()).toBe("Leaflets are printed, thanks @");

    // A new "@" and a letter: the matches, in any case; arrows move to Dara Kim and Enter picks.
    await page.keyboard.type(" and @A");
    const options = await (async () => {
      await visible(page.locator("[role=listbox]:visible [role=option]", { hasText: englishAdmin.name }));
      return shownOptions(page);
    })();
    expect(options).toContain(coordinator.name);
    expect(options).not.toContain(khmerAdmin.name);
    await expectListFits(page);
    for (let i = 0; i < options.indexOf(englishAdmin.name); i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await box.inputValue()).toBe(`Leaflets are printed, thanks @ and @${englishAdmin.name} `);
    await page.keyboard.type("please collect them.");

    await comments.getByRole("button", { name: L("tasks.postComment") }).click();
    await visible(comments.locator(".md-html strong", { hasText: `@${englishAdmin.name}` }));
    const shown = (await comments.locator(".rows").textContent()) ?? "";
    expect(shown).toContain(`@${englishAdmin.name} please collect them.`);
    expect(shown).not.toContain("@[");
    expect(shown).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(await box.inputValue()).toBe("");
    // The API got the markup: the person mentioned now watches the task.
    await visible(card(page, L("tasks.watchers")).getByText(englishAdmin.name));
  });

  it("filters Khmer names as typed in Khmer", async () => {
    const L = translator("km");
    const page = await signedIn(coordinator, "km");
    await page.goto(`${server.url}/c/${coalitionId}/tasks/${taskIds.km}`);
    await expectHeading(page, "Print the leaflets (km)");
    const comments = card(page, L("tasks.comments"));
    const box = comments.getByRole("textbox", { name: L("tasks.comment") });
    await box.click();
    await page.keyboard.type("សូមជួយ @ដារា");
    await expectOptions(page, [khmerAdmin.name]);
    await expectListFits(page);
    await screenshot(page, "km-phone-combobox-mention");
    await page.keyboard.press("Enter");
    expect(await box.inputValue()).toBe(`សូមជួយ @${khmerAdmin.name} `);
    await comments.getByRole("button", { name: L("tasks.postComment") }).click();
    await visible(comments.locator(".md-html strong", { hasText: `@${khmerAdmin.name}` }));
    expect(await comments.locator(".rows").textContent()).not.toContain("@[");
    await visible(card(page, L("tasks.watchers")).getByText(khmerAdmin.name));
    await expectAxeClean(page);
    expect(consoleErrors).toEqual([]);
  });
});
