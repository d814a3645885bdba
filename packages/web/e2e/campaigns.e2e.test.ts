/**
 * Campaigns and tasks in a real browser against the built app, once in English and once in Khmer:
 * a coordinator creates a campaign with two co-owner organisations, adds a march with stages and a
 * ribbons metric, and assigns a task to an organisation; that organisation's admin delegates it to
 * a member; the member moves it to done on the board; a second organisation reports 500 ribbons and
 * the progress shows it. The coalition and its people are seeded through the HTTP API first.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`; builds nothing.
 * Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */

import { formatNumber } from "@samakki/shared/i18n/format";
import type { Language } from "@samakki/shared/i18n/index";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  acceptInvitation,
  collectConsoleErrors,
  DESKTOP,
  expectHeading,
  inviteOrganisation,
  launchBrowser,
  type Person,
  screenshot,
  setupCoalition,
  signIn,
  startServer,
  type TestBrowser,
  type TestServer,
  translator,
  visible,
} from "./harness.ts";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const coordinator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const cchrAdmin: Person = { name: "Dara Kim", email: "admin@cchr.example", password: "three weeks to angkor wat" };
const cchrMember: Person = { name: "Vanna Sok", email: "vanna@cchr.example", password: "walking from phnom penh" };
const licadhoAdmin: Person = { name: "Naly Pen", email: "admin@licadho.example", password: "yellow ribbons everywhere" };
const SEC = "Secretariat NGO (SEC)";
const CCHR = { name: "Cambodian Center for Human Rights", shortName: "CCHR" };
const LICADHO = { name: "Cambodian League for the Promotion and Defense of Human Rights", shortName: "LICADHO" };

let server: TestServer;
let browser: TestBrowser;
let coalitionId = "";
const consoleErrors: string[] = [];

/** Setup, two invited organisations whose admins accept, and a member of the first. */
async function seed(): Promise<void> {
  const coord = new ApiClient(server.url);
  const setup = await setupCoalition(coord, { organisation: { name: "Secretariat NGO", shortName: "SEC" }, coordinator });
  coalitionId = setup.coalitionId;
  const invited: { organisationId: string }[] = [];
  for (const [org, admin] of [
    [CCHR, cchrAdmin],
    [LICADHO, licadhoAdmin],
  ] as const) {
    invited.push(await inviteOrganisation(coord, coalitionId, org, admin.email));
  }
  await Promise.all([acceptInvitation(server, cchrAdmin, "en"), acceptInvitation(server, licadhoAdmin, "en")]);
  const dara = new ApiClient(server.url);
  await dara.send("POST", "/api/auth/sign-in", { email: cchrAdmin.email, password: cchrAdmin.password });
  await dara.send("POST", `/api/organisations/${invited[0]?.organisationId}/invitations`, { email: cchrMember.email, role: "member" });
  await acceptInvitation(server, cchrMember, "en");
}

/**
 * A new phone-sized page signed in as `person`, in `lang` (as if chosen with the language switcher).
 * Each person keeps one browser context per language for the file, as a returning user keeps a
 * browser (its service worker installs once, not at every step), signed in again at every call.
 * Every page is closed after its test.
 */
const contexts = new Map<string, BrowserContext>();
async function signedIn(person: Person, lang: Language): Promise<Page> {
  const key = `${person.email} ${lang}`;
  let context = contexts.get(key);
  if (!context) {
    context = await browser.newContext({ language: lang });
    contexts.set(key, context);
  }
  const res = await signIn(context, server.url, person);
  expect(res.status()).toBe(200);
  const page = await context.newPage();
  collectConsoleErrors(page, person.email, consoleErrors);
  return page;
}

/** The card (a <section class="card">) whose heading is `title`. */
const card = (page: Page, title: string) => page.locator("section.card", { has: page.getByRole("heading", { name: title, exact: true }) });

beforeAll(async () => {
  // Serve a private copy of the build, so another build running meanwhile cannot swap the files under the test.
  server = await startServer({ privateWebDist: true });
  browser = await launchBrowser();
  await seed();
});

