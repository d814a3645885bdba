/**
 * Catalog keys shown as they are (not a test file itself): a key whose area the page has not loaded
 * (the first screens ship only FIRST_SCREEN_AREAS, catalog-split.ts) is drawn raw, `account.newPassword`
 * instead of "New password". Finds every catalog key in the page's visible text.
 */
import en from "@samakki/shared/i18n/en.json";
import type { Page } from "playwright-core";

function keysOf(catalog: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([name, value]) =>
    value !== null && typeof value === "object" ? keysOf(value as Record<string, unknown>, `${prefix}${name}.`) : [`${prefix}${name}`],
  );
}

const KEYS = new Set(keysOf(en));

/** The catalog keys in the page's visible text. */
export async function rawKeys(page: Page): Promise<string[]> {
  // innerText, not textContent: what is drawn (no script, no hidden option text).
  // biome-ignore lint/performance/useDomNodeTextContent: the visible text is the point.
  const text = await page.evaluate(() => document.body.innerText);
  return [...new Set(text.match(/\b[a-z][A-Za-z]*(?:\.[A-Za-z_]+)+\b/g) ?? [])].filter((token) => KEYS.has(token));
}
