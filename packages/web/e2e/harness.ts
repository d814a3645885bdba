/**
 * Shared harness for the browser tests in this folder (not a test file itself).
 *
 * - startServer(): the built API (`packages/api/dist/server.js`, which also serves `packages/web/dist`)
 *   on a free port, over a fresh PGlite data dir, or a fresh PostgreSQL database when DATABASE_URL is set,
 *   so setup really is first-run. stop() removes both.
 * - launchBrowser(): Debian's Chromium through playwright-core on a fresh temporary profile; every
 *   context it makes records the URLs it requests, so a test can assert nothing came from another origin.
 * - Page helpers (visible, expectHeading, screenshot), the dev mailbox, translators for the catalogs, and
 *   seeding through the HTTP API (ApiClient, setupCoalition, inviteOrganisation, acceptInvitation).
 *
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build` first; builds nothing.
 * Screenshots go to packages/web/artifacts/screenshots/ (git-ignored).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Language, type MessageKey, translate } from "@samakki/shared/i18n/index";
import { type APIResponse, type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import postgres from "postgres";
import { inject } from "vitest";

const here = fileURLToPath(new URL(".", import.meta.url));
const webDir = resolve(here, "..");
const repoRoot = resolve(webDir, "../..");
const serverEntry = join(repoRoot, "packages/api/dist/server.js");
const screenshots = join(webDir, "artifacts/screenshots");
/**
 * Screenshots are for a person to look at. A CI run (CI set, as .ci/run sets it) keeps none and takes
 * none unless SCREENSHOTS=1: about 110 full-page pictures, half a second of CPU each.
 */
const takeScreenshots = process.env.SCREENSHOTS === "1" || !["1", "true"].includes(process.env.CI ?? "");

export const PHONE = { width: 360, height: 640 };
export const DESKTOP = { width: 1280, height: 800 };
export type Viewport = { width: number; height: number };

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type Person = { name: string; email: string; password: string };
type Organisation = { name: string; shortName: string };

// ---------------------------------------------------------------------------------------------------------
// Translations

export type Params = Record<string, string | number>;
export type Translator = (key: MessageKey, params?: Params) => string;

/** A translator for `lang`, reading the same catalogs as the app. */
export const translator =
  (lang: Language): Translator =>
  (key, params) =>
    translate(lang, key, params);
export const en = translator("en");
export const km = translator("km");

// ---------------------------------------------------------------------------------------------------------
// Waiting

/**
 * Polls `probe` every 250 ms until it returns something other than undefined (a throw counts as
 * undefined). On timeout, the error names `what` and appends the tail of `output()` (the server's log).
 */
