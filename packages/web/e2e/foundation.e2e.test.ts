/**
 * The foundation flow in a real browser against the built app: first-run setup, inviting an
 * organisation, accepting from the dev mailbox, signing in as its admin, inviting a person and
 * switching to Khmer. Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`
 * first; builds nothing itself. Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DESKTOP,
  en,
  expectHeading,
  km,
  launchBrowser,
  linkFromMailbox,
  screenshot,
  startServer,
  type TestBrowser,
  type TestServer,
  visible,
} from "./harness.ts";

const coordinator = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const admin = { name: "Dara Kim", email: "admin@cchr.example", password: "three weeks to angkor wat" };
const organisation = { name: "Cambodian Center for Human Rights", shortName: "CCHR" };
const colleague = "colleague@cchr.example";

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  // An empty data dir, as a new install has: the server creates and migrates its database.
  server = await startServer({ freshDataDir: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("foundation flow in the browser", () => {
  let coordinatorPage: Page;
  let adminPage: Page;
  let coalitionId = "";
  let invitationLink = "";

  it("a fresh start shows setup, which creates the coalition and opens its dashboard", async () => {
    const context = await browser.newContext();
    coordinatorPage = await context.newPage();
    const page = coordinatorPage;
    await page.goto(`${server.url}/`);
    await page.waitForURL(`${server.url}/setup`);
    await expectHeading(page, en("setup.title"));
    expect(await page.getByLabel(en("setup.timeZone")).inputValue()).toBe("Asia/Phnom_Penh");

    // Empty submit: errors next to the fields, nothing sent.
    await page.getByRole("button", { name: en("setup.submit") }).click();
    await visible(page.locator(".field-error"));
    expect(await page.locator(".field-error").first().textContent()).toBe(en("validation.required"));
    expect(await page.getByLabel(en("setup.coalitionName")).getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "en-phone-setup");

    await page.getByLabel(en("setup.coalitionName")).fill("Alliance for Freedom of Expression in Cambodia");
    await page.getByLabel(en("organisation.name")).fill("Secretariat NGO");
    await page.getByLabel(en("organisation.shortName")).fill("SEC");
    await page.getByLabel(en("auth.displayName")).fill(coordinator.name);
    await page.getByLabel(en("auth.email"), { exact: true }).fill(coordinator.email);
    // A too-short password comes back from the API as a field error beside the field.
    await page.getByLabel(en("auth.password"), { exact: true }).fill("short");
    await page.getByRole("button", { name: en("setup.submit") }).click();
    await visible(page.getByText(en("validation.too_short", { min: 12 })));
    await page.getByLabel(en("auth.password"), { exact: true }).fill(coordinator.password);
    await page.getByRole("button", { name: en("setup.submit") }).click();

    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    coalitionId = page.url().split("/c/")[1] ?? "";
    await visible(page.getByText(en("dashboard.welcome", { name: coordinator.name })));
    await expectHeading(page, en("dashboard.myTasksTitle"));
    await expectHeading(page, en("dashboard.campaignsTitle"));
    await screenshot(page, "en-phone-dashboard-coordinator");
    await screenshot(page, "en-desktop-dashboard-coordinator", DESKTOP);
  });

  it("the coordinator invites an organisation from the members page", async () => {
    const page = coordinatorPage;
    await page
      .getByRole("navigation")
      .getByRole("link", { name: en("nav.members"), exact: true })
      .click();
    await page.waitForURL(`${server.url}/c/${coalitionId}/members`);
    await expectHeading(page, en("members.inviteTitle"));
    await page.getByLabel(en("organisation.name")).fill(organisation.name);
    await page.getByLabel(en("organisation.shortName")).fill(organisation.shortName);
    await page.getByLabel(en("organisation.contactEmail")).fill(admin.email);
    await page.getByRole("button", { name: en("members.inviteSubmit") }).click();
    await visible(page.getByText(en("members.invited", { email: admin.email })));
    // Listed as invited, and as a pending invitation.
    await visible(page.locator(".row", { hasText: organisation.name }).first().getByText(en("status.invited")));
    await screenshot(page, "en-phone-members");
    await screenshot(page, "en-desktop-members", DESKTOP);
  });

  it("the invited admin accepts from the dev mailbox, creating an account", async () => {
    invitationLink = await linkFromMailbox(server, admin.email, "/invitations/");
    expect(invitationLink.startsWith(`${server.url}/invitations/`)).toBe(true);
    const context = await browser.newContext();
    adminPage = await context.newPage();
    const page = adminPage;
    await page.goto(invitationLink);
    await visible(
      page.getByText(
        en("invitation.organisationIntro", {
          organisation: organisation.name,
          coalition: "Alliance for Freedom of Expression in Cambodia",
        }),
      ),
    );
    await screenshot(page, "en-phone-invitation");
    await page.getByLabel(en("auth.displayName")).fill(admin.name);
    await page.getByLabel(en("auth.password"), { exact: true }).fill(admin.password);
    await page.getByRole("button", { name: en("invitation.acceptAndCreate") }).click();
    await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
    await expectHeading(page, organisation.name);
  });

  it("signs out and back in through the sign-in page", async () => {
    const page = adminPage;
    await page.getByLabel(en("nav.accountMenu")).click();
    await page.getByRole("button", { name: en("nav.signOut") }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    await expectHeading(page, en("signIn.title"));

    await page.getByLabel(en("auth.email"), { exact: true }).fill(admin.email);
    await page.getByLabel(en("auth.password"), { exact: true }).fill("not the password at all");
    await page.getByRole("button", { name: en("signIn.submit"), exact: true }).click();
    await visible(page.getByRole("alert").getByText(en("errors.invalid_credentials.title")));
    await screenshot(page, "en-phone-sign-in");

    await page.getByLabel(en("auth.password"), { exact: true }).fill(admin.password);
    await page.getByRole("button", { name: en("signIn.submit"), exact: true }).click();
    await page.waitForURL(`${server.url}/c/${coalitionId}`);
    await visible(page.getByText(en("dashboard.welcome", { name: admin.name })));
  });

  it("the admin invites a person from the organisation page; it shows as pending", async () => {
    const page = adminPage;
    await page.getByRole("navigation").getByRole("link", { name: organisation.shortName, exact: true }).click();
    await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
    await expectHeading(page, en("organisation.inviteTitle"));
    await page.getByLabel(en("auth.email"), { exact: true }).fill(colleague);
    await page.getByRole("button", { name: en("organisation.inviteSubmit") }).click();
    await visible(page.getByText(en("organisation.invited", { email: colleague })));
    await visible(page.getByTestId("pending-invitations").getByText(colleague));
    await screenshot(page, "en-phone-organisation");
    await screenshot(page, "en-desktop-organisation", DESKTOP);
  });

  it("switching to Khmer shows the dashboard in Khmer with the self-hosted font, and is remembered", async () => {
    const page = adminPage;
    await page.getByRole("button", { name: "ខ្មែរ" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "km");
    await page
      .getByRole("navigation")
      .getByRole("link", { name: km("nav.dashboard"), exact: true })
      .click();
    await page.waitForURL(`${server.url}/c/${coalitionId}`);
    await visible(page.getByText(km("dashboard.welcome", { name: admin.name })));
    await expectHeading(page, km("dashboard.myTasksTitle"));
    await expectHeading(page, km("dashboard.votesWaitingTitle"));
    await expectHeading(page, km("dashboard.campaignsTitle"));
    await visible(page.getByLabel(km("nav.accountMenu")));

    const font = await page.evaluate(async () => {
      await document.fonts.ready;
      const faces = [...document.fonts].filter((f) => f.family.replaceAll('"', "") === "Samakki Khmer");
      return { loaded: faces.some((f) => f.status === "loaded"), check: document.fonts.check('16px "Samakki Khmer"', "សាមគ្គី") };
    });
    expect(font).toEqual({ loaded: true, check: true });

    await screenshot(page, "km-phone-dashboard");
    await screenshot(page, "km-desktop-dashboard", DESKTOP);

    await page.reload();
    await visible(page.getByText(km("dashboard.welcome", { name: admin.name })));
    await page.getByRole("navigation").getByRole("link", { name: organisation.shortName, exact: true }).click();
    await expectHeading(page, km("organisation.inviteTitle"));
    await screenshot(page, "km-phone-organisation");
  });

  it("revoking the invitation asks first, in Khmer, naming the consequence; cancelling keeps it", async () => {
    const page = adminPage;
    const pending = page.getByTestId("pending-invitations");
    const revoke = pending.getByRole("button", { name: km("common.revoke"), exact: true });
    const dialog = page.getByRole("dialog", { name: km("organisation.revokeConfirm", { email: colleague }) });
    await revoke.click();
    await visible(dialog.getByText(km("organisation.revokeConsequence")));
    await dialog.getByRole("button", { name: km("common.cancel") }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.reload();
    await visible(pending.getByText(colleague));

    await revoke.click();
    await dialog.getByRole("button", { name: km("common.revoke"), exact: true }).click();
    await pending.getByText(colleague).waitFor({ state: "detached" });
  });

  it("loaded nothing from any other origin", () => {
    expect(browser.foreignRequests(server.url)).toEqual([]);
  });
});
