/**
 * axe-core for the browser tests (not a test file itself): injected into the page with
 * page.evaluate(axe.source), so the app never imports it (the size budget would see it) and the
 * page's CSP (script-src 'self') does not apply. axe-core is pinned in package.json.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Language } from "@samakki/shared/i18n/index";
import type { Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The impacts a test fails on. */
export const BLOCKING = new Set(["serious", "critical"]);

export type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string }[] };
export type PageResult = {
  route: string;
  url: string;
  lang: Language;
  heading: string;
  violations: Violation[];
  /** Rules axe could not decide (it asks a person to check): reported, not failed on. */
  incomplete: string[];
  passes: number;
};

/** Waits for the page to settle (a heading, no loading indicator), opens every <details>, and runs axe with its experimental rules too. */
export async function audit(page: Page): Promise<Omit<PageResult, "route" | "url" | "lang">> {
  await page.waitForFunction(
    () => document.querySelector("h1") !== null && document.querySelector(".loading, [aria-busy='true']") === null,
    null,
    {
      timeout: 15_000,
    },
  );
  await page.evaluate(() => {
    for (const d of document.querySelectorAll("details")) d.open = true;
  });
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Axe = {
      getRules: (tags: string[]) => { ruleId: string }[];
      run: (context: Document, options: object) => Promise<{ violations: Violation[]; incomplete: { id: string }[]; passes: unknown[] }>;
    };
    const axe = (window as unknown as { axe: Axe }).axe;
    const experimental = Object.fromEntries(axe.getRules(["experimental"]).map((r) => [r.ruleId, { enabled: true }]));
    const result = await axe.run(document, { rules: experimental, resultTypes: ["violations"] });
    return {
      heading: document.querySelector("h1")?.textContent ?? "",
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
      })),
      incomplete: result.incomplete.map((r) => r.id),
      passes: result.passes.length,
    };
  });
}