afterEach(async () => {
  for (const context of contexts.values()) for (const page of context.pages()) await page.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const content = {
  en: {
    campaign: "Yellow ribbons for free expression",
    summary: "100,000 yellow ribbons and a march to Angkor Wat.",
    march: "March from Phnom Penh to Angkor Wat",
    stages: [
      { date: "2026-03-01", from: "Phnom Penh", to: "Kampong Thom", km: "164" },
      { date: "2026-03-08", from: "Kampong Thom", to: "Siem Reap", km: "150" },
    ],
    metric: "Ribbons distributed",
    unit: "ribbons",
    /** The campaign's title in the other language (Khmer here). */
    secondTitle: "ខ្សែបូពណ៌លឿង សម្រាប់សេរីភាព",
    task: "Distribute ribbons in Siem Reap",
  },
  km: {
    campaign: "ខ្សែបូពណ៌លឿងដើម្បីសេរីភាពនៃការបញ្ចេញមតិ",
    summary: "ខ្សែបូពណ៌លឿង ១០០ ០០០ និងការដង្ហែក្បួនទៅអង្គរវត្ត។",
    march: "ការដង្ហែក្បួនពីភ្នំពេញទៅអង្គរវត្ត",
    stages: [
      { date: "2026-04-01", from: "ភ្នំពេញ", to: "កំពង់ធំ", km: "164" },
      { date: "2026-04-08", from: "កំពង់ធំ", to: "សៀមរាប", km: "150" },
    ],
    metric: "ខ្សែបូដែលបានចែកចាយ",
    unit: "ខ្សែបូ",
    /** The campaign's title in the other language (English here). */
    secondTitle: "Yellow ribbons, in English",
    task: "ចែកចាយខ្សែបូនៅសៀមរាប",
  },
} as const;

for (const lang of ["en", "km"] as const) {
  const L = translator(lang);
  const c = content[lang];

  describe(`campaigns and tasks in ${lang === "en" ? "English" : "Khmer"}`, () => {
    let campaignUrl = "";
    let taskUrl = "";

    it("a coordinator creates a campaign with two co-owner organisations and a participant", async () => {
      const page = await signedIn(coordinator, lang);
      await page.goto(`${server.url}/c/${coalitionId}/campaigns`);
      await expectHeading(page, L("campaigns.title"));
      await page.getByRole("link", { name: L("campaigns.new"), exact: true }).click();
      await expectHeading(page, L("campaigns.createTitle"));

      // Nothing filled in: the title is required, and nothing is sent.
      await page.getByRole("button", { name: L("campaigns.create") }).click();
      await visible(page.getByText(L("validation.required")));
      // exact: the form also has "Title in the other language".
      expect(await page.getByLabel(L("campaigns.fieldTitle"), { exact: true }).getAttribute("aria-invalid")).toBe("true");

      await page.getByLabel(L("campaigns.fieldTitle"), { exact: true }).fill(c.campaign);
      await page.getByLabel(L("campaigns.summary")).fill(c.summary);
      await page
        .getByLabel(L("campaigns.description"))
        .fill("**100,000** ribbons.\n\n<script>alert(1)</script>\n\n- Phnom Penh\n- Siem Reap");
      await page.getByLabel(L("campaigns.status")).selectOption("active");
      await page.getByLabel(L("campaigns.startsOn")).fill("2026-03-01");
      await page.getByLabel(L("campaigns.endsOn")).fill("2026-05-31");
      const owners = page.getByRole("group", { name: L("campaigns.owners") });
      expect(await owners.getByLabel(SEC).isChecked()).toBe(true);
      await owners.getByLabel(`${CCHR.name} (${CCHR.shortName})`).check();
      await page
        .getByRole("group", { name: L("campaigns.participants") })
        .getByLabel(`${LICADHO.name} (${LICADHO.shortName})`)
        .check();
      await screenshot(page, `${lang}-phone-campaign-form`);
      await page.getByRole("button", { name: L("campaigns.create") }).click();

      await page.waitForURL(new RegExp(`/c/${coalitionId}/campaigns/${UUID}$`));
      campaignUrl = page.url();
      await expectHeading(page, c.campaign);
      const overview = card(page, L("campaigns.overview"));
      await visible(overview.getByText(L("campaignStatus.active"), { exact: true }));
      await visible(overview.getByText(`${CCHR.name} (${CCHR.shortName})`, { exact: false }));
      // The description went through the API's sanitiser: bold kept, script gone.
      expect(await overview.locator(".md-html strong").first().textContent()).toBe("100,000");
      expect(await overview.locator(".md-html script").count()).toBe(0);
    });

    it("changes the campaign's status from its page: paused, then active again", async () => {
      const page = await signedIn(coordinator, lang);
      await page.goto(campaignUrl);
      const overview = card(page, L("campaigns.overview"));
      for (const status of ["paused", "active"] as const) {
        await overview.getByLabel(L("campaigns.changeStatus")).selectOption(status);
        await overview.getByRole("button", { name: L("common.save") }).click();
        await visible(overview.getByRole("status").filter({ hasText: L("common.saved") }));
        await visible(overview.getByText(L(`campaignStatus.${status}`), { exact: true }).first());
      }
    });

    it("adds a march with ordered stages, which shows its total distance", async () => {
      const page = await signedIn(coordinator, lang);
      await page.goto(campaignUrl);
      const activities = card(page, L("campaigns.activities"));
      await activities.locator("summary", { hasText: L("campaigns.addActivity") }).click();
      const form = activities.locator("form.activity-form");
      await form.getByLabel(L("campaigns.kind")).selectOption("march");
      await form.getByLabel(L("campaigns.fieldTitle")).fill(c.march);
      await form.getByLabel(L("campaigns.startsAt")).fill(`${c.stages[0].date}T07:00`);
      await form.getByLabel(L("campaigns.location")).fill(c.stages[0].from);
      for (const [i, stage] of c.stages.entries()) {
        await form.getByRole("button", { name: L("campaigns.addStage") }).click();
        const item = form.locator(".stage-edit").nth(i);
        await item.getByLabel(L("campaigns.stageDate")).fill(stage.date);
        await item.getByLabel(L("campaigns.stageFrom")).fill(stage.from);
        await item.getByLabel(L("campaigns.stageTo")).fill(stage.to);
        await item.getByLabel(L("campaigns.stageDistance")).fill(stage.km);
      }
      // The second stage goes first, then back: the order is the person's.
      await form.getByRole("button", { name: L("campaigns.moveStageUp", { n: 2 }) }).click();
      expect(await form.locator(".stage-edit").first().getByLabel(L("campaigns.stageFrom")).inputValue()).toBe(c.stages[1].from);
      await form.getByRole("button", { name: L("campaigns.moveStageUp", { n: 2 }) }).click();
      await screenshot(page, `${lang}-phone-march-form`);
      await form.getByRole("button", { name: L("campaigns.saveActivity") }).click();

      const total = formatNumber(314, lang);
      await visible(activities.getByText(L("campaigns.totalDistance", { km: total })));
      const stages = activities.locator(".stage-view li");
      expect(await stages.count()).toBe(2);
      expect(await stages.first().textContent()).toContain(`${c.stages[0].from} → ${c.stages[0].to}`);
      expect(await activities.getByRole("link", { name: L("campaigns.calendar") }).getAttribute("href")).toContain("/activities.ics");
    });

    it("gives the campaign a title in the other language, which readers in that language see", async () => {
      const other = lang === "en" ? "km" : "en";
      const page = await signedIn(coordinator, lang);
      await page.goto(`${campaignUrl}/edit`);
      await expectHeading(page, L("campaigns.editTitle"));
      await page.getByLabel(L("names.secondTitle")).fill(c.secondTitle);
      await page.getByLabel(L("names.language")).selectOption(other);
      await page.getByRole("button", { name: L("common.save"), exact: true }).click();
      await page.waitForURL(campaignUrl);
      // The coordinator reads in the campaign's own language: the title stays the one they see.
      await expectHeading(page, c.campaign);

      // A co-owner's admin reading in the other language sees the second title, on the page and in the list.
      const reader = await signedIn(cchrAdmin, other);
      await reader.goto(campaignUrl);
      await expectHeading(reader, c.secondTitle);
      expect(await reader.getByRole("heading", { name: c.campaign, exact: true }).count()).toBe(0);
      await reader.goto(`${server.url}/c/${coalitionId}/campaigns`);
      await visible(reader.getByRole("link", { name: c.secondTitle, exact: true }));
      await screenshot(reader, `${other}-phone-campaign-second-title`);
    });

    it("adds a ribbons metric with a target of 100,000", async () => {
      const page = await signedIn(coordinator, lang);
      await page.goto(campaignUrl);
      const metrics = card(page, L("campaigns.metrics"));
      await metrics.locator("summary", { hasText: L("campaigns.addMetric") }).click();
      await metrics.getByLabel(L("campaigns.metricName"), { exact: true }).fill(c.metric);
      // ("Unit" is also the start of "Unit in the other language": the field by its own label, exactly.)
      await metrics.getByRole("textbox", { name: `${L("campaigns.metricUnit")} (${L("common.optional")})`, exact: true }).fill(c.unit);
      await metrics.getByLabel(L("campaigns.metricTarget")).fill("100000");
      await metrics.getByRole("button", { name: L("campaigns.addMetric") }).click();
      await visible(metrics.getByRole("heading", { name: c.metric }));
      await visible(metrics.getByText(L("campaigns.noContributions")));
    });

    it("assigns a task of the campaign to an organisation", async () => {
      const page = await signedIn(coordinator, lang);
      await page.goto(campaignUrl);
      await card(page, L("campaigns.tasks"))
        .getByRole("link", { name: L("campaigns.newTask") })
        .click();
      await expectHeading(page, L("tasks.createTitle"));
      await page.getByLabel(L("tasks.campaign")).locator("option", { hasText: c.campaign }).waitFor({ state: "attached" });
      expect(await page.getByLabel(L("tasks.campaign")).inputValue()).toBe(campaignUrl.split("/").at(-1));
      await page.getByLabel(L("tasks.fieldTitle")).fill(c.task);
      await page.getByLabel(L("tasks.priority")).selectOption("high");
      await page.getByLabel(L("tasks.dueOn")).fill("2026-12-31");
      await page.getByLabel(L("tasks.labels")).fill("ribbons, Siem Reap");
      // The organisation is a searchable combobox: part of its short name, then the keyboard.
      await page.getByRole("combobox", { name: L("tasks.assigneeOrganisation") }).fill(CCHR.shortName.toLowerCase());
      await visible(page.getByRole("option", { name: `${CCHR.name} (${CCHR.shortName})` }));
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      // The description's Markdown hint: its examples in this language, drawn (Khmer in code has a
      // face: the monospace ones have no Khmer, which showed as empty boxes).
      const hintId = (await page.getByRole("textbox", { name: L("tasks.description") }).getAttribute("aria-describedby"))?.split(" ")[0];
      const example = page.locator(`[id="${hintId}"] .markdown-example code`).first();
      expect(await example.textContent()).toBe(`**${L("campaigns.formatBold")}**`);
      expect(await example.evaluate((code) => getComputedStyle(code).fontFamily)).toContain("Samakki Khmer");
      await screenshot(page, `${lang}-phone-task-form`);
      await page.getByRole("button", { name: L("tasks.create") }).click();
      await page.waitForURL(new RegExp(`/c/${coalitionId}/tasks/${UUID}$`));
      taskUrl = page.url();
      await expectHeading(page, c.task);
      expect(await page.getByTestId("assignee-organisation").textContent()).toBe(`${CCHR.name} (${CCHR.shortName})`);
      await visible(
        card(page, L("tasks.history")).getByText(
          L("tasks.historyCreatedAssigned", { actor: coordinator.name, name: `${CCHR.name} (${CCHR.shortName})` }),
        ),
      );
    });

    it("the organisation's admin delegates it to a member", async () => {
      const page = await signedIn(cchrAdmin, lang);
      await page.goto(taskUrl);
      await expectHeading(page, c.task);
      const delegate = card(page, L("tasks.delegateTitle"));
      await delegate.getByRole("combobox", { name: L("tasks.assigneePerson") }).fill(cchrMember.name.slice(0, 4));
      await delegate.getByRole("option", { name: cchrMember.name }).click();
      await delegate.getByRole("button", { name: L("tasks.delegate") }).click();
      await visible(delegate.getByText(L("tasks.delegated")));
      await page.waitForFunction(
        (name) => document.querySelector('[data-testid="assignee-person"]')?.textContent === name,
        cchrMember.name,
      );
      await visible(page.getByText(L("tasks.historyPerson", { actor: cchrAdmin.name, name: cchrMember.name })));
      await screenshot(page, `${lang}-phone-task-delegated`);
      await screenshot(page, `${lang}-desktop-task-delegated`, DESKTOP);
    });

    it("the member finds the delegation in their notifications and marks it read", async () => {
      const page = await signedIn(cchrMember, lang);
      await page.goto(`${server.url}/notifications`);
      await expectHeading(page, L("notifications.title"));
      const notice = page.getByRole("listitem").filter({ hasText: c.task });
      const markRead = notice.getByRole("button", { name: L("notifications.markRead") });
      await markRead.click();
      // Read now: the button goes, and the server says so.
      await markRead.waitFor({ state: "detached" });
      const res = await page.context().request.get(`${server.url}/api/notifications?unread=true`);
      const { items } = (await res.json()) as { items: Array<{ params: Record<string, unknown> }> };
      expect(items.filter((n) => n.params.task === c.task)).toEqual([]);
    });

    it("the member moves it to done on the board, with the keyboard", async () => {
      const page = await signedIn(cchrMember, lang);
      await page.goto(`${server.url}/c/${coalitionId}/tasks`);
      await expectHeading(page, L("tasks.viewMine"));
      await page.getByRole("link", { name: c.task }).click();
      await page.waitForURL(taskUrl);

      // A comment mentioning the admin: @ and part of the name, then a tap on the choice.
      const comments = card(page, L("tasks.comments"));
      await comments.getByRole("textbox", { name: L("tasks.comment") }).fill(lang === "en" ? "Ribbons are ready," : "ខ្សែបូរួចរាល់ហើយ");
      await comments.getByRole("textbox", { name: L("tasks.comment") }).press("End");
      await page.keyboard.type(` @${cchrAdmin.name.slice(0, 3)}`);
      await comments.getByRole("option", { name: cchrAdmin.name }).click();
      expect(await comments.getByRole("textbox", { name: L("tasks.comment") }).inputValue()).toMatch(new RegExp(`@${cchrAdmin.name} $`));
      await comments.getByRole("button", { name: L("tasks.postComment") }).click();
      await visible(comments.locator(".md-html strong", { hasText: `@${cchrAdmin.name}` }));

      await page.getByRole("link", { name: L("tasks.board"), exact: true }).click();
      await expectHeading(page, L("tasks.boardTitle", { campaign: c.campaign }));
      const todo = page.getByTestId("column-todo");
      await visible(todo.getByRole("link", { name: c.task }));
      await screenshot(page, `${lang}-phone-board`);

      const select = page.getByLabel(L("tasks.moveTo", { task: c.task }));
      await select.focus();
      await select.selectOption("done");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await visible(page.getByTestId("column-done").getByRole("link", { name: c.task }));
      expect(await todo.getByRole("link", { name: c.task }).count()).toBe(0);
      await visible(page.getByRole("status").getByText(L("tasks.moved", { task: c.task, status: L("taskStatus.done") })));
      await screenshot(page, `${lang}-phone-board-done`);
      await screenshot(page, `${lang}-desktop-board-done`, DESKTOP);
    });

    it("a second organisation reports 500 ribbons and the progress shows it", async () => {
      const page = await signedIn(licadhoAdmin, lang);
      await page.goto(campaignUrl);
      await expectHeading(page, c.campaign);
      const metric = page.getByTestId("metric").filter({ hasText: c.metric });
      await metric.locator("summary", { hasText: L("campaigns.reportContribution") }).click();
      await metric.getByLabel(`${L("campaigns.amount")} (${c.unit})`).fill("500");
      await metric.getByLabel(L("campaigns.note")).fill("Kampong Cham market");
      await metric.getByRole("button", { name: L("campaigns.report"), exact: true }).click();
      await visible(metric.getByText(L("campaigns.reported")));

      const [total, target, share] = [formatNumber(500, lang), formatNumber(100000, lang), formatNumber(0.5, lang)];
      await visible(metric.getByText(L("campaigns.progress", { total, target, unit: c.unit })));
      await visible(metric.getByText(L("campaigns.percentReached", { percent: share })));
      expect(await metric.locator("progress").getAttribute("value")).toBe("500");
      expect(await metric.locator("progress").getAttribute("max")).toBe("100000");
      await visible(metric.locator(".shares li", { hasText: LICADHO.shortName }).getByText(`${total} ${c.unit}`));
      await screenshot(page, `${lang}-phone-campaign`);
      await screenshot(page, `${lang}-desktop-campaign`, DESKTOP);

      // Its organisation corrects the contribution; the total follows and the old figure is gone.
      await metric.locator("summary", { hasText: L("campaigns.contributions") }).click();
      await metric.getByRole("button", { name: L("campaigns.correct") }).click();
      const correction = metric.getByRole("form", { name: L("campaigns.correctTitle") });
      await correction.getByLabel(L("campaigns.amount")).fill("600");
      await correction.getByRole("button", { name: L("common.save") }).click();
      const corrected = formatNumber(600, lang);
      await visible(metric.getByText(L("campaigns.progress", { total: corrected, target, unit: c.unit })));
      await visible(metric.getByText(L("campaigns.corrected"), { exact: false }));

      // The task shows as done on the campaign page too.
      await visible(card(page, L("campaigns.tasks")).getByText(L("taskStatus.done"), { exact: true }));
    });

    it("the dashboard's tasks card and the task lists show the member's work", async () => {
      const page = await signedIn(cchrAdmin, lang);
      await page.goto(`${server.url}/c/${coalitionId}/tasks?view=organisation`);
      await expectHeading(page, L("tasks.viewOrganisation"));
      await visible(page.getByRole("link", { name: c.task }));
      const csv = await page.getByRole("link", { name: L("tasks.exportCsv") }).getAttribute("href");
      expect(csv).toBe(`/api/coalitions/${coalitionId}/tasks.csv?view=organisation`);
      await screenshot(page, `${lang}-phone-tasks`);
    });
  });
}

describe("everything came from our own origin", () => {
  it("loaded nothing from any other origin and logged no errors", () => {
    expect(browser.foreignRequests(server.url)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
