/**
 * The foundation flow in a real browser against the built app: first-run setup, inviting an
 * organisation, accepting from the dev mailbox, signing in as its admin, inviting a person and
 * switching to Khmer. Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`
 * first; builds nothing itself. Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type MessageKey, translate } from "@samakki/shared/i18n/index";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = fileURLToPath(new URL(".", import.meta.url));
const webDir = resolve(here, "..");
const repoRoot = resolve(webDir, "../..");
const serverEntry = join(repoRoot, "packages/api/dist/server.js");
const screenshots = join(webDir, "artifacts/screenshots");

const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1280, height: 800 };
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const en = (key: MessageKey, params?: Record<string, string | number>) => translate("en", key, params);
const km = (key: MessageKey, params?: Record<string, string | number>) => translate("km", key, params);

const coordinator = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const admin = { name: "Dara Kim", email: "admin@cchr.example", password: "three weeks to angkor wat" };
const organisation = { name: "Cambodian Center for Human Rights", shortName: "CCHR" };
const colleague = "colleague@cchr.example";

let server: ChildProcess | undefined;
let serverLog = "";
let base = "";
let dataDir = "";
let database: { admin: string; name: string } | undefined;
let browser: Browser | undefined;
const requested: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => ok(port));
    });
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.\nServer output:\n${serverLog.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A fresh PostgreSQL database when DATABASE_URL is set, so setup really is first-run. */
async function freshDatabase(url: string): Promise<string> {
  const name = `samakki_e2e_${randomBytes(6).toString("hex")}`;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await sql.end();
  }
  database = { admin: url, name };
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

type MailboxMessage = { to: string; subject: string; text: string };

/** The newest link to `path` in mail sent to `to`, read from the dev mailbox. */
async function linkFromMailbox(to: string, path: string): Promise<string> {
  return waitFor(`an email to ${to} with a ${path} link`, async () => {
    const res = await fetch(`${base}/api/dev/mailbox?to=${encodeURIComponent(to)}`);
    if (!res.ok) return undefined;
    const body: unknown = await res.json();
    const messages = (Array.isArray(body) ? body : ((body as { items?: unknown[] }).items ?? [])) as MailboxMessage[];
    for (const message of messages) {
      if (message.to.toLowerCase() !== to) continue;
      const match = message.text.match(new RegExp(`https?://[^\\s"'<>]+${path}[A-Za-z0-9_-]+`));
      if (match) return match[0];
    }
    return undefined;
  });
}

async function newContext(viewport = PHONE): Promise<BrowserContext> {
  if (!browser) throw new Error("browser not started");
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: "en-GB" });
  context.on("request", (request) => requested.push(request.url()));
  return context;
}

async function shot(page: Page, name: string, viewport = PHONE): Promise<void> {
  const previous = page.viewportSize();
  await page.setViewportSize(viewport);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  if (previous) await page.setViewportSize(previous);
}

/** Playwright's web-first assertions live in @playwright/test; with playwright-core, wait explicitly. */
async function visible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: "visible", timeout: 15_000 });
}

async function expectHeading(page: Page, name: string): Promise<void> {
  await page.getByRole("heading", { name, exact: true }).first().waitFor({ timeout: 15_000 });
}

