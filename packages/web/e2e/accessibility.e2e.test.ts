/**
 * axe-core on every route of the web app, public and signed in, in English and Khmer, at phone size
 * (360×640): the test fails on any serious or critical violation (experimental rules included, such as
 * label-content-name-mismatch). The routes are read from the router (src/app/router.tsx) and from the
 * sections it nests (features/<x>/components/<X>Section.tsx), so a new route cannot be forgotten: a
 * route whose parameters this file cannot fill fails the test.
 *
 * One server, one browser, one seeded world. Every <details> is opened before axe runs, so the audit
 * log's changes and the account menu are checked too. axe is injected with page.evaluate(axe.source):
 * it is a dev dependency of the tests, never imported by the app (the size budget would see it).
 * The pages are opened on a touch screen, and every control of each page's content is held to 44×44 px
 * (e2e/touch.ts), and so are those of the server-rendered public pages (the campaign's home, petition,
 * letter and sign-up pages), which are not the router's. No page shows a catalog key in place of its
 * text (e2e/raw-keys.ts: a key of an area the page has not loaded).
 * Results per page: packages/web/artifacts/axe/results.{json,md}; Khmer screenshots: artifacts/screenshots/axe-km-*.png.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`; builds nothing.
 */
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit, BLOCKING, type PageResult } from "./axe.ts";
import {
  ApiClient,
  collectConsoleErrors,
  en,
  invitationToken,
  inviteOrganisation,
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
  type Translator,
} from "./harness.ts";
import { rawKeys } from "./raw-keys.ts";
import { smallTargets } from "./touch.ts";

const webDir = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const artifacts = join(webDir, "artifacts/axe");

// ---------------------------------------------------------------------------------------------------------
// The routes, from the router's source

type RoutePattern = { pattern: string; public: boolean };