async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 30_000, output = () => "" }: { timeoutMs?: number; output?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.\nServer output:\n${output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---------------------------------------------------------------------------------------------------------
// The server

type ServerOptions = {
  /**
   * Serve a private copy of packages/web/dist (through WEB_DIST), so another build running meanwhile
   * cannot swap the files under the test.
   */
  privateWebDist?: boolean;
  /**
   * Name the server `localhost` in its URL (and PUBLIC_URL) instead of 127.0.0.1: WebAuthn needs a
   * domain as relying party id, and browsers refuse IP addresses.
   */
  localhostName?: boolean;
  /**
   * Start on an empty data dir, as a new install does, instead of a copy of the run's migrated
   * template (global-setup.ts).
   */
  freshDataDir?: boolean;
  /** Keep the data dir at this path when the server stops (global-setup.ts makes the template so). */
  keepDataDirAt?: string;
};

export type TestServer = {
  /** The origin, e.g. `http://127.0.0.1:41234` (also its PUBLIC_URL). */
  url: string;
  /** Everything the server printed so far (stdout and stderr). */
  output: () => string;
  /** Stops the server (SIGTERM, SIGKILL after 5 s), drops its database and removes its data dir. */
  stop: () => Promise<void>;
  /** The copy of packages/web/dist it serves, with `privateWebDist` (a test may change it as a release would). */
  webDist?: string | undefined;
};

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

/** A fresh, empty PostgreSQL database on the server of `adminUrl`; returns its name and URL. */
async function createDatabase(adminUrl: string): Promise<{ name: string; url: string }> {
  const name = `samakki_e2e_${randomBytes(6).toString("hex")}`;
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await sql.end();
  }
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  return { name, url: target.toString() };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  await sql.end();
}

async function terminate(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

/**
 * Starts `node packages/api/dist/server.js` on a free port of 127.0.0.1 with a fresh data dir (and a
 * fresh database when DATABASE_URL is set), and waits for /healthz. If it fails to come up, whatever it
 * created is cleaned up before the error is rethrown.
 */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  if (!existsSync(serverEntry))
    throw new Error(`${serverEntry} is missing: run \`pnpm --filter @samakki/web build && pnpm --filter @samakki/api build\` first.`);
  if (!existsSync(join(webDir, "dist/index.html")))
    throw new Error("packages/web/dist is missing: run `pnpm --filter @samakki/web build` first.");

  let log = "";
  let child: ChildProcess | undefined;
  let database: { admin: string; name: string } | undefined;
  const dataDir = options.keepDataDirAt ?? (await mkdtemp(join(tmpdir(), "samakki-e2e-data-")));
  const template = options.freshDataDir ? "" : inject("e2eDataTemplate");
  if (template) await cp(template, dataDir, { recursive: true });
  const stop = async (): Promise<void> => {
    if (child) await terminate(child, options.keepDataDirAt ? 60_000 : 5000);
    if (database) await dropDatabase(database.admin, database.name);
    if (!options.keepDataDirAt) await rm(dataDir, { recursive: true, force: true });
    // A kept data dir is copied by later servers: only a clean shutdown leaves it consistent.
    else if (child && child.exitCode !== 0)
      throw new Error(`the server left ${dataDir} with exit code ${child.exitCode}:\n${log.slice(-4000)}`);
  };

  try {
    const port = await freePort();
    const url = `http://${options.localhostName ? "localhost" : "127.0.0.1"}:${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    };
    if (options.privateWebDist) {
      const webDist = join(dataDir, "web");
      await cp(join(webDir, "dist"), webDist, { recursive: true });
      env.WEB_DIST = webDist;
    }
    const adminUrl = process.env.DATABASE_URL;
    if (adminUrl) {
      const created = await createDatabase(adminUrl);
      database = { admin: adminUrl, name: created.name };
      env.DATABASE_URL = created.url;
    }
    child = spawn(process.execPath, [serverEntry], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    const append = (chunk: Buffer) => {
      log += chunk.toString();
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    const output = () => log;
    // Migrating a fresh embedded database takes over a minute on a machine under full CPU load.
    await waitFor("the API's /healthz", async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), {
      timeoutMs: 150_000,
      output,
    });
    return { url, output, stop, webDist: env.WEB_DIST };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The browser

export type ContextOptions = {
  /** PHONE unless given. */
  viewport?: Viewport;
  /** Preset the app's language (localStorage and its cookie), as if chosen with the language switcher. */
  language?: Language;
  /** A touch screen: `(pointer: coarse)` then applies, as on a phone (e2e/touch.ts). */
  touch?: boolean;
};

export type TestBrowser = {
  browser: Browser;
  /** A new context (its own cookies and storage) whose requests are recorded. */
  newContext: (options?: ContextOptions) => Promise<BrowserContext>;
  /** Every URL requested by any context so far that is neither under `origin` nor a data: URL. */
  foreignRequests: (origin: string) => string[];
  close: () => Promise<void>;
};

/**
 * The browser: CHROMIUM_PATH, else Debian's headless Chromium (package chromium-headless-shell: the same
 * source, version and Blink as the chromium package, without the desktop browser around it, at about
 * half its CPU in these tests), else Debian's chromium.
 */
export const chromiumPath =
  process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : "/usr/bin/chromium");

/** Launches headless Chromium (see chromiumPath) on a fresh temporary profile, removed on close. */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const requested: string[] = [];
  return {
    browser,
    async newContext({ viewport = PHONE, language, touch = false }: ContextOptions = {}) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: "en-GB", hasTouch: touch });
      context.on("request", (request) => requested.push(request.url()));
      if (language) {
        await context.addInitScript((l) => localStorage.setItem("samakki.language", l), language);
        // The switcher keeps a copy for the server (src/lib/i18n.tsx), sent from the first request on.
        const cookie = { name: "samakki-language", value: language, path: "/" };
        await context.addCookies([
          { ...cookie, domain: "127.0.0.1" },
          { ...cookie, domain: "localhost" },
        ]);
      }
      return context;
    },
    foreignRequests: (origin) => requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:")),
    close: () => browser.close(),
  };
}

/** Signs a browser context in through the API (the context shares its cookies with its pages). */
export async function signIn(context: BrowserContext, origin: string, person: Person): Promise<APIResponse> {
  return context.request.post(`${origin}/api/auth/sign-in`, {
    data: { email: person.email, password: person.password },
    headers: { Origin: origin },
  });
}

/** Appends the page's console errors and uncaught exceptions to `sink`, each prefixed with `label`. */
export function collectConsoleErrors(page: Page, label: string, sink: string[]): void {
  page.on("console", (m) => {
    if (m.type() === "error") sink.push(`${label}: ${m.text()}`);
  });
  page.on("pageerror", (e) => sink.push(`${label}: ${e.message}`));
}

// ---------------------------------------------------------------------------------------------------------
// Page helpers. Playwright's web-first assertions live in @playwright/test; with playwright-core, wait explicitly.

/** Waits up to 15 s for the first element of `locator` to be visible. */
export async function visible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: "visible", timeout: 15_000 });
}

/** Waits up to 15 s for a heading named exactly `name`. */
export async function expectHeading(page: Page, name: string): Promise<void> {
  await page.getByRole("heading", { name, exact: true }).first().waitFor({ timeout: 15_000 });
}

/**
 * A full-page screenshot at `viewport` (PHONE unless given), once the fonts are ready, saved as
 * artifacts/screenshots/<name>.png; the page's viewport is restored afterwards. Under CI, nothing
 * unless SCREENSHOTS=1 (takeScreenshots).
 */
export async function screenshot(page: Page, name: string, viewport: Viewport = PHONE): Promise<void> {
  if (!takeScreenshots) return;
  await mkdir(screenshots, { recursive: true });
  const previous = page.viewportSize();
  await page.setViewportSize(viewport);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  if (previous) await page.setViewportSize(previous);
}

// ---------------------------------------------------------------------------------------------------------
// The dev mailbox

type MailboxMessage = { to: string; subject: string; text: string };

/** A link to `path` (followed by a token) in mail sent to `to`, read from the dev mailbox; waits for it. */
export async function linkFromMailbox(server: TestServer, to: string, path: string): Promise<string> {
  return waitFor(
    `an email to ${to} with a ${path} link`,
    async () => {
      const res = await fetch(`${server.url}/api/dev/mailbox?to=${encodeURIComponent(to)}`);
      if (!res.ok) return undefined;
      const body: unknown = await res.json();
      const messages = (Array.isArray(body) ? body : ((body as { items?: unknown[] }).items ?? [])) as MailboxMessage[];
      for (const message of messages) {
        if (message.to.toLowerCase() !== to) continue;
        const match = message.text.match(new RegExp(`https?://[^\\s"'<>]+${path}[A-Za-z0-9_-]+`));
        if (match) return match[0];
      }
      return undefined;
    },
    { output: server.output },
  );
}

