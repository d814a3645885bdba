/**
 * The signed-in app from the keyboard, as an audit found it (keyboard only and a screen reader, Chromium):
 * - after a navigation the new page's heading has the focus (lib/page-focus.tsx), not <body>: the next
 *   Tab goes on in the page, not back to "Skip to content";
 * - the focus ring in the dark red top bar is light enough to see (3:1 at least against what it is drawn
 *   on) and whole: not clipped by the tabs' scrolling strip, the languages' pill or the screen's top;
 *   drawn inside a control (on a phone), it leaves the control's text clear: the coalition's name,
 *   folded and opened, in English and Khmer;
 * - an element focused backwards (Shift+Tab) under the sticky header is scrolled clear of it;
 * - the "who has voted" summary's triangle (CSS) is not part of its name.
 * At 360×640 in English and Khmer, and at 1280×800 in English.
 * Needs `pnpm --filter @samakki/web build` and `pnpm --filter @samakki/api build`; builds nothing.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  DESKTOP,
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
  type Translator,
  type Viewport,
} from "./harness.ts";

const coordinator: Person = { name: "Sokha Chan", email: "sokha@secretariat.example", password: "ribbons for freedom 2026" };
const ORG = { name: "Secretariat NGO", shortName: "SEC" };
const CAMPAIGN = "Yellow ribbons for free expression";

let server: TestServer;
let browser: TestBrowser;
let coalitionId = "";
let statementId = "";

/** A local time ("YYYY-MM-DDTHH:mm") in Asia/Phnom_Penh (UTC+7) `ms` from now. */
const localIn = (ms: number) => new Date(Date.now() + ms + 7 * 3600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const coord = new ApiClient(server.url);
  coalitionId = (await setupCoalition(coord, { organisation: ORG, coordinator })).coalitionId;
  const me = await coord.send<{ organisations: { id: string }[] }>("GET", "/api/me");
  const organisationId = me.organisations[0]?.id ?? "";
  const base = `/api/coalitions/${coalitionId}`;
  await coord.send("POST", `${base}/campaigns`, { title: CAMPAIGN, status: "active", ownerOrganisationIds: [organisationId] });
  // A long statement, its vote open: a page that scrolls, with the "who has voted" disclosure.
  const paragraph = "We stand for free expression, and for the journalists who were arrested for their work. ".repeat(6);
  const statement = await coord.send<{ id: string; current: { id: string } }>("POST", `${base}/statements`, {
    title: "On the arrest of journalists",
    bodyEn: Array.from({ length: 8 }, () => paragraph).join("\n\n"),
    bodyKm: "យើងគាំទ្រសេរីភាពនៃការបញ្ចេញមតិ។",
  });
  statementId = statement.id;
  await coord.send("POST", `${base}/statements/${statement.id}/vote`, {
    versionId: statement.current.id,
    quorum: 0.5,
    threshold: "majority",
    closesAt: localIn(2 * 3600_000),
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const LAYOUTS: { name: string; lang: "en" | "km"; t: Translator; viewport: Viewport }[] = [
  { name: "phone-en", lang: "en", t: en, viewport: PHONE },
  { name: "phone-km", lang: "km", t: km, viewport: PHONE },
  { name: "desktop-en", lang: "en", t: en, viewport: DESKTOP },
];

async function openPage(layout: (typeof LAYOUTS)[number], path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: layout.viewport, language: layout.lang });
  expect((await signIn(context, server.url, coordinator)).ok()).toBe(true);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.locator("main h1").first().waitFor({ state: "visible", timeout: 15_000 });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page;
}

/** What has the focus: its tag and text, and whether it is the page's heading. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? null, text: el?.textContent?.trim() ?? "", heading: el?.matches("main h1") ?? false };
  });

describe("after a navigation from the keyboard", () => {
  for (const layout of LAYOUTS)
    it(`the new page's heading has the focus (${layout.name})`, async () => {
      const { t } = layout;
      const page = await openPage(layout, `/c/${coalitionId}`);
      // The first page: the browser loaded it, nothing is moved.
      expect((await focused(page)).tag).toBe("body");

      // Tab to "Campaigns" in the top menu, then Enter: that section is drawn in a new frame.
      const tab = page.locator("header nav").getByRole("link", { name: t("nav.campaigns"), exact: true });
      for (let i = 0; i < 30 && !(await tab.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { level: 1, name: t("campaigns.title") }).waitFor();
      await expect.poll(() => focused(page)).toEqual({ tag: "h1", text: t("campaigns.title"), heading: true });
      // No visible ring on the heading: it is read, not operated.
      expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).toBe("none");
      // The next Tab goes on in the page, not back to "Skip to content" at the top.
      await page.keyboard.press("Tab");
      const next = await page.evaluate(() => ({
        skip: document.activeElement?.classList.contains("skip-link") ?? false,
        inMain: document.querySelector("main")?.contains(document.activeElement) ?? false,
      }));
      expect(next).toEqual({ skip: false, inMain: true });

      // A campaign opened from the list.
      const link = page.locator("main").getByRole("link", { name: CAMPAIGN, exact: true });
      await link.focus();
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { level: 1, name: CAMPAIGN }).waitFor();
      await expect.poll(() => focused(page)).toEqual({ tag: "h1", text: CAMPAIGN, heading: true });
      await page.context().close();
    });
});

/** WCAG's contrast ratio of two "rgb(r, g, b)" colours. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r = 0, g = 0, bl = 0] = (colour.match(/[\d.]+/g) ?? []).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

/**
 * The focused element's ring: its colour, what it is drawn on (inside the element: its own background
 * if it has one; outside: the bar's), its box, and whether each ancestor that clips its overflow (up to
 * the header), and the screen, hold that box whole.
 */
const ring = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    const header = document.querySelector("header.topbar");
    if (!(el instanceof HTMLElement) || !header?.contains(el)) return null;
    // The account menu's ring is drawn around its avatar.
    const drawn = el.matches("summary.menu-button") ? (el.querySelector<HTMLElement>(".avatar") ?? el) : el;
    const style = getComputedStyle(drawn);
    const width = Number.parseFloat(style.outlineWidth);
    const offset = Number.parseFloat(style.outlineOffset);
    const r = drawn.getBoundingClientRect();
    const grow = offset + width;
    const box = { left: r.left - grow, top: r.top - grow, right: r.right + grow, bottom: r.bottom + grow };
    const own = getComputedStyle(drawn).backgroundColor;
    const bar = getComputedStyle(header).backgroundColor;
    const transparent = own === "rgba(0, 0, 0, 0)" || own === "transparent";
    const clipped: string[] = [];
    const inside = (c: { left: number; top: number; right: number; bottom: number }) =>
      box.left >= c.left - 0.5 && box.top >= c.top - 0.5 && box.right <= c.right + 0.5 && box.bottom <= c.bottom + 0.5;
    for (let a = drawn.parentElement; a && a !== header.parentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== "visible" || s.overflowY !== "visible")
        if (!inside(a.getBoundingClientRect())) clipped.push(a.className || a.tagName);
    }
    if (!inside({ left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight })) clipped.push("the screen");
    // A ring drawn inside the control (a negative offset) must leave its text clear: each line of its
    // visible text (as far as what clips it shows it) inside the ring's inner edge.
    const covered: string[] = [];
    if (offset < 0) {
      const inner = { left: r.left - offset, top: r.top - offset, right: r.right + offset, bottom: r.bottom + offset };
      const walker = document.createTreeWalker(drawn, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim()) continue;
        // A badge positioned over the control (the bell's count) is painted over the ring, on its own background.
        let badge = false;
        for (let a = node.parentElement; a && a !== drawn; a = a.parentElement) {
          const s = getComputedStyle(a);
          if (s.position === "absolute" && s.backgroundColor !== "rgba(0, 0, 0, 0)") badge = true;
        }
        if (badge) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const line of range.getClientRects()) {
          const shown = { left: line.left, top: line.top, right: line.right, bottom: line.bottom };
          for (let a = node.parentElement; a && drawn.contains(a); a = a.parentElement) {
            const s = getComputedStyle(a);
            if (s.overflowX === "visible" && s.overflowY === "visible") continue;
            const c = a.getBoundingClientRect();
            shown.left = Math.max(shown.left, c.left);
            shown.top = Math.max(shown.top, c.top);
            shown.right = Math.min(shown.right, c.right);
            shown.bottom = Math.min(shown.bottom, c.bottom);
          }
          // Text hidden for sight (visually-hidden) shows nothing a ring could cover.
          if (shown.right - shown.left < 2 || shown.bottom - shown.top < 2) continue;
          const clear =
            shown.left >= inner.left - 0.5 &&
            shown.top >= inner.top - 0.5 &&
            shown.right <= inner.right + 0.5 &&
            shown.bottom <= inner.bottom + 0.5;
          if (!clear)
            covered.push(
              `“${node.textContent.trim().slice(0, 20)}” at ${[shown.left, shown.top, shown.right, shown.bottom].map(Math.round).join(",")} inside ${[inner.left, inner.top, inner.right, inner.bottom].map(Math.round).join(",")}`,
            );
        }
      }
    }
    return {
      name: `${el.tagName.toLowerCase()} “${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 30)}”`,
      style: style.outlineStyle,
      width,
      colour: style.outlineColor,
      on: offset < 0 && !transparent ? own : bar,
      clipped,
      covered,
    };
  });