/** The route table of router.tsx (`ROUTES`; public: `public: true`), sections expanded; `/` (Home) and the catch-all as "*". */
export function routesFromRouter(): RoutePattern[] {
  const router = readFileSync(join(webDir, "src/app/router.tsx"), "utf8");
  // The lazy pages, with the file each one loads.
  const pages = readFileSync(join(webDir, "src/app/pages.ts"), "utf8");
  const table = router.slice(router.indexOf("export const ROUTES"), router.indexOf("\n];", router.indexOf("export const ROUTES")));
  const entries = table.split(/(?=\{\s*path: ")/).slice(1);
  if (entries.length === 0) throw new Error("cannot read the route table of router.tsx");
  const routes: RoutePattern[] = [{ pattern: "/", public: false }];
  for (const entry of entries) {
    const path = /^\{\s*path: "([^"]+)"/.exec(entry)?.[1] ?? "";
    const isPublic = /\bpublic: true\b/.test(entry);
    if (!path.endsWith("/*?")) {
      routes.push({ pattern: path, public: isPublic });
      continue;
    }
    const section = /<(\w+Section)\b/.exec(entry)?.[1];
    if (!section) throw new Error(`the nested route ${path} renders no *Section component this test can read`);
    const base = path.slice(0, -"/*?".length);
    const feature = /import\("\.\.\/features\/([\w-]+)\/components\/(\w+)\.tsx"\)\.then\(\(m\) => m\.(\w+)\)/g;
    const file = [...pages.matchAll(feature)].find((m) => m[3] === section);
    if (!file) throw new Error(`cannot find the file of ${section}`);
    const source = readFileSync(join(webDir, `src/features/${file[1]}/components/${file[2]}.tsx`), "utf8");
    const inner = [...source.matchAll(/<Route\s+path="([^"]+)"/g)].map((m) => m[1] ?? "");
    if (inner.length === 0) throw new Error(`${section} declares no routes`);
    for (const p of inner) routes.push({ pattern: p === "/" ? base : `${base}${p}`, public: isPublic });
  }
  routes.push({ pattern: "*", public: true });
  return routes;
}

// ---------------------------------------------------------------------------------------------------------
// The world

const coordinator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const ORG = { name: "Secretariat NGO", shortName: "SEC" };
const params: Record<string, string> = {};
/** The server-rendered public pages of the seeded public campaign. */
const publicPages: string[] = [];

let server: TestServer;
let browser: TestBrowser;

/** A local time ("YYYY-MM-DDTHH:mm") in Asia/Phnom_Penh (UTC+7) `ms` from now. */
const localIn = (ms: number) => new Date(Date.now() + ms + 7 * 3600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  const started = Date.now();
  server = await startServer({ privateWebDist: true });
  browser = await launchBrowser();
  console.info(`server and browser up in ${Date.now() - started} ms`);
  const coord = new ApiClient(server.url);
  const { coalitionId } = await setupCoalition(coord, { organisation: ORG, coordinator });
  const me = await coord.send<{ organisations: { id: string }[]; person: { id: string } }>("GET", "/api/me");
  const organisationId = me.organisations[0]?.id ?? "";
  const base = `/api/coalitions/${coalitionId}`;
  const campaign = await coord.send<{ id: string; slug: string }>("POST", `${base}/campaigns`, {
    title: "Yellow ribbons for free expression",
    status: "active",
    visibility: "public",
    ownerOrganisationIds: [organisationId],
  });
  await coord.send("POST", `${base}/campaigns/${campaign.id}/petition`, {
    titleKm: "ញត្តិការពារសេរីភាពនៃការបញ្ចេញមតិ",
    titleEn: "Free expression petition",
    bodyKm: "យើងស្នើសុំឱ្យការពារសេរីភាពនៃការបញ្ចេញមតិ។",
    bodyEn: "We ask that free expression be protected.",
    target: 1000,
    opensOn: "2020-01-01",
    closesOn: "2099-12-31",
  });
  const target = await coord.send<{ id: string }>("POST", `${base}/letter-targets`, {
    nameEn: "Chea Vannak",
    nameKm: "ជា វណ្ណៈ",
    party: "Party A",
    province: "KH-12",
    email: "vannak@parliament.example",
  });
  const action = await coord.send<{ id: string }>("POST", `${base}/campaigns/${campaign.id}/letter-actions`, {
    title: "Letter on press freedom",
    subjectEn: "Protect press freedom",
    subjectKm: "ការពារសេរីភាពសារព័ត៌មាន",
    bodyEn: "Dear member of parliament, please protect press freedom.",
    bodyKm: "សូមការពារសេរីភាពសារព័ត៌មាន។",
    targetIds: [target.id],
  });
  const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  await coord.send("POST", `${base}/campaigns/${campaign.id}/activities`, {
    kind: "march",
    title: "Walk for free expression",
    startsAt: `${day(10)}T07:00`,
    endsAt: `${day(11)}T17:00`,
    location: "Phnom Penh",
    stages: [
      { date: day(10), from: "Phnom Penh", to: "Kandal", distanceKm: 20 },
      { date: day(11), from: "Kandal", to: "Takeo", distanceKm: 25 },
    ],
  });
  const task = await coord.send<{ id: string }>("POST", `${base}/tasks`, {
    title: "Print banners",
    campaignId: campaign.id,
    assigneeOrganisationId: organisationId,
  });
  await coord.send("POST", `${base}/tasks/${task.id}/delegate`, { personId: me.person.id });
  const statement = await coord.send<{ id: string; current: { id: string } }>("POST", `${base}/statements`, {
    title: "On the arrest of journalists",
    bodyEn: "We stand for **free expression**.",
    bodyKm: "យើងគាំទ្រសេរីភាពនៃការបញ្ចេញមតិ។",
  });
  await coord.send("POST", `${base}/statements/${statement.id}/vote`, {
    versionId: statement.current.id,
    quorum: 0.5,
    threshold: "majority",
    closesAt: localIn(2 * 3600_000),
  });
  await coord.send("POST", `${base}/statements/${statement.id}/vote/ballots`, { organisationId, choice: "endorse", named: false });
  await coord.send("PATCH", `/api/organisations/${organisationId}`, { description: "Defends journalists and bloggers." });
  await inviteOrganisation(coord, coalitionId, { name: "Partner Association", shortName: "PA" }, "partner@example.org");
  const { slug: coalitionSlug } = await coord.send<{ slug: string }>("GET", `/api/coalitions/${coalitionId}`);
  const home = `/coalitions/${coalitionSlug}`;
  const campaignPage = `${home}/campaigns/${campaign.slug}`;
  publicPages.push(
    home,
    campaignPage,
    `${campaignPage}/petition`,
    `${campaignPage}/letter`,
    `${campaignPage}/letter?action=${action.id}&province=KH-12`,
    `${campaignPage}/letter?action=${action.id}&province=`,
    `${campaignPage}/letter?action=${action.id}&target=${target.id}`,
    `${campaignPage}/join`,
  );
  Object.assign(params, {
    coalitionId,
    organisationId,
    campaignId: campaign.id,
    taskId: task.id,
    statementId: statement.id,
    token: await invitationToken(server, "partner@example.org"),
  });
  console.info(`world seeded in ${Date.now() - started} ms`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function urlOf(route: RoutePattern): string {
  if (route.pattern === "*") return "/no-such-page";
  // With a token, as its email links it: the page shows its form (checked when it is sent).
  if (route.pattern === "/reset-password") return "/reset-password?token=abcdefghijklmnopqrstuvwxyz234567";
  return route.pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`no seeded value for :${name} of ${route.pattern}: seed one in accessibility.e2e.test.ts`);
    return value;
  });
}

const results: PageResult[] = [];
const routeOrder: string[] = [];

async function writeReport(): Promise<void> {
  await mkdir(artifacts, { recursive: true });
  await writeFile(join(artifacts, "results.json"), JSON.stringify(results, null, 2));
  const lines = ["| route | lang | serious/critical | moderate/minor | violations | needs review |", "|---|---|---|---|---|---|"];
  const order = (r: PageResult) => `${r.lang} ${routeOrder.indexOf(r.route).toString().padStart(3, "0")}`;
  for (const r of [...results].sort((a, b) => order(a).localeCompare(order(b)))) {
    const blocking = r.violations.filter((v) => BLOCKING.has(v.impact ?? ""));
    const other = r.violations.filter((v) => !BLOCKING.has(v.impact ?? ""));
    const rules = r.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(", ") || "—";
    lines.push(`| ${r.route} | ${r.lang} | ${blocking.length} | ${other.length} | ${rules} | ${r.incomplete.join(", ") || "—"} |`);
  }
  await writeFile(join(artifacts, "results.md"), `${lines.join("\n")}\n`);
}

describe("accessibility (axe) of every route, at 360×640, in English and Khmer", () => {
  const routes = routesFromRouter();
  routeOrder.push(...routes.map((r) => r.pattern));

  it("reads the routes from the router, sections included", () => {
    const patterns = routes.map((r) => r.pattern);
    expect(patterns).toEqual(expect.arrayContaining(["/sign-in", "/c/:coalitionId/audit", "/c/:coalitionId/tasks/:taskId", "*"]));
    expect(routes.filter((r) => r.public).length).toBeGreaterThan(5);
    expect(routes.filter((r) => !r.public).length).toBeGreaterThan(15);
  });

  it("would catch the two serious issues axe once found (the check can fail)", async () => {
    const context = await browser.newContext({ viewport: PHONE });
    try {
      expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
      const page = await context.newPage();
      const blocking = async () => (await audit(page)).violations.filter((v) => BLOCKING.has(v.impact ?? "")).map((v) => v.id);
      // The account menu's old name (without the initials it shows, counted as visible text here) and the
      // audit log's old scrolling JSON diff: both serious.
      await page.goto(`${server.url}/c/${params.coalitionId}`);
      await page.waitForSelector("h1");
      await page.evaluate(() => {
        const summary = document.querySelector("summary.menu-button");
        summary?.setAttribute("aria-label", "Account menu");
        summary?.querySelector(".avatar")?.removeAttribute("aria-hidden");
        const pre = document.createElement("pre");
        pre.style.cssText = "overflow-x:auto;max-height:4rem;white-space:pre";
        pre.textContent = JSON.stringify({ before: "x".repeat(300), a: 1, b: 2, c: 3, d: 4 }, null, 2);
        document.querySelector("h1")?.after(pre);
      });
      expect(await blocking()).toEqual(expect.arrayContaining(["label-content-name-mismatch", "scrollable-region-focusable"]));
      // The name it has now passes even so.
      await page.reload();
      await page.waitForSelector("h1");
      await page.evaluate(() => document.querySelector("summary.menu-button .avatar")?.removeAttribute("aria-hidden"));
      expect(await blocking()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a signed-out visitor's pages ask for nothing they would be refused: no /api/me, no error in the console", async () => {
    const context = await browser.newContext({ viewport: PHONE });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      collectConsoleErrors(page, "signed out", errors);
      const asked: string[] = [];
      page.on("request", (request) => asked.push(new URL(request.url()).pathname));
      for (const path of ["/", "/sign-in", "/forgot-password", "/no/such/page"]) {
        await page.goto(`${server.url}${path}`);
        await page.waitForSelector("main h1");
      }
      expect(asked.filter((path) => path === "/api/me")).toEqual([]);
      expect(errors).toEqual([]);
      // Signed in, the same browser asks who it is, and is told.
      expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
      const me = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/me");
      await page.goto(`${server.url}/`);
      expect((await me).status()).toBe(200);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("would catch a control smaller than a finger, and leaves a link inside a sentence alone (the check can fail)", async () => {
    const context = await browser.newContext({ viewport: PHONE, touch: true });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/sign-in`);
      await page.waitForSelector("main h1");
      expect(await smallTargets(page)).toEqual([]);
      await page.evaluate(() => {
        const main = document.querySelector("main");
        const p = document.createElement("p");
        p.innerHTML = 'Read <a href="/about">the rules</a> before you start. <button style="all:unset">Go</button>';
        const lone = document.createElement("p");
        lone.innerHTML = '<a href="/help">Help</a>';
        main?.append(p, lone);
      });
      const small = await smallTargets(page);
      expect(small).toEqual([expect.stringMatching(/ button “Go”$/), expect.stringMatching(/ a “Help”$/)]);
    } finally {
      await context.close();
    }
  });

  it("the server-rendered public pages: every control of each is 44×44 on a touch screen, in English and Khmer", async () => {
    const failures: string[] = [];
    for (const lang of ["en", "km"] as const) {
      const context = await browser.newContext({ viewport: PHONE, touch: true });
      try {
        const page = await context.newPage();
        for (const path of publicPages) {
          const response = await page.goto(`${server.url}${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
          if (response?.status() !== 200) failures.push(`${path} (${lang}): answered ${response?.status()}`);
          for (const small of await smallTargets(page)) failures.push(`${path} (${lang}): touch target ${small}`);
        }
      } finally {
        await context.close();
      }
    }
    expect(publicPages.length).toBeGreaterThan(5);
    expect(failures).toEqual([]);
  });

  for (const lang of ["en", "km"] as const) {
    // Both languages at once (separate contexts and pages): while one page waits on the server, the other is checked.
    it.concurrent(`has no serious or critical violation on any route in ${lang}`, async ({ expect }) => {
      const t: Translator = lang === "en" ? en : km;
      const contexts: Record<"public" | "signedIn", BrowserContext> = {
        public: await browser.newContext({ viewport: PHONE, language: lang, touch: true }),
        signedIn: await browser.newContext({ viewport: PHONE, language: lang, touch: true }),
      };
      expect((await signIn(contexts.signedIn, server.url, coordinator)).ok()).toBe(true);
      const pages = { public: await contexts.public.newPage(), signedIn: await contexts.signedIn.newPage() };
      const failures: string[] = [];
      try {
        for (const route of routes) {
          const page = route.public ? pages.public : pages.signedIn;
          const url = urlOf(route);
          await page.goto(`${server.url}${url}`);
          const result = await audit(page).catch((e: unknown) => {
            failures.push(`${route.pattern} (${lang}): did not settle: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
            return null;
          });
          if (!result) continue;
          results.push({ route: route.pattern, url, lang, ...result });
          // The route must render its page, not "Not found" (then axe would have checked the wrong page).
          if (route.pattern !== "*" && result.heading === t("notFound.title")) failures.push(`${route.pattern} (${lang}): shows Not found`);
          for (const v of result.violations.filter((x) => BLOCKING.has(x.impact ?? "")))
            failures.push(
              `${route.pattern} (${lang}): ${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
            );
          // Every <details> is open by now (audit): their contents are measured too.
          for (const small of await smallTargets(page)) failures.push(`${route.pattern} (${lang}): touch target ${small}`);
          for (const key of await rawKeys(page)) failures.push(`${route.pattern} (${lang}): shows the catalog key ${key}`);
          if (lang === "km") {
            // The account menu stays closed in the picture; the page's other details stay open to be seen.
            await page.evaluate(() => document.querySelector("details.menu")?.removeAttribute("open"));
            await screenshot(page, `axe-km${route.pattern === "*" ? "-not-found" : route.pattern.replaceAll(/[^a-z0-9]+/gi, "-")}`);
          }
        }
      } finally {
        await writeReport();
        await contexts.public.close();
        await contexts.signedIn.close();
      }
      expect(failures).toEqual([]);
      // About forty pages each, loaded and audited one after another, beside another test file on two
      // cores (and a server that checks every answer against its schema): an upper bound, not a target.
    }, 300_000);
  }
});