beforeAll(async () => {
  if (!existsSync(serverEntry))
    throw new Error(`${serverEntry} is missing: run \`pnpm --filter @samakki/web build && pnpm --filter @samakki/api build\` first.`);
  if (!existsSync(join(webDir, "dist/index.html")))
    throw new Error("packages/web/dist is missing: run `pnpm --filter @samakki/web build` first.");
  await mkdir(screenshots, { recursive: true });
  dataDir = await mkdtemp(join(tmpdir(), "samakki-e2e-data-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: base,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
  };
  if (process.env.DATABASE_URL) env.DATABASE_URL = await freshDatabase(process.env.DATABASE_URL);
  server = spawn(process.execPath, [serverEntry], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout?.on("data", (chunk: Buffer) => {
    serverLog += chunk.toString();
  });
  server.stderr?.on("data", (chunk: Buffer) => {
    serverLog += chunk.toString();
  });
  await waitFor("the API's /healthz", async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined), 60_000);
  // launch() runs Chromium on a fresh temporary profile, removed when the browser closes.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server?.once("exit", r));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  if (database) {
    const sql = postgres(database.admin, { max: 1, onnotice: () => {} });
    await sql.unsafe(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`).catch(() => undefined);
    await sql.end();
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("foundation flow in the browser", () => {
  let coordinatorPage: Page;
  let adminPage: Page;
  let coalitionId = "";
  let invitationLink = "";

  it("a fresh start shows setup, which creates the coalition and opens its dashboard", async () => {
    const context = await newContext();
    coordinatorPage = await context.newPage();
    const page = coordinatorPage;
    await page.goto(`${base}/`);
    await page.waitForURL(`${base}/setup`);
    await expectHeading(page, en("setup.title"));
    expect(await page.getByLabel(en("setup.timeZone")).inputValue()).toBe("Asia/Phnom_Penh");

    // Empty submit: errors next to the fields, nothing sent.
    await page.getByRole("button", { name: en("setup.submit") }).click();
    await visible(page.locator(".field-error"));
    expect(await page.locator(".field-error").first().textContent()).toBe(en("validation.required"));
    expect(await page.getByLabel(en("setup.coalitionName")).getAttribute("aria-invalid")).toBe("true");
    await shot(page, "en-phone-setup");

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
    await expectHeading(page, en("dashboard.tasksTitle"));
    await visible(page.locator(".big-number"));
    await shot(page, "en-phone-dashboard-coordinator");
    await shot(page, "en-desktop-dashboard-coordinator", DESKTOP);
  });

  it("the coordinator invites an organisation from the members page", async () => {
    const page = coordinatorPage;
    await page
      .getByRole("navigation")
      .getByRole("link", { name: en("nav.members"), exact: true })
      .click();
    await page.waitForURL(`${base}/c/${coalitionId}/members`);
    await expectHeading(page, en("members.inviteTitle"));
    await page.getByLabel(en("organisation.name")).fill(organisation.name);
    await page.getByLabel(en("organisation.shortName")).fill(organisation.shortName);
    await page.getByLabel(en("organisation.contactEmail")).fill(admin.email);
    await page.getByRole("button", { name: en("members.inviteSubmit") }).click();
    await visible(page.getByText(en("members.invited", { email: admin.email })));
    // Listed as invited, and as a pending invitation.
    await visible(page.locator(".row", { hasText: organisation.name }).first().getByText(en("status.invited")));
    await shot(page, "en-phone-members");
    await shot(page, "en-desktop-members", DESKTOP);
  });

  it("the invited admin accepts from the dev mailbox, creating an account", async () => {
    invitationLink = await linkFromMailbox(admin.email, "/invitations/");
    expect(invitationLink.startsWith(`${base}/invitations/`)).toBe(true);
    const context = await newContext();
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
    await shot(page, "en-phone-invitation");
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
    await page.waitForURL(`${base}/sign-in`);
    await expectHeading(page, en("signIn.title"));

    await page.getByLabel(en("auth.email"), { exact: true }).fill(admin.email);
    await page.getByLabel(en("auth.password"), { exact: true }).fill("not the password at all");
    await page.getByRole("button", { name: en("signIn.submit"), exact: true }).click();
    await visible(page.getByRole("alert").getByText(en("errors.invalid_credentials.title")));
    await shot(page, "en-phone-sign-in");

    await page.getByLabel(en("auth.password"), { exact: true }).fill(admin.password);
    await page.getByRole("button", { name: en("signIn.submit"), exact: true }).click();
    await page.waitForURL(`${base}/c/${coalitionId}`);
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
    await shot(page, "en-phone-organisation");
    await shot(page, "en-desktop-organisation", DESKTOP);
  });

  it("switching to Khmer shows the dashboard in Khmer with the self-hosted font, and is remembered", async () => {
    const page = adminPage;
    await page.getByRole("button", { name: "ខ្មែរ" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "km");
    await page
      .getByRole("navigation")
      .getByRole("link", { name: km("nav.dashboard"), exact: true })
      .click();
    await page.waitForURL(`${base}/c/${coalitionId}`);
    await visible(page.getByText(km("dashboard.welcome", { name: admin.name })));
    await expectHeading(page, km("dashboard.tasksTitle"));
    await expectHeading(page, km("dashboard.votesTitle"));
    await visible(page.locator(".big-number"));
    await visible(page.getByLabel(km("nav.accountMenu")));

    const font = await page.evaluate(async () => {
      await document.fonts.ready;
      const faces = [...document.fonts].filter((f) => f.family.replaceAll('"', "") === "Samakki Khmer");
      return { loaded: faces.some((f) => f.status === "loaded"), check: document.fonts.check('16px "Samakki Khmer"', "សាមគ្គី") };
    });
    expect(font).toEqual({ loaded: true, check: true });

    await shot(page, "km-phone-dashboard");
    await shot(page, "km-desktop-dashboard", DESKTOP);

    await page.reload();
    await visible(page.getByText(km("dashboard.welcome", { name: admin.name })));
    await page.getByRole("navigation").getByRole("link", { name: organisation.shortName, exact: true }).click();
    await expectHeading(page, km("organisation.inviteTitle"));
    await shot(page, "km-phone-organisation");
  });

  it("loaded nothing from any other origin", () => {
    const foreign = requested.filter((url) => !url.startsWith(`${base}/`) && !url.startsWith("data:"));
    expect(foreign).toEqual([]);
  });
});