describe("the focus ring in the top bar", () => {
  for (const layout of LAYOUTS)
    it(`is light on the bar, 3:1 at least, and whole on every control of the bar (${layout.name})`, async () => {
      const page = await openPage(layout, `/c/${coalitionId}/campaigns`);
      const problems: string[] = [];
      const seen: string[] = [];
      // From the top of the page: the skip link, then every control of the header in turn.
      await page.keyboard.press("Tab");
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press("Tab");
        const r = await ring(page);
        if (!r) break;
        seen.push(r.name);
        const ratio = contrast(r.colour, r.on);
        if (r.style === "none" || r.width < 2) problems.push(`${r.name}: no ring (${r.style} ${r.width}px)`);
        if (ratio < 3) problems.push(`${r.name}: ring ${r.colour} on ${r.on} is ${ratio.toFixed(2)}:1`);
        if (r.clipped.length > 0) problems.push(`${r.name}: ring clipped by ${r.clipped.join(", ")}`);
        if (r.covered.length > 0) problems.push(`${r.name}: ring covers its text ${r.covered.join("; ")}`);
        if (r.name.includes(layout.t("nav.campaigns")))
          await screenshot(page, `keyboard-ring-campaigns-${layout.name}`, { width: layout.viewport.width, height: 200 });
      }
      // The whole header was walked: its tabs are among what was measured.
      expect(seen.filter((name) => name.startsWith("a “")).length).toBeGreaterThan(5);
      expect(problems).toEqual([]);
      await page.context().close();
    });
});