/** The token of the invitation mailed to `to`. */
export async function invitationToken(server: TestServer, to: string): Promise<string> {
  const link = await linkFromMailbox(server, to, "/invitations/");
  return link.split("/invitations/")[1] ?? "";
}

// ---------------------------------------------------------------------------------------------------------
// Seeding through the HTTP API

/** A tiny HTTP client for seeding: keeps its session cookie and sends Origin and JSON like the browser (CSRF). */
export class ApiClient {
  private cookie = "";
  constructor(private readonly origin: string) {}

  /** Sends `body` as JSON (if given); throws on any non-2xx answer; returns the parsed JSON answer. */
  async send<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.origin}${path}`, {
      method,
      headers: {
        Origin: this.origin,
        "Content-Type": "application/json",
        Accept: "application/json",
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const set = res.headers.getSetCookie().find((c) => c.includes("samakki_session="));
    if (set) this.cookie = set.split(";")[0] ?? "";
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export const COALITION_NAME = "Alliance for Freedom of Expression in Cambodia";

/** First-run setup through the API; `client` is then signed in as the coordinator. */
export async function setupCoalition(
  client: ApiClient,
  {
    coordinator,
    organisation,
    coalitionName = COALITION_NAME,
  }: { coordinator: Person; organisation: Organisation; coalitionName?: string },
): Promise<{ coalitionId: string }> {
  return client.send("POST", "/api/setup", {
    coalitionName,
    timeZone: "Asia/Phnom_Penh",
    organisationName: organisation.name,
    organisationShortName: organisation.shortName,
    displayName: coordinator.name,
    email: coordinator.email,
    password: coordinator.password,
    language: "en",
  });
}

/** A coordinator's `client` invites `organisation` into the coalition, its invitation mailed to `contactEmail`. */
export async function inviteOrganisation(
  client: ApiClient,
  coalitionId: string,
  organisation: Organisation,
  contactEmail: string,
): Promise<{ organisationId: string }> {
  return client.send("POST", `/api/coalitions/${coalitionId}/members`, {
    organisationName: organisation.name,
    shortName: organisation.shortName,
    contactEmail,
    language: "en",
  });
}

/** `person` accepts the invitation mailed to them, creating their account (in `language` if given). */
export async function acceptInvitation(server: TestServer, person: Person, language?: Language): Promise<void> {
  const token = await invitationToken(server, person.email);
  await new ApiClient(server.url).send("POST", `/api/invitations/${token}/accept`, {
    displayName: person.name,
    password: person.password,
    ...(language ? { language } : {}),
  });
}