describe("the coalition name's ring, inside the button on a phone", () => {
  for (const layout of LAYOUTS.filter((l) => l.viewport === PHONE))
    it(`leaves the name's letters clear, folded and opened, 3:1 at least (${layout.name})`, async () => {
      const page = await openPage(layout, `/c/${coalitionId}/campaigns`);
      const name = page.locator("header button.coalition-name");
      for (let i = 0; i < 20 && !(await name.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
      const problems: string[] = [];
      const measure = async (state: string) => {
        const r = await ring(page);
        if (!r) throw new Error(`the coalition name is not focused (${state})`);
        if (r.style === "none" || r.width < 2) problems.push(`${state}: no ring (${r.style} ${r.width}px)`);
        const ratio = contrast(r.colour, r.on);
        if (ratio < 3) problems.push(`${state}: ring ${r.colour} on ${r.on} is ${ratio.toFixed(2)}:1`);
        if (r.clipped.length > 0) problems.push(`${state}: ring clipped by ${r.clipped.join(", ")}`);
        if (r.covered.length > 0) problems.push(`${state}: ring covers the name ${r.covered.join("; ")}`);
      };
      await measure("folded");
      await screenshot(page, `keyboard-ring-coalition-name-${layout.name}`, { width: layout.viewport.width, height: 120 });
      // Opened from the keyboard: the whole name on its own lines, the focus still on it.
      await page.keyboard.press("Enter");
      await expect.poll(() => name.getAttribute("aria-expanded")).toBe("true");
      await measure("opened");
      await screenshot(page, `keyboard-ring-coalition-name-open-${layout.name}`, { width: layout.viewport.width, height: 160 });
      expect(problems).toEqual([]);
      await page.context().close();
    });
});

describe("the sticky header and Shift+Tab", () => {
  for (const layout of LAYOUTS)
    it(`an element focused backwards is scrolled clear of the header (${layout.name})`, async () => {
      const page = await openPage(layout, `/c/${coalitionId}/statements/${statementId}`);
      const header = await page.evaluate(() => document.querySelector("header.topbar")?.getBoundingClientRect().height ?? 0);
      expect(header).toBeGreaterThan(60);
      // Two controls one after the other in the statement's text card, far enough down the page to scroll.
      const pair = await page.evaluate(() => {
        const controls = [...document.querySelectorAll<HTMLElement>("main a[href], main button, main select, main textarea")].filter(
          (el) => el.getBoundingClientRect().top > window.innerHeight && el.offsetParent !== null,
        );
        const [first, second] = controls;
        first?.setAttribute("data-first", "");
        second?.setAttribute("data-second", "");
        return Boolean(first && second);
      });
      expect(pair).toBe(true);
      // Focus the second, then scroll so the first lies under the header (its top 10 px below the screen's top).
      await page.locator("[data-second]").focus();
      await page.evaluate(() => {
        const first = document.querySelector("[data-first]");
        if (first) window.scrollBy(0, first.getBoundingClientRect().top - 10);
      });
      await page.keyboard.press("Shift+Tab");
      const after = await page.evaluate(() => ({
        first: document.activeElement?.hasAttribute("data-first") ?? false,
        top: document.activeElement?.getBoundingClientRect().top ?? 0,
        headerBottom: document.querySelector("header.topbar")?.getBoundingClientRect().bottom ?? 0,
      }));
      expect(after.first).toBe(true);
      // Clear of the header, its focus ring (2 px away, 3 px wide) too.
      expect(after.top).toBeGreaterThanOrEqual(after.headerBottom + 5);
      await page.context().close();
    });
});

describe("the turnout disclosure", () => {
  it("draws its triangle, which its accessible name leaves out", async () => {
    const page = await openPage(
      LAYOUTS[2] ?? { name: "desktop-en", lang: "en", t: en, viewport: DESKTOP },
      `/c/${coalitionId}/statements/${statementId}`,
    );
    const summary = page.locator(".turnout-details > summary");
    expect(await summary.evaluate((el) => getComputedStyle(el, "::before").content)).toContain("▸");
    const cdp = await page.context().newCDPSession(page);
    const { root } = await cdp.send("DOM.getDocument");
    const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: ".turnout-details > summary" });
    const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { nodeId, fetchRelatives: false });
    const name = String(nodes[0]?.name?.value ?? "");
    expect(name).toBe(en("votes.whoVoted", { voted: "0", eligible: "1" }));
    expect(name).not.toContain("▸");
    await page.context().close();
  });
});
